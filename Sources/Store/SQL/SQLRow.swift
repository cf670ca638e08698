/// The column names of one result, shared by all its rows.
final class SQLColumns: Sendable {
    let names: [String]
    /// Lower-cased name → position. SQLite keeps a column's case and PostgreSQL folds unquoted names to lower case,
    /// so the Store looks columns up without regard to case.
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name.lowercased()] == nil {
            positions[name.lowercased()] = index
        }
        self.positions = positions
    }

    func position(of name: String) -> Int? {
        positions[name.lowercased()]
    }
}

/// One row of a result, from either backend.
struct SQLRow: Sendable {
    let columns: SQLColumns
    let values: [SQLValue]

    /// The value in column `name`, `.null` if the result has no such column.
    subscript(_ name: String) -> SQLValue {
        guard let position = columns.position(of: name), values.indices.contains(position) else { return .null }
        return values[position]
    }

    /// The value at `position`, `.null` past the last column.
    subscript(_ position: Int) -> SQLValue {
        values.indices.contains(position) ? values[position] : .null
    }

    /// The value in column `position` as `T`; throws ``SQLError`` naming the column if it holds something else.
    func get<T: SQLValueConvertible>(_ position: Int, as type: T.Type = T.self) throws -> T {
        let value = self[position]
        guard let converted = T(sqlValue: value) else {
            let name = columns.names.indices.contains(position) ? columns.names[position] : "#\(position)"
            throw SQLError(.other, "column \(name) holds \(value), not a \(T.self)")
        }
        return converted
    }

    /// The value in column `name` as `T`; throws ``SQLError`` naming the column if it holds something else.
    func get<T: SQLValueConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        let value = self[name]
        guard let converted = T(sqlValue: value) else {
            throw SQLError(.other, "column \(name) holds \(value), not a \(T.self)")
        }
        return converted
    }
}
