import Foundation
import GRDB
import Testing

@testable import Store

/// The migrations, rewritten as SQL for both backends, make on SQLite the schema GRDB's DSL made: a file created
/// today is the same as one created before, and an old file needs no migration (the identifiers are unchanged).
@Suite(.sqliteOnly) struct MigrationEquivalenceTests {
    /// What a table is made of, as SQLite describes it.
    struct TableShape: Equatable, CustomStringConvertible {
        var columns: [String]
        var indexes: Set<String>
        var foreignKeys: Set<String>
        var checks: [String]

        var description: String {
            "columns \(columns)\nindexes \(indexes.sorted())\nforeign keys \(foreignKeys.sorted())\nchecks \(checks)"
        }
    }

    @Test func aNewDatabaseHasTheSchemaTheGRDBMigrationsMade() throws {
        let legacy = try DatabaseQueue()
        try legacy.write { db in
            for statement in LegacySchema.statements { try db.execute(sql: statement) }
        }
        // The history as it stood when the legacy schema was captured; later migrations are new SQL only.
        let current = try DatabaseQueue(configuration: StrowgerDatabase.makeConfiguration())
        try StrowgerDatabase.migrator.migrate(current, upTo: "addClusterNodes")

        let before = try legacy.read(Self.shapes)
        let after = try current.read(Self.shapes)
        #expect(before.keys.sorted() == after.keys.sorted())
        #expect(before.count == 22)
        #expect(before["routePattern"]?.checks.count == 1 && before["routePattern"]?.foreignKeys.count == 1)
        for (table, shape) in before {
            #expect(after[table] == shape, "table \(table)")
        }
    }

    /// The same identifiers as before, in the same order, then the ones added since: GRDB finds an old file up to
    /// date as far as it goes.
    @Test func theMigrationIdentifiersAreTheOnesOldFilesRecorded() {
        #expect(
            StrowgerDatabase.migrator.migrations.prefix(17) == [
                "createConfigurationTables", "createCallDetailRecordTable", "addDeviceSecurity", "addPresencePrivacy",
                "addCallManagerGroups", "addProvisioningSettings", "addSIPTrunks", "addMediaServices",
                "addCallFeatures", "addCallRecordRedirects", "canonicalizeDeviceNames", "addDeviceLastRegistered",
                "addPhoneModels", "addWebAdministration", "addSoftkeyTemplates", "addSIPCalls", "addClusterNodes",
            ]
        )
    }

    static func shapes(_ db: Database) throws -> [String: TableShape] {
        let tables = try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """
        )
        var shapes: [String: TableShape] = [:]
        for table in tables {
            let name: String = table["name"]
            let quoted = name.quotedDatabaseIdentifier
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(quoted))").map { row in
                let cid: Int = row["cid"]
                let column: String = row["name"]
                let type: String = row["type"]
                let notNull: Bool = row["notnull"]
                let value: String? = row["dflt_value"]
                let primaryKey: Int = row["pk"]
                return "\(cid) \(column) \(type) notnull=\(notNull) default=\(value ?? "-") pk=\(primaryKey)"
            }
            var indexes: Set<String> = []
            for index in try Row.fetchAll(db, sql: "PRAGMA index_list(\(quoted))") {
                let indexName: String = index["name"]
                let unique: Bool = index["unique"]
                let origin: String = index["origin"]
                let partial: Bool = index["partial"]
                let indexColumns = try String.fetchAll(
                    db,
                    sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno",
                    arguments: [indexName]
                )
                // SQLite names the indexes of UNIQUE constraints itself, by position: only created ones keep theirs.
                let shownName = origin == "c" ? indexName : "(\(origin))"
                indexes.insert("\(shownName) unique=\(unique) partial=\(partial) \(indexColumns)")
            }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(quoted))").map { row in
                let parent: String = row["table"]
                let from: String = row["from"]
                let to: String? = row["to"]
                let onUpdate: String = row["on_update"]
                let onDelete: String = row["on_delete"]
                return "\(from) -> \(parent)(\(to ?? "-")) update=\(onUpdate) delete=\(onDelete)"
            }
            let sql: String = table["sql"]
            shapes[name] = TableShape(
                columns: columns,
                indexes: indexes,
                foreignKeys: Set(foreignKeys),
                checks: checks(in: sql).sorted()
            )
        }
        return shapes
    }

    /// The CHECK constraints in a CREATE TABLE statement, with quotes and spacing evened out.
    static func checks(in sql: String) -> [String] {
        var checks: [String] = []
        var rest = Substring(sql)
        while let found = rest.range(of: "CHECK", options: .caseInsensitive) {
            var depth = 0
            var text = ""
            var index = found.upperBound
            scan: while index < rest.endIndex {
                let character = rest[index]
                if character == "(" { depth += 1 }
                if depth > 0 { text.append(character) }
                if character == ")" {
                    depth -= 1
                    if depth == 0 { break scan }
                }
                index = rest.index(after: index)
            }
            let normalized = text.replacingOccurrences(of: "\"", with: "")
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
            checks.append(normalized)
            rest = index < rest.endIndex ? rest[rest.index(after: index)...] : ""
        }
        return checks
    }
}
