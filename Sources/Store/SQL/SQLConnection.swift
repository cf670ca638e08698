/// The SQL the Store's queries may differ in between its two backends.
public enum SQLDialect: Sendable {
    /// SQLite through GRDB: one node's own database file.
    case sqlite
    /// PostgreSQL through postgres-nio: the database a cluster's nodes share.
    case postgres
}

/// A database error, the same for both backends, so that ``Store`` maps it to a ``StoreError`` in one place.
struct SQLError: Error, CustomStringConvertible {
    enum Kind: Sendable {
        /// A `UNIQUE`, `CHECK`, `NOT NULL` or foreign-key rule refused the statement.
        case constraint
        /// Another transaction changed what this one read (PostgreSQL's serialization failure): retry.
        case serialization
        /// Anything else: the connection, the SQL, a type.
        case other
    }

    let kind: Kind
    let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
}

/// One connection inside one transaction, used synchronously by the Store's queries.
///
/// Both backends run a transaction's body on their own thread, never on an event loop or a cooperative thread:
/// GRDB on its writer queue, PostgreSQL on the Store's writer thread, which waits for each statement's result (see
/// `PostgresSQLConnection`). So a query is written once, as plain code, and runs on both. Arguments are bound to `?`
/// placeholders in order; the PostgreSQL backend numbers them (`$1`, `$2` …) before it sends the statement.
protocol SQLConnection {
    var dialect: SQLDialect { get }

    /// Runs one statement that returns no rows that matter.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws

    /// Runs one statement and returns every row.
    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]

    /// Runs `action` after the current transaction commits, and never if it rolls back. Actions run in commit
    /// order, one transaction at a time.
    func afterCommit(_ action: @escaping @Sendable () -> Void)
}

extension SQLConnection {
    func execute(_ sql: String, _ arguments: any SQLValueConvertible...) throws {
        try execute(sql, arguments.map(\.sqlValue))
    }

    func fetchAll(_ sql: String, _ arguments: any SQLValueConvertible...) throws -> [SQLRow] {
        try fetchAll(sql, arguments.map(\.sqlValue))
    }

    func fetchOne(_ sql: String, _ arguments: [SQLValue]) throws -> SQLRow? {
        try fetchAll(sql, arguments).first
    }

    func fetchOne(_ sql: String, _ arguments: any SQLValueConvertible...) throws -> SQLRow? {
        try fetchAll(sql, arguments.map(\.sqlValue)).first
    }

    /// The first column of every row, as `T`.
    func fetchColumn<T: SQLValueConvertible>(
        _ type: T.Type,
        _ sql: String,
        _ arguments: any SQLValueConvertible...
    ) throws -> [T] {
        try fetchAll(sql, arguments.map(\.sqlValue)).map { try $0.get(0, as: T.self) }
    }

    /// The first column of the first row, as `T`; nil if there is no row.
    func fetchValue<T: SQLValueConvertible>(
        _ type: T.Type,
        _ sql: String,
        _ arguments: any SQLValueConvertible...
    ) throws -> T? {
        try fetchAll(sql, arguments.map(\.sqlValue)).first.map { try $0.get(0, as: T.self) }
    }

    /// `SELECT COUNT(*) …`'s answer.
    func fetchCount(_ sql: String, _ arguments: any SQLValueConvertible...) throws -> Int {
        try fetchAll(sql, arguments.map(\.sqlValue)).first.map { try $0.get(0, as: Int.self) } ?? 0
    }
}

/// Writes `?` placeholders as PostgreSQL's `$1`, `$2` …, leaving any `?` inside a quoted literal or identifier.
func numberingPlaceholders(_ sql: String) -> String {
    var result = ""
    result.reserveCapacity(sql.utf8.count + 8)
    var number = 0
    var quote: Character? = nil
    for character in sql {
        if let open = quote {
            if character == open { quote = nil }
            result.append(character)
        } else if character == "'" || character == "\"" {
            quote = character
            result.append(character)
        } else if character == "?" {
            number += 1
            result += "$\(number)"
        } else {
            result.append(character)
        }
    }
    return result
}
