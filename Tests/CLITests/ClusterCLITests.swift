import CallControl
import Foundation
import Store
import StrowgerApp
import Testing
import ToolSupport

/// `strowger cluster init`, run as the built binary against the test PostgreSQL server (scripts/test-postgres), with
/// the database made and read by PostgreSQL's own tools (createdb, psql) as the README tells an administrator to.
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["STROWGER_TEST_POSTGRES_URL"] != nil,
        "STROWGER_TEST_POSTGRES_URL is not set (scripts/test runs the tests under scripts/test-postgres)"
    )
)
struct ClusterCLITests {
    /// The test server's address, user and administration database.
    static func server() throws -> PostgresURL {
        try PostgresURL(parsing: ProcessInfo.processInfo.environment["STROWGER_TEST_POSTGRES_URL"] ?? "")
    }

    /// `createdb -T template0 --locale=C.UTF-8 NAME`, as the README says; the database's URL.
    static func createDatabase() async throws -> PostgresURL {
        let server = try server()
        let name = "strowger_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let result = try await ToolProcess.run(
            ["createdb", "-h", server.host, "-p", String(server.port), "-U", server.user]
                + ["-T", "template0", "--locale=C.UTF-8", name]
        )
        #expect(result.status == 0, "createdb: \(result.standardErrorText)")
        return server.with(database: name)
    }

    static func dropDatabase(_ url: PostgresURL) async throws {
        _ = try await ToolProcess.run(
            ["dropdb", "-h", url.host, "-p", String(url.port), "-U", url.user, "--force", "--if-exists", url.database]
        )
    }

    /// One value from `psql -At -c SQL`.
    static func psql(_ url: PostgresURL, _ sql: String) async throws -> String {
        let result = try await ToolProcess.run(
            ["psql", "-h", url.host, "-p", String(url.port), "-U", url.user, "-d", url.database, "-At", "-c", sql]
        )
        #expect(result.status == 0, "psql: \(result.standardErrorText)")
        return result.standardOutputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A node's data directory with a store: two phones on three lines, a hunt group, a route pattern, a node,
    /// call records.
    static func seededDataDirectory() async throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-cluster-init-\(UUID().uuidString)", isDirectory: true)
        let store = Store(database: try StrowgerDatabase(directory: directory))
        for number in ["1001", "1002", "1003"] { try await store.insert(LineRecord(number: number)) }
        for (name, lines) in [("SEP0000000000A1", ["1001", "1003"]), ("SEP0000000000A2", ["1002"])] {
            try await store.save(DeviceRecord(name: name), lines: lines, speedDials: nil)
        }
        try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["1001", "1002"])
        try await store.insert(RoutePatternRecord(pattern: "9.!", target: .number("1003")))
        try await store.add(NodeRecord(name: "cm1", address: "192.0.2.11"))
        var records: [CallRecord] = []
        for index in 0..<25 {
            let setup = 1_700_000_000_000 + Int64(index) * 1_000
            records.append(
                CallRecord(
                    callingDevice: DeviceName("SEP0000000000A1"),
                    callingNumber: DirectoryNumber("1001"),
                    callingReference: CallReference(UInt32(index + 1)),
                    dialedNumber: "1002",
                    calledNumber: DirectoryNumber("1002"),
                    calledDevice: DeviceName("SEP0000000000A2"),
                    calledReference: CallReference(UInt32(index + 1_000)),
                    setupTime: .milliseconds(setup),
                    answerTime: .milliseconds(setup + 2_000),
                    endTime: .milliseconds(setup + 60_000),
                    endCause: .normalClearing,
                    releasedBy: .caller,
                    codec: .g711ulaw
                )
            )
        }
        try await store.insertCallRecords(records)
        return directory
    }

    @Test func initCopiesANodesStoreIntoANewDatabase() async throws {
        let directory = try await Self.seededDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await Self.createDatabase()
        let url = database.description

        let result = try await CLIHarness.run(["cluster", "init", "--data-dir", directory.path, "--database", url])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        #expect(lines.first == ["Table", "SQLite", "PostgreSQL"], "\(result.stdout)")
        #expect(lines.contains(["device", "2", "2"]), "\(result.stdout)")
        #expect(lines.contains(["line", "3", "3"]), "\(result.stdout)")
        #expect(lines.contains(["lineAppearance", "3", "3"]), "\(result.stdout)")
        #expect(lines.contains(["callDetailRecord", "25", "25"]), "\(result.stdout)")
        #expect(result.stdout.contains("every table's count matches"), "\(result.stdout)")
        #expect(result.stdout.contains("Not copied: changeLog"), "\(result.stdout)")

        // PostgreSQL's own client sees the rows, ids kept; a Store on PostgreSQL shows the same configuration.
        #expect(try await Self.psql(database, "SELECT count(*) FROM callDetailRecord") == "25")
        #expect(
            try await Self.psql(database, "SELECT string_agg(number, ',' ORDER BY id) FROM line") == "1001,1002,1003"
        )
        let copy = Store(database: try await StrowgerDatabase.postgres(url: database, password: nil))
        #expect(try await copy.devices().map(\.name) == ["SEP0000000000A1", "SEP0000000000A2"])
        #expect(try await copy.directory().devices["SEP0000000000A1"]?.lines == ["1001", "1003"])
        #expect(try await copy.huntGroupDetails().map(\.members) == [["1001", "1002"]])
        #expect(try await copy.nodes().map(\.name) == ["cm1"])
        let line = try await copy.insert(LineRecord(number: "1004"))
        #expect(line.id == 4)

        // A second run finds configuration there and copies nothing.
        let again = try await CLIHarness.run(["cluster", "init", "--data-dir", directory.path, "--database", url])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds configuration"), "\(again.stderr)")
        #expect(again.stderr.contains("nothing was copied"), "\(again.stderr)")
        #expect(try await Self.psql(database, "SELECT count(*) FROM callDetailRecord") == "25")
        try await Self.dropDatabase(database)
    }

    @Test func initRefusesWhileTheNodesServerHoldsItsDataDirectory() async throws {
        let directory = try await Self.seededDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await Self.createDatabase()
        let lock = try DataDirectoryLock.acquire(in: directory, purpose: "test")
        let refused = try await CLIHarness.run(
            ["cluster", "init", "--data-dir", directory.path, "--database", database.description]
        )
        lock.release()
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("a Strowger server is using the data directory"), "\(refused.stderr)")
        #expect(refused.stderr.contains("stop it before you copy its database"), "\(refused.stderr)")
        // Nothing was created in the database.
        #expect(try await Self.psql(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'device'") == "0")
        try await Self.dropDatabase(database)
    }

    @Test func badArgumentsAndUnreachableDatabasesGetSpecificErrors() async throws {
        let directory = try await Self.seededDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Self.server()
        func failure(_ arguments: [String]) async throws -> String {
            let result = try await CLIHarness.run(["cluster", "init"] + arguments)
            #expect(result.status != 0, "\(arguments) succeeded: \(result.stdout)")
            return result.stderr
        }
        var error = try await failure(["--data-dir", directory.path, "--database", "mysql://root@db/strowger"])
        #expect(error.contains("expected postgres://USER@HOST[:PORT]/DATABASE"), "\(error)")
        error = try await failure(["--data-dir", directory.path, "--database", "postgres://strowger:pw@db/strowger"])
        #expect(error.contains("not in the URL"), "\(error)")
        #expect(!error.contains("pw@"), "\(error)")
        error = try await failure(
            [
                "--data-dir", directory.path, "--database", server.description, "--database-password-file",
                "/nonexistent",
            ]
        )
        #expect(error.contains("cannot read the database password file /nonexistent"), "\(error)")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-empty-\(UUID().uuidString)")
        error = try await failure(["--data-dir", empty.path, "--database", server.description])
        #expect(error.contains("there is no Strowger database in"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: empty.path))

        // A port nobody listens on (bound, then released) and a database that does not exist.
        var closed = server
        closed.port = try await Self.unusedPort()
        error = try await failure(["--data-dir", directory.path, "--database", closed.description])
        #expect(error.contains("cannot open the cluster database"), "\(error)")
        #expect(error.contains("127.0.0.1:\(closed.port)"), "\(error)")
        error = try await failure(
            ["--data-dir", directory.path, "--database", server.with(database: "strowger_missing").description]
        )
        #expect(error.contains("cannot open the cluster database"), "\(error)")
        #expect(error.contains("strowger_missing"), "\(error)")
    }

    /// A TCP port that was free a moment ago.
    static func unusedPort() async throws -> Int {
        let result = try await ToolProcess.run(
            [
                "python3", "-c",
                "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
            ]
        )
        return try #require(Int(result.standardOutputText.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
