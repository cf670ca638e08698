import Foundation
import GRDB

/// Copies a whole single-node store (SQLite) into another database, normally the PostgreSQL database a cluster will
/// share: what `strowger cluster init` does (issue 19, item 5).
///
/// Every table's rows are copied as they are, columns and ids included (so that every reference between rows still
/// holds), parents before children, in **one transaction on the target**: either everything is copied or nothing.
/// On PostgreSQL the identity of each table is then moved past the copied ids, so that the next row inserted gets a
/// new one. Last, each table's rows are counted on both sides; any difference rolls the whole copy back.
///
/// The target must hold no configuration: only what its migrations wrote (the settings row and the built-in music
/// source), which the source's rows replace. The source is read in one read transaction, so the copy is one
/// consistent state of it; the caller keeps its server stopped meanwhile (the CLI holds the data directory's lock).
public enum StoreCopy {
    /// A table that is copied.
    public struct Table: Sendable, Hashable {
        /// The table's name as the migrations spell it.
        public let name: String
        /// An SQL condition selecting the rows the migrations themselves write (nil: none). On the target they are
        /// not configuration, so they do not make it "not empty"; they are deleted before the source's rows are
        /// copied, so that the source's take their place.
        let migratedRows: String?

        init(_ name: String, migratedRows: String? = nil) {
            self.name = name
            self.migratedRows = migratedRows
        }
    }

    /// A table that is left out of the copy, and why.
    public struct SkippedTable: Sendable, Hashable {
        public let name: String
        public let reason: String
    }

    /// One table's rows in the source and in the target after the copy (equal when the copy succeeded).
    public struct TableCount: Sendable, Hashable, Codable {
        public let table: String
        public let source: Int
        public let target: Int
    }

    /// Every table that is copied, each after the tables it refers to (foreign keys are checked per statement on
    /// PostgreSQL). Together with ``skippedTables`` these are all the tables the migrations create; a test keeps it
    /// so (StoreCopyTests), so a new table cannot be forgotten here.
    public static let tables: [Table] = [
        // The one settings row: always there after the migrations; the source's replaces it.
        Table("settings", migratedRows: "1 = 1"),
        // The built-in source is written by the migration addMediaServices; the source has its own.
        Table("musicSource", migratedRows: "isBuiltIn = 1"),
        Table("softkeyTemplate"),
        Table("callManagerGroup"),
        Table("phoneModel"),
        Table("user"),
        Table("device"),
        Table("line"),
        Table("lineAppearance"),
        Table("speedDial"),
        Table("trunk"),
        Table("routePattern"),
        Table("huntGroup"),
        Table("huntGroupMember"),
        Table("pickupGroup"),
        Table("pickupGroupMember"),
        Table("meetMeRange"),
        Table("adminToken"),
        Table("webAccount"),
        Table("node"),
        Table("callDetailRecord"),
    ]

    /// The tables that are not copied.
    public static let skippedTables: [SkippedTable] = [
        SkippedTable(
            name: "changeLog",
            reason: "one database's own history of writes, for the nodes that follow it; the copy is one entry in the"
                + " target's"
        ),
        SkippedTable(
            name: "webSession",
            reason: "browsers signed in to the web administration; they sign in again"
        ),
    ]

    /// The name the copy writes in the target's change log (so that a node already following the target reads the
    /// whole directory again).
    static let changeLogNode = "cluster-init"

    /// Copies `source` (a SQLite store) into `target` and returns each table's counts. Throws
    /// ``StoreError/Code/conflict`` if the target already holds configuration, ``StoreError/Code/database`` if the
    /// counts differ after the copy or a database fails; the target is then as it was.
    public static func copy(from source: StrowgerDatabase, to target: StrowgerDatabase) async throws -> [TableCount] {
        guard let reader = source.sqliteWriter else {
            throw StoreError.invalidValue("source", "the copy reads a node's SQLite store; this source is PostgreSQL")
        }
        let tables = Self.tables
        return try await Store.mappingErrors {
            try await target.backend.write { db in
                // Read synchronously on the target's transaction thread (a backend's own queue, never a cooperative
                // thread): one snapshot of the source for the whole copy.
                try reader.read { sqlite in try copy(tables, from: sqlite, to: db) }
            }
        }
    }

    /// The copy inside the target's transaction and the source's read transaction.
    static func copy(
        _ tables: [Table],
        from source: any SQLConnection,
        to target: any SQLConnection
    ) throws -> [TableCount] {
        try refuseConfigured(target, tables)
        for table in tables {
            if let migratedRows = table.migratedRows {
                try target.execute("DELETE FROM \(quoted(table.name, target.dialect)) WHERE \(migratedRows)")
            }
            try copyRows(of: table.name, from: source, to: target)
        }
        if target.dialect == .postgres {
            for table in tables { try continueIdentities(of: table.name, target) }
        }
        var counts: [TableCount] = []
        for table in tables {
            counts.append(
                TableCount(
                    table: table.name,
                    source: try source.fetchCount("SELECT COUNT(*) FROM \(quoted(table.name, source.dialect))"),
                    target: try target.fetchCount("SELECT COUNT(*) FROM \(quoted(table.name, target.dialect))")
                )
            )
        }
        let differing = counts.filter { $0.source != $0.target }
        guard differing.isEmpty else {
            let list = differing.map { "\($0.table) \($0.source) in the source, \($0.target) in the target" }
            throw StoreError.database(
                "the row counts differ after the copy (\(list.joined(separator: "; "))); nothing was copied"
            )
        }
        try Store.appendToChangeLog(target, node: changeLogNode)
        return counts
    }

    /// Throws ``StoreError/Code/conflict`` naming the tables of `target` that hold rows other than the migrations'.
    static func refuseConfigured(_ target: any SQLConnection, _ tables: [Table]) throws {
        var configured: [String] = []
        for table in tables {
            let condition = table.migratedRows.map { " WHERE NOT (\($0))" } ?? ""
            let count = try target.fetchCount(
                "SELECT COUNT(*) FROM \(quoted(table.name, target.dialect))\(condition)"
            )
            if count > 0 { configured.append("\(table.name) \(count)") }
        }
        guard configured.isEmpty else {
            throw StoreError.conflict(
                nil,
                "the target database already holds configuration or call records (rows: "
                    + "\(configured.joined(separator: ", "))); copy into a new, empty database"
            )
        }
    }

    /// Copies every row of `table`, all columns, in pages by SQLite's rowid, several rows to an INSERT.
    private static func copyRows(of table: String, from source: any SQLConnection, to target: any SQLConnection) throws
    {
        let columns = try source.fetchAll("PRAGMA table_info(\(quoted(table, .sqlite)))").map {
            try $0.get("name", as: String.self)
        }
        guard !columns.isEmpty else {
            throw StoreError.database("the SQLite store has no table \(table); is it a Strowger database?")
        }
        // Both databases bound the parameters of one statement: PostgreSQL at 65,535, SQLite at 32,766 (999 before
        // 3.32).
        let parameterLimit = target.dialect == .postgres ? 30_000 : 900
        let rowsPerStatement = max(1, parameterLimit / columns.count)
        let select = """
            SELECT rowid, \(columns.map { quoted($0, .sqlite) }.joined(separator: ", ")) \
            FROM \(quoted(table, .sqlite)) WHERE rowid > ? ORDER BY rowid LIMIT \(rowsPerStatement)
            """
        let insert =
            "INSERT INTO \(quoted(table, target.dialect)) "
            + "(\(columns.map { quoted($0, target.dialect) }.joined(separator: ", "))) VALUES "
        let rowPlaceholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var after = Int64.min
        while true {
            let rows = try source.fetchAll(select, after)
            guard let last = rows.last else { return }
            after = try last.get(0, as: Int64.self)
            var arguments: [SQLValue] = []
            arguments.reserveCapacity(rows.count * columns.count)
            for row in rows { arguments += row.values.dropFirst() }
            try target.execute(
                insert + Array(repeating: rowPlaceholders, count: rows.count).joined(separator: ", "),
                arguments
            )
            if rows.count < rowsPerStatement { return }
        }
    }

    /// Moves each identity of `table` on PostgreSQL past the largest id copied (as the migration addSIPTrunks does for
    /// the route patterns it copies): rows inserted with explicit ids leave the identity's sequence where it was.
    private static func continueIdentities(of table: String, _ target: any SQLConnection) throws {
        let name = table.lowercased()
        let columns = try target.fetchColumn(
            String.self,
            """
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'
            """,
            name
        )
        for column in columns {
            _ = try target.fetchAll(
                """
                SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(\(quoted(column, .postgres))), 0) + 1, false)
                FROM \(quoted(table, .postgres))
                """,
                quoted(table, .postgres),
                column
            )
        }
    }

    /// `name` as a quoted identifier: as spelt on SQLite, folded to lower case on PostgreSQL (the migrations' names
    /// are unquoted there, so PostgreSQL keeps them in lower case). Quoted, `user` and `position` are plain names.
    static func quoted(_ name: String, _ dialect: SQLDialect) -> String {
        let spelt = dialect == .postgres ? name.lowercased() : name
        return "\"" + spelt.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
