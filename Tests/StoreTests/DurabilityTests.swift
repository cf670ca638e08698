import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// The file database keeps what it acknowledged: across a clean reopen, and when the process dies without closing
/// it. WAL with `synchronous = FULL` makes every committed transaction durable in the `-wal` file before the write
/// returns; a crash leaves that file behind and the next open recovers from it.
@Suite(.sqliteOnly) struct DurabilityTests {
    @Test func configurationSurvivesReopeningTheFile() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = Store(database: try StrowgerDatabase(directory: directory.url))
            _ = try await DirectoryTests.populate(store)
            try await store.recordAutoRegistration(device: "SEP0000000000AA", number: "3000")
        }
        let reopened = Store(database: try StrowgerDatabase(directory: directory.url))
        var expected = try DirectoryTests.expectedContents()
        expected.devices["SEP0000000000AA"] = DeviceConfiguration(name: "SEP0000000000AA", lines: ["3000"])
        expected.lines["3000"] = LineConfiguration(number: "3000")
        #expect(DirectoryContents(try await reopened.directory()) == expected)
    }

    /// What a `kill -9` leaves: the files as they are at that instant, with no close and no checkpoint. The files
    /// are copied while the first pool is still open and writing, and the copy is opened as a restarted server
    /// would open it.
    @Test func acknowledgedWritesSurviveACrashWithoutClose() async throws {
        let directory = try TemporaryDirectory()
        let crashed = try TemporaryDirectory()
        let store = Store(database: try StrowgerDatabase(directory: directory.url))
        _ = try await DirectoryTests.populate(store)
        try await store.insertCallRecords(CDRWriterTests.records(100))

        // Nothing has been checkpointed into the main file yet: the acknowledged writes live in the WAL.
        let wal = directory.url.appendingPathComponent("strowger.db-wal")
        let walSize = try FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? Int ?? 0
        #expect(walSize > 0)

        for name in ["strowger.db", "strowger.db-wal"] {
            try FileManager.default.copyItem(
                at: directory.url.appendingPathComponent(name),
                to: crashed.url.appendingPathComponent(name)
            )
        }
        let restarted = Store(database: try StrowgerDatabase(directory: crashed.url))
        #expect(DirectoryContents(try await restarted.directory()) == (try DirectoryTests.expectedContents()))
        #expect(try await restarted.callDetailRecordCount() == 100)
        withExtendedLifetime(store) {}
    }

    /// A second connection on the same file, opened while the first is still open (never closed), reads
    /// everything the first acknowledged.
    @Test func aSecondPoolReadsEverythingAcknowledged() async throws {
        let directory = try TemporaryDirectory()
        let first = Store(database: try StrowgerDatabase(directory: directory.url))
        _ = try await DirectoryTests.populate(first)
        try await first.insertCallRecords(CDRWriterTests.records(10))

        let second = Store(database: try StrowgerDatabase(directory: directory.url))
        #expect(DirectoryContents(try await second.directory()) == (try DirectoryTests.expectedContents()))
        #expect(try await second.callDetailRecordCount() == 10)
        withExtendedLifetime(first) {}
    }

    @Test func cdrsWrittenByTheWriterSurviveReopening() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = Store(database: try StrowgerDatabase(directory: directory.url))
            let writer = CDRWriter(store: store, logger: CDRWriterTests.logger)
            for record in CDRWriterTests.records(600) { writer.submit(record) }
            let task = Task { await writer.run() }
            task.cancel()
            await task.value
        }
        let reopened = Store(database: try StrowgerDatabase(directory: directory.url))
        #expect(try await reopened.callDetailRecordCount() == 600)
    }
}

@Suite struct AdminTokenTests {
    @Test(.sqliteOnly) func onlyASaltedHashIsStored() async throws {
        let store = try makeStore()
        let created = try await store.createAdminToken(name: "default")
        #expect(created.secret.count == 64)
        #expect(created.secret.allSatisfy { $0.isHexDigit })
        #expect(created.record.salt.count == 16)
        #expect(created.record.hash.count == 32)

        // The secret appears nowhere in the database.
        let dump = try await store.database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM adminToken").map { row in
                row.databaseValues.map { value -> String in
                    switch value.storage {
                    case .blob(let data):
                        String(decoding: data, as: UTF8.self) + data.map { String($0, radix: 16) }.joined()
                    default: "\(value)"
                    }
                }.joined(separator: "|")
            }.joined()
        }
        #expect(!dump.contains(created.secret))
    }

    @Test func verifiesTheSecretAndNothingElse() async throws {
        let store = try makeStore()
        let first = try await store.createAdminToken(name: "default")
        let second = try await store.createAdminToken(name: "backup")
        #expect(try await store.adminToken(matching: first.secret) == first.record)
        #expect(try await store.adminToken(matching: second.secret) == second.record)
        #expect(try await store.adminToken(matching: String(first.secret.dropLast()) + "x") == nil)
        #expect(try await store.adminToken(matching: "") == nil)
        #expect(first.secret != second.secret)

        try await store.deleteAdminToken(named: "default")
        #expect(try await store.adminToken(matching: first.secret) == nil)
        #expect(try await store.adminTokens().map(\.name) == ["backup"])
    }

    @Test func hashIsSHA256OfSaltThenSecret() {
        // FIPS 180-2 test vector: SHA-256("abc"), here as salt "a" followed by secret "bc".
        let hash = Store.adminTokenHash("bc", salt: Data("a".utf8))
        #expect(
            hash.map { String(format: "%02x", $0) }.joined()
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test func duplicateNamesAreRefused() async throws {
        let store = try makeStore()
        _ = try await store.createAdminToken(name: "default")
        let error = await #expect(throws: StoreError.self) { _ = try await store.createAdminToken(name: "default") }
        #expect(error?.code == .conflict)
        #expect(error?.field == "adminToken.name")
    }
}
