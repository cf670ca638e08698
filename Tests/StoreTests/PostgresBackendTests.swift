import Foundation
import Testing

@testable import Store

/// The PostgreSQL backend against a real server (scripts/test-postgres starts a private one): values, placeholders,
/// transactions, errors, retries, migrations, reconnection, and the records' SQL.
@Suite(.needsPostgres, .disabled(if: TestStoreBackend.isPostgres, "runs once, in the first pass"))
struct PostgresBackendTests {
    /// A backend on an empty database of its own, dropped after `body`.
    func withEmptyDatabase<T>(_ body: (PostgresBackend, PostgresURL) async throws -> T) async throws -> T {
        let server = try TestPostgres.shared.get()
        let url = try server.makeEmptyDatabase()
        defer { server.drop(url) }
        let backend = PostgresBackend(url: url, password: nil)
        defer { backend.closeNow() }
        return try await body(backend, url)
    }

    /// A backend on a migrated database of its own.
    func migratedBackend() throws -> PostgresBackend {
        let database = try TestPostgres.shared.get().makeDatabase()
        return try #require(database.backend as? PostgresBackend)
    }

    // MARK: - Values and statements

    @Test func everyValueComesBackAsItWasBound() async throws {
        try await withEmptyDatabase { backend, _ in
            let values: [SQLValue] = [
                .null, .integer(0), .integer(-1), .integer(.max), .integer(.min), .real(0.5), .real(-1e300),
                .text(""), .text("Grüße ☎ 'quoted' \"double\" ? $1"), .blob([]), .blob([0, 1, 0x7F, 0x80, 0xFF]),
            ]
            try await backend.write { db in
                try db.execute(
                    "CREATE TABLE value (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)"
                )
                for (id, value) in values.enumerated() {
                    let column =
                        switch value {
                        case .null, .integer: "i"
                        case .real: "r"
                        case .text: "t"
                        case .blob: "b"
                        }
                    try db.execute("INSERT INTO value (id, \(column)) VALUES (?, ?)", [.integer(Int64(id)), value])
                }
            }
            let rows = try await backend.read { db in
                try db.fetchAll("SELECT i, r, t, b FROM value ORDER BY id")
            }
            #expect(rows.count == values.count)
            for (row, value) in zip(rows, values) {
                let read = row.values.first { $0 != .null } ?? .null
                #expect(read == value)
            }
        }
    }

    @Test func columnsAreReadByTheirType() async throws {
        try await withEmptyDatabase { backend, _ in
            let row = try #require(
                try await backend.write { db in
                    try db.execute("CREATE EXTENSION IF NOT EXISTS citext")
                    return try db.fetchOne(
                        """
                        SELECT CAST(7 AS SMALLINT) AS small, CAST(8 AS INTEGER) AS int4, true AS yes, false AS no,
                            CAST(1.5 AS REAL) AS float4, SUM(x) AS total, CAST('Mixed' AS CITEXT) AS name,
                            CAST('a' AS VARCHAR) AS varchar, NULL AS nothing
                        FROM (VALUES (CAST(9000000000 AS BIGINT)), (1)) AS numbers(x)
                        """
                    )
                }
            )
            #expect(row["small"] == .integer(7))
            #expect(row["int4"] == .integer(8))
            #expect(row["yes"] == .integer(1))
            #expect(row["no"] == .integer(0))
            #expect(row["float4"] == .real(1.5))
            // SUM of BIGINT is NUMERIC: text, which reads back as an integer.
            #expect(row["total"] == .text("9000000001"))
            #expect(try row.get("total", as: Int64.self) == 9_000_000_001)
            #expect(row["name"] == .text("Mixed"))
            #expect(row["varchar"] == .text("a"))
            #expect(row["nothing"] == .null)
        }
    }

    @Test func questionMarksInQuotesAreNotPlaceholders() async throws {
        #expect(
            numberingPlaceholders("SELECT '?', \"a?\" FROM t WHERE x = ? AND y = ?")
                == "SELECT '?', \"a?\" FROM t WHERE x = $1 AND y = $2"
        )
        try await withEmptyDatabase { backend, _ in
            let row = try #require(
                try await backend.read { db in
                    try db.fetchOne("SELECT '?' AS literal, CAST(? AS BIGINT) AS first, ? AS second", 5, "six")
                }
            )
            #expect(row["literal"] == .text("?"))
            #expect(row["first"] == .integer(5))
            #expect(row["second"] == .text("six"))
        }
    }

    /// Text is bound untyped, so a CITEXT column compares without regard to case, as SQLite's NOCASE does.
    @Test func namesCompareWithoutRegardToCase() async throws {
        let backend = try migratedBackend()
        try await backend.write { db in try db.execute("INSERT INTO device (name) VALUES (?)", "SEP00AABBCCDDEE") }
        let found = try await backend.read { db in
            try db.fetchValue(String.self, "SELECT name FROM device WHERE name = ?", "sep00aabbccddee")
        }
        #expect(found == "SEP00AABBCCDDEE")
    }

    // MARK: - Transactions

    @Test func aWriteThatThrowsLeavesNothing() async throws {
        let backend = try migratedBackend()
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await backend.write { db in
                try db.execute("INSERT INTO line (number) VALUES (?)", "1001")
                throw Refused()
            }
        }
        try await backend.write { db in try db.execute("INSERT INTO line (number) VALUES (?)", "1002") }
        let numbers = try await backend.read { db in
            try db.fetchColumn(String.self, "SELECT number FROM line ORDER BY number")
        }
        #expect(numbers == ["1002"])
    }

    /// A body that catches a failed statement and goes on cannot commit: PostgreSQL rolled the transaction back.
    @Test func aBodyThatSwallowsAFailureDoesNotCommit() async throws {
        let backend = try migratedBackend()
        try await backend.write { db in try db.execute("INSERT INTO line (number) VALUES (?)", "1001") }
        let error = await #expect(throws: SQLError.self) {
            try await backend.write { db in
                try db.execute("INSERT INTO line (number) VALUES (?)", "1002")
                _ = try? db.execute("INSERT INTO line (number) VALUES (?)", "1001")
            }
        }
        #expect(error?.kind == .constraint)
        let count = try await backend.read { db in try db.fetchCount("SELECT COUNT(*) FROM line") }
        #expect(count == 1)
    }

    @Test func afterCommitActionsRunInCommitOrderAndNeverAfterARollback() async throws {
        let backend = try migratedBackend()
        let log = Log()
        for index in 1...5 {
            try await backend.write { db in
                try db.execute("INSERT INTO line (number) VALUES (?)", "\(1000 + index)")
                db.afterCommit { log.append("\(index)a") }
                db.afterCommit { log.append("\(index)b") }
            }
            #expect(log.entries.last == "\(index)b", "the action ran before the write returned")
        }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await backend.write { db in
                db.afterCommit { log.append("rolled back") }
                throw Refused()
            }
        }
        await #expect(throws: SQLError.self) {
            try await backend.write { db in
                db.afterCommit { log.append("constraint") }
                try db.execute("INSERT INTO line (number) VALUES (?)", "1001")
            }
        }
        try await backend.write { db in db.afterCommit { log.append("last") } }
        #expect(log.entries == ["1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b", "last"])
    }

    @Test func brokenRulesAreConstraintErrors() async throws {
        let backend = try migratedBackend()
        try await backend.write { db in try db.execute("INSERT INTO line (number) VALUES (?)", "1001") }
        let statements: [(String, [SQLValue])] = [
            ("INSERT INTO line (number) VALUES (?)", [.text("1001")]),  // UNIQUE
            ("INSERT INTO line (number, displayName) VALUES (?, NULL)", [.text("1002")]),  // NOT NULL
            ("INSERT INTO line (number, maxCalls) VALUES (?, 0)", [.text("1003")]),  // CHECK
            ("INSERT INTO lineAppearance (deviceId, lineId, position) VALUES (99, 99, 1)", []),  // FOREIGN KEY
        ]
        for (sql, arguments) in statements {
            let error = await #expect(throws: SQLError.self) {
                try await backend.write { db in try db.execute(sql, arguments) }
            }
            #expect(error?.kind == .constraint, "\(sql)")
        }
        let other = await #expect(throws: SQLError.self) {
            try await backend.write { db in try db.execute("SELECT nonsense FROM nowhere") }
        }
        #expect(other?.kind == .other)
        #expect(other?.message.contains("nowhere") == true)
    }

    /// Two writers (two nodes) update one row: the one whose snapshot is stale is refused with SQLSTATE 40001 and
    /// runs again, and only the attempt that committed runs its afterCommit actions.
    @Test func aSerializationFailureIsRetried() async throws {
        let server = try TestPostgres.shared.get()
        let database = try server.makeDatabase()
        let nodeA = try #require(database.backend as? PostgresBackend)
        let nodeB = PostgresBackend(url: nodeA.url, password: nil)
        defer { nodeB.closeNow() }
        try await nodeA.write { db in try db.execute("INSERT INTO line (number, maxCalls) VALUES ('1001', 2)") }
        let attempts = Log()
        let actions = Log()
        try await nodeA.write { db in
            attempts.append("attempt")
            let maxCalls = try db.fetchValue(Int.self, "SELECT maxCalls FROM line WHERE number = '1001'") ?? 0
            db.afterCommit { actions.append("committed with \(maxCalls)") }
            if attempts.entries.count == 1 {
                // Node B commits a change to the same row after A's snapshot was taken.
                try nodeB.writeNow { other in
                    try other.execute("UPDATE line SET maxCalls = 5, busyTrigger = 5 WHERE number = '1001'")
                }
            }
            try db.execute("UPDATE line SET maxCalls = ? WHERE number = '1001'", maxCalls + 1)
        }
        #expect(attempts.entries.count == 2)
        #expect(actions.entries == ["committed with 5"])
        let maxCalls = try await nodeA.read { db in
            try db.fetchValue(Int.self, "SELECT maxCalls FROM line WHERE number = '1001'")
        }
        #expect(maxCalls == 6)
    }

    /// After the server ends a connection (an administrator, a restart), the next transaction makes a new one.
    @Test func aLostConnectionIsReplacedOnTheNextUse() async throws {
        let backend = try migratedBackend()
        let server = try TestPostgres.shared.get()
        let writerPID = try await backend.write { db in try db.fetchValue(Int64.self, "SELECT pg_backend_pid()") }
        let readerPID = try await backend.read { db in try db.fetchValue(Int64.self, "SELECT pg_backend_pid()") }
        for pid in [writerPID, readerPID] {
            let ended = try server.admin.withoutTransaction { db in
                try db.fetchValue(Int.self, "SELECT CAST(pg_terminate_backend(CAST(? AS INTEGER)) AS INTEGER)", pid)
            }
            #expect(ended == 1)
        }
        let newWriterPID = try await backend.write { db in
            try db.execute("INSERT INTO line (number) VALUES ('1001')")
            return try db.fetchValue(Int64.self, "SELECT pg_backend_pid()")
        }
        let (newReaderPID, count) = try await backend.read { db in
            (
                try db.fetchValue(Int64.self, "SELECT pg_backend_pid()"),
                try db.fetchCount("SELECT COUNT(*) FROM line")
            )
        }
        #expect(newWriterPID != writerPID)
        #expect(newReaderPID != readerPID)
        #expect(count == 1)
    }

    // MARK: - Migrations

    @Test func migratingTwiceChangesNothing() async throws {
        try await withEmptyDatabase { backend, _ in
            try await StrowgerDatabase.migrate(backend)
            let first = try await Self.appliedMigrations(backend)
            try await StrowgerDatabase.migrate(backend)
            let second = try await Self.appliedMigrations(backend)
            #expect(first == StrowgerDatabase.migrations.map(\.identifier).sorted())
            #expect(second == first)
            // The data steps ran once: one settings row, one built-in music source.
            let counts = try await backend.read { db in
                (
                    try db.fetchCount("SELECT COUNT(*) FROM settings"),
                    try db.fetchCount("SELECT COUNT(*) FROM musicSource")
                )
            }
            #expect(counts == (1, 1))
        }
    }

    /// Two nodes start at once against a new database: one migrates, the other waits for it and finds nothing to do.
    @Test func twoNodesStartingAtOnceMigrateOnce() async throws {
        try await withEmptyDatabase { backend, url in
            let other = PostgresBackend(url: url, password: nil)
            defer { other.closeNow() }
            async let first: Void = StrowgerDatabase.migrate(backend)
            async let second: Void = StrowgerDatabase.migrate(other)
            _ = try await (first, second)
            #expect(try await Self.appliedMigrations(backend) == StrowgerDatabase.migrations.map(\.identifier).sorted())
            let settings = try await backend.read { db in try db.fetchCount("SELECT COUNT(*) FROM settings") }
            #expect(settings == 1)
        }
    }

    @Test func aDatabaseMigratedByANewerStrowgerIsRefused() async throws {
        try await withEmptyDatabase { backend, url in
            try await StrowgerDatabase.migrate(backend)
            try await backend.write { db in
                try db.execute("INSERT INTO strowgerMigration (identifier, appliedAt) VALUES ('fromTheFuture', 0)")
            }
            let error = await #expect(throws: StoreError.self) {
                _ = try await StrowgerDatabase.postgres(url: url, password: nil)
            }
            #expect(error?.code == .database)
            #expect(error?.message.contains("newer version of Strowger") == true)
        }
    }

    /// The migrated PostgreSQL schema has the tables, columns, NOT NULLs and named indexes of SQLite's.
    @Test func theSchemaMatchesSQLites() async throws {
        let sqlite = try StrowgerDatabase.inMemory()
        let expected = try await sqlite.backend.read { db in try Self.shape(db) }
        let postgres = try migratedBackend()
        let actual = try await postgres.read { db in try Self.shape(db) }
        #expect(actual == expected)
    }

    static func shape(_ db: any SQLConnection) throws -> [String] {
        switch db.dialect {
        case .sqlite:
            let tables = try db.fetchColumn(
                String.self,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'"
            )
            var shape: [String] = []
            for table in tables {
                for row in try db.fetchAll("SELECT name, \"notnull\", pk FROM pragma_table_info(?)", table) {
                    let notNull = try row.get(1, as: Bool.self) || row.get(2, as: Int.self) > 0
                    shape.append("\(table.lowercased()).\(try row.get(0, as: String.self).lowercased()) \(notNull)")
                }
                for index in try db.fetchColumn(String.self, "SELECT name FROM pragma_index_list(?)", table)
                where !index.hasPrefix("sqlite_") {
                    shape.append("index \(index.lowercased())")
                }
            }
            return shape.sorted()
        case .postgres:
            var shape = try db.fetchAll(
                """
                SELECT table_name, column_name, is_nullable FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> 'strowgermigration'
                """
            ).map { row in
                "\(try row.get(0, as: String.self)).\(try row.get(1, as: String.self)) \(try row.get(2, as: String.self) == "NO")"
            }
            shape += try db.fetchColumn(
                String.self,
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE '%\\_on\\_%'"
            ).map { "index \($0)" }
            return shape.sorted()
        }
    }

    static func appliedMigrations(_ backend: PostgresBackend) async throws -> [String] {
        try await backend.read { db in
            try db.fetchColumn(String.self, "SELECT identifier FROM strowgerMigration ORDER BY identifier")
        }
    }

    // MARK: - Records

    /// A record goes in and comes back through insert, find, update, save and delete, with every kind of column:
    /// text, optional integers, Booleans, enums, JSON lists, bytes and dates.
    @Test func recordsRoundTrip() async throws {
        let backend = try migratedBackend()
        let created = Date(timeIntervalSince1970: 1_700_000_000.123)
        try await backend.write { db in
            var token = AdminTokenRecord(
                name: "ci",
                salt: Data([0, 1, 2]),
                hash: Data(repeating: 0xAB, count: 32),
                createdAt: created
            )
            try db.insert(&token)
            let id = try #require(token.id)
            #expect(try db.find(AdminTokenRecord.self, key: id) == token)

            var user = UserRecord(name: "Alice", displayName: "Alice Liddell", capabilities: [.voice, .video])
            user.presenceAllowList = ["bob", "carol"]
            try db.insert(&user)
            #expect(try db.find(UserRecord.self, key: try #require(user.id)) == user)
            user.displayName = "Alice L."
            #expect(try db.update(user))

            var device = DeviceRecord(
                name: "SEP00AABBCCDDEE",
                ownerID: user.id,
                maxProtocolVersion: 17,
                isAutoRegistered: true
            )
            try db.insert(&device)
            #expect(
                try db.fetchOne(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", "sep00aabbccddee") == device
            )

            let trunk = TrunkRecord(name: "carrier", host: "sip.example.net", port: 5061, transport: .tls)
            try db.insert(trunk)
            var changed = trunk
            changed.maxCalls = 10
            try db.save(changed)
            #expect(try db.find(TrunkRecord.self, key: "CARRIER") == changed)
            try db.save(CallManagerGroupRecord(name: "Berlin", members: [.init(host: "192.0.2.10")]))
            #expect(try db.find(CallManagerGroupRecord.self, key: "berlin")?.members.map(\.host) == ["192.0.2.10"])

            #expect(try db.delete(DeviceRecord.self, key: try #require(device.id)))
            #expect(try !db.delete(DeviceRecord.self, key: try #require(device.id)))
            #expect(try !db.update(DeviceRecord(id: 999, name: "SEP000000000999")))
        }
        let users = try await backend.read { db in try db.fetchAll(UserRecord.self, orderBy: "id") }
        #expect(users.map(\.displayName) == ["Alice L."])
        #expect(users.first?.presenceAllowList == ["bob", "carol"])
    }
}

/// A list that tests append to from any thread.
final class Log: Sendable {
    private let state = LockedState<[String]>([])

    func append(_ entry: String) {
        state.withLock { $0.append(entry) }
    }

    var entries: [String] { state.withLock { $0 } }
}
