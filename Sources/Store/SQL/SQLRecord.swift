/// A record the Store keeps in one table: a plain `Codable` value whose properties are the table's columns (see
/// ``SQLRowEncoder``). It knows nothing of either database; the queries below read and write it on both.
protocol SQLRecord: Codable, Sendable {
    /// The table the record lives in.
    static var tableName: String { get }
    /// The column that identifies a row: `id` unless the record says otherwise.
    static var primaryKey: String { get }
}

extension SQLRecord {
    static var primaryKey: String { "id" }

    init(row: SQLRow) throws {
        self = try SQLRowDecoder.decode(Self.self, from: row)
    }

    /// The record's columns and their values, in declaration order.
    func columnValues() throws -> [(name: String, value: SQLValue)] {
        try SQLRowEncoder.columns(of: self)
    }

    /// The value of the record's primary key column.
    func primaryKeyValue() throws -> SQLValue {
        try columnValues().first { $0.name == Self.primaryKey }?.value ?? .null
    }
}

/// A record whose row id the database assigns on insert.
protocol SQLAutoIncrementedRecord: SQLRecord {
    var id: Int64? { get set }
}

extension SQLConnection {
    func fetchAll<Record: SQLRecord>(
        _ type: Record.Type,
        _ sql: String,
        _ arguments: any SQLValueConvertible...
    ) throws -> [Record] {
        try fetchAll(sql, arguments.map(\.sqlValue)).map(Record.init(row:))
    }

    func fetchOne<Record: SQLRecord>(
        _ type: Record.Type,
        _ sql: String,
        _ arguments: any SQLValueConvertible...
    ) throws -> Record? {
        try fetchAll(sql, arguments.map(\.sqlValue)).first.map(Record.init(row:))
    }

    /// Every row of the table, ordered by `orderBy` (a column list).
    func fetchAll<Record: SQLRecord>(_ type: Record.Type, orderBy: String) throws -> [Record] {
        try fetchAll(Record.self, "SELECT * FROM \(Record.tableName) ORDER BY \(orderBy)")
    }

    /// The row whose primary key is `key`.
    func find<Record: SQLRecord>(_ type: Record.Type, key: some SQLValueConvertible) throws -> Record? {
        try fetchOne(Record.self, "SELECT * FROM \(Record.tableName) WHERE \(Record.primaryKey) = ?", key)
    }

    /// Whether some row matches `condition`, e.g. `exists(LineRecord.self, where: "number = ?", number)`.
    func exists<Record: SQLRecord>(
        _ type: Record.Type,
        where condition: String,
        _ arguments: any SQLValueConvertible...
    ) throws -> Bool {
        try !fetchAll("SELECT 1 FROM \(Record.tableName) WHERE \(condition) LIMIT 1", arguments.map(\.sqlValue))
            .isEmpty
    }

    /// Inserts a record with a given key (a name, or an id the caller chose).
    func insert<Record: SQLRecord>(_ record: Record) throws {
        let columns = try record.columnValues()
        try execute(Self.insertStatement(Record.tableName, columns), columns.map(\.value))
    }

    /// Inserts a record and sets its `id` to the one the database assigned (or kept, if it had one).
    func insert<Record: SQLAutoIncrementedRecord>(_ record: inout Record) throws {
        var columns = try record.columnValues()
        if record.id == nil { columns.removeAll { $0.name == Record.primaryKey } }
        let sql = Self.insertStatement(Record.tableName, columns) + " RETURNING \(Record.primaryKey)"
        guard let row = try fetchOne(sql, columns.map(\.value)) else {
            throw SQLError(.other, "INSERT INTO \(Record.tableName) returned no id")
        }
        record.id = try row.get(0, as: Int64.self)
    }

    /// Replaces every column of the row with the record's primary key. Returns false if there is no such row.
    @discardableResult
    func update<Record: SQLRecord>(_ record: Record) throws -> Bool {
        let columns = try record.columnValues()
        let key = columns.first { $0.name == Record.primaryKey }?.value ?? .null
        let others = columns.filter { $0.name != Record.primaryKey }
        let assignments = others.map { "\($0.name) = ?" }.joined(separator: ", ")
        let sql = """
            UPDATE \(Record.tableName) SET \(assignments) WHERE \(Record.primaryKey) = ? \
            RETURNING \(Record.primaryKey)
            """
        return try !fetchAll(sql, others.map(\.value) + [key]).isEmpty
    }

    /// Inserts the record, or replaces the row that has its primary key.
    func save<Record: SQLRecord>(_ record: Record) throws {
        let columns = try record.columnValues()
        let others = columns.filter { $0.name != Record.primaryKey }
        let conflict =
            others.isEmpty
            ? "DO NOTHING"
            : "DO UPDATE SET " + others.map { "\($0.name) = excluded.\($0.name)" }.joined(separator: ", ")
        let sql = Self.insertStatement(Record.tableName, columns) + " ON CONFLICT (\(Record.primaryKey)) \(conflict)"
        try execute(sql, columns.map(\.value))
    }

    /// Deletes the row whose primary key is `key`. Returns false if there was none.
    @discardableResult
    func delete<Record: SQLRecord>(_ type: Record.Type, key: some SQLValueConvertible) throws -> Bool {
        let sql = "DELETE FROM \(Record.tableName) WHERE \(Record.primaryKey) = ? RETURNING \(Record.primaryKey)"
        return try !fetchAll(sql, [key.sqlValue]).isEmpty
    }

    private static func insertStatement(_ table: String, _ columns: [(name: String, value: SQLValue)]) -> String {
        if columns.isEmpty { return "INSERT INTO \(table) DEFAULT VALUES" }
        let names = columns.map(\.name).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT INTO \(table) (\(names)) VALUES (\(placeholders))"
    }
}
