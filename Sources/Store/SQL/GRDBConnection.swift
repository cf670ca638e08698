import Foundation
import GRDB

/// The SQLite backend's ``SQLConnection`` is GRDB's own `Database`: a query written for ``SQLConnection`` runs on
/// it inside a GRDB transaction, on GRDB's queue.
extension Database: SQLConnection {
    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try Self.mappingErrors {
            try statement(sql, arguments.count).execute(arguments: Self.arguments(arguments))
        }
    }

    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try Self.mappingErrors {
            let statement = try statement(sql, arguments.count)
            let columns = SQLColumns(statement.columnNames)
            let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
            var rows: [SQLRow] = []
            while let row = try cursor.next() {
                rows.append(SQLRow(columns: columns, values: row.map { Self.value($0.1) }))
            }
            return rows
        }
    }

    /// The prepared statement for `sql`. Statements with a few arguments are cached: auto-registration runs the
    /// same few thousands of times in a storm. One with a long `IN (?, ?, …)` list is made afresh: each length is
    /// another SQL text, and caching them all would keep hundreds of statements that are rarely run again.
    private func statement(_ sql: String, _ argumentCount: Int) throws -> Statement {
        argumentCount <= 16 ? try cachedStatement(sql: sql) : try makeStatement(sql: sql)
    }

    /// Runs several statements with no arguments (a migration's DDL), uncached.
    func executeScript(_ sql: String) throws {
        try Self.mappingErrors { try execute(sql: sql) }
    }

    func afterCommit(_ action: @escaping @Sendable () -> Void) {
        afterNextTransaction { _ in action() }
    }

    private static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map(databaseValue))
    }

    private static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }

    private static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .blob(Array(data))
        }
    }

    /// GRDB's errors as ``SQLError``s, so that the Store maps both backends' errors in one place.
    static func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            let kind: SQLError.Kind = error.resultCode == .SQLITE_CONSTRAINT ? .constraint : .other
            throw SQLError(kind, error.message ?? "\(error)")
        }
    }
}
