import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// Issue 13's defects as the Store sees them: one spelling per device name, the last registration and pruning, the
/// auto-registration range's usage, file modes, the checkpoint, and backup and restore.
@Suite struct HardeningStoreTests {
    // MARK: - Canonical names (defect 1)

    @Test func everyWriteKeepsTheCanonicalSpelling() async throws {
        let store = Store(database: try makeTestDatabase())
        let inserted = try await store.insert(DeviceRecord(name: "sep00aabbccddee"))
        #expect(inserted.name == "SEP00AABBCCDDEE")
        var renamed = inserted
        renamed.name = "sep00aabbccddff"
        #expect(try await store.update(renamed).name == "SEP00AABBCCDDFF")
        #expect(try await store.device(named: "sep00AABBccddFF")?.id == inserted.id)
        try await store.recordAutoRegistration(device: "SEP0011aabbccee", number: "1000")
        #expect(try await store.devices().map(\.name) == ["SEP0011AABBCCEE", "SEP00AABBCCDDFF"])
        // The core hears the canonical name too.
        #expect(try await store.directory().devices[DeviceName("SEP0011AABBCCEE")] != nil)
        // A second spelling of a stored MAC is the same device: a conflict, not a second device.
        await #expect(throws: StoreError.self) { try await store.insert(DeviceRecord(name: "SEP00aabbccddff")) }
    }

    @Test(.sqliteOnly) func theMigrationUpperCasesStoredNames() throws {
        let queue = try DatabaseQueue(configuration: StrowgerDatabase.makeConfiguration())
        try StrowgerDatabase.migrator.migrate(queue, upTo: "addProvisioningSettings")
        try queue.write { db in
            // What an earlier version stored when a phone registered in lower case.
            try db.execute(sql: "INSERT INTO device (name, isAutoRegistered) VALUES ('SEP00aabbccddee', 1)")
            try db.execute(sql: "INSERT INTO device (name) VALUES ('SEP001122334455')")
        }
        let database = try StrowgerDatabase(queue)
        let names = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM device ORDER BY name")
        }
        #expect(names == ["SEP001122334455", "SEP00AABBCCDDEE"])
        // Devices from before the last-registered column count from the upgrade.
        let unset = try database.reader.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device WHERE lastRegisteredAt IS NULL")
        }
        #expect(unset == 0)
    }

    // MARK: - Last registration and pruning (defect 6)

    @Test func pruningRemovesUnusedAutoRegistrationsAndFreesTheirNumbers() async throws {
        let store = Store(database: try makeTestDatabase())
        let long = Date().addingTimeInterval(-40 * 86_400)
        let recent = Date().addingTimeInterval(-86_400)
        try await store.recordAutoRegistration(device: "SEP000000000001", number: "1000", now: long)
        try await store.recordAutoRegistration(device: "SEP000000000002", number: "1001", now: long)
        try await store.recordAutoRegistration(device: "SEP000000000003", number: "1002", now: long)
        try await store.recordAutoRegistration(device: "SEP000000000004", number: "1003", now: long)
        // Seen recently: kept.
        try await store.recordRegistrations(of: ["SEP000000000002"], at: recent)
        // An administrator's device, never registered: kept (only auto-registrations are pruned).
        try await store.insert(LineRecord(number: "2000"))
        try await store.save(DeviceRecord(name: "SEP0000000000A0"), lines: ["2000"], speedDials: nil)
        // A line shared with a kept device stays.
        try await store.save(
            try #require(try await store.device(named: "SEP000000000002")),
            lines: ["1001", "1002"],
            speedDials: nil
        )
        let cutoff = Date().addingTimeInterval(-30 * 86_400)
        let dryRun = try await store.pruneDevices(unusedSince: cutoff, autoRegisteredOnly: true, dryRun: true)
        #expect(dryRun.devices == ["SEP000000000001", "SEP000000000003", "SEP000000000004"])
        #expect(try await store.devices().count == 5)
        // One of them is registered right now: kept.
        let pruned = try await store.pruneDevices(
            unusedSince: cutoff,
            autoRegisteredOnly: true,
            keeping: ["sep000000000004"]
        )
        #expect(pruned == PruneSummary(devices: ["SEP000000000001", "SEP000000000003"], lines: ["1000"]))
        #expect(
            try await store.devices().map(\.name) == ["SEP000000000002", "SEP000000000004", "SEP0000000000A0"]
        )
        #expect(try await store.lines().map(\.number).sorted() == ["1001", "1002", "1003", "2000"])
        let details = try await store.deviceDetails(named: "SEP000000000002")
        let seen = try #require(details.first?.lastRegisteredAt)
        #expect(abs(seen.timeIntervalSince(recent)) < 1)
    }

    @Test func theRangeUsageCountsPlainNumbersInTheRange() async throws {
        let store = Store(database: try makeTestDatabase())
        var settings = try await store.settings()
        settings.autoRegistrationFirstNumber = 1000
        settings.autoRegistrationLastNumber = 1009
        try await store.update(settings)
        for number in ["1000", "1005", "1009", "999", "1010", "01001", "10A1", "2000"] {
            try await store.insert(LineRecord(number: number))
        }
        let usage = try await store.autoRegistrationUsage()
        #expect(usage.range == 1000...1009)
        #expect(usage.used == 3)
        #expect(usage.size == 10)
    }

    // MARK: - Files (defects 10, 11)

    @Test(.sqliteOnly) func aNewDatabaseAndItsLogAreReadableByTheirOwnerOnly() async throws {
        let directory = try TemporaryDirectory()
        let store = Store(database: try StrowgerDatabase(directory: directory.url))
        try await store.insert(LineRecord(number: "1001"))
        for name in ["strowger.db", "strowger.db-wal", "strowger.db-shm"] {
            let path = directory.url.appendingPathComponent(name).path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test(.sqliteOnly) func aCheckpointLeavesEverythingInTheDatabaseFile() async throws {
        let directory = try TemporaryDirectory()
        let copy = try TemporaryDirectory()
        let store = Store(database: try StrowgerDatabase(directory: directory.url))
        try await store.insert(LineRecord(number: "1001"))
        try await store.checkpoint()
        let wal = directory.url.appendingPathComponent("strowger.db-wal")
        #expect(try FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? Int == 0)
        // The database file alone, without its log, holds the line.
        try FileManager.default.copyItem(
            at: directory.url.appendingPathComponent("strowger.db"),
            to: copy.url.appendingPathComponent("strowger.db")
        )
        let reopened = Store(database: try StrowgerDatabase(directory: copy.url))
        #expect(try await reopened.lines().map(\.number) == ["1001"])
    }

    @Test(.sqliteOnly) func aBackupIsAConsistentCopyThatRestores() async throws {
        let directory = try TemporaryDirectory()
        let elsewhere = try TemporaryDirectory()
        let store = Store(database: try StrowgerDatabase(directory: directory.url))
        try await store.insert(LineRecord(number: "1001"))
        try await store.save(DeviceRecord(name: "SEP001122334455"), lines: ["1001"], speedDials: nil)
        let backup = elsewhere.url.appendingPathComponent("backup.db")
        try await store.backup(to: backup)
        #expect(try FileManager.default.attributesOfItem(atPath: backup.path)[.posixPermissions] as? Int == 0o600)
        // The backup does not overwrite.
        await #expect(throws: StoreError.self) { try await store.backup(to: backup) }
        let info = try StrowgerDatabase.inspect(path: backup.path)
        #expect(info.devices == 1)
        #expect(info.lines == 1)
        #expect(info.migrations == StrowgerDatabase.migrator.migrations)

        // Restored into a data directory that has another database: that one is kept aside.
        let target = try TemporaryDirectory()
        do {
            let other = Store(database: try StrowgerDatabase(directory: target.url))
            try await other.insert(LineRecord(number: "9999"))
        }
        let summary = try StrowgerDatabase.restore(from: backup, intoDirectory: target.url)
        let previous = try #require(summary.previousCopy)
        #expect(try StrowgerDatabase.inspect(path: previous.path).lines == 1)
        let restored = Store(database: try StrowgerDatabase(directory: target.url))
        #expect(try await restored.lines().map(\.number) == ["1001"])
        #expect(try await restored.devices().map(\.name) == ["SEP001122334455"])
    }

    @Test(.sqliteOnly) func somethingThatIsNotAStrowgerDatabaseIsNotRestored() throws {
        let directory = try TemporaryDirectory()
        let junk = directory.url.appendingPathComponent("junk.db")
        try Data("not a database at all".utf8).write(to: junk)
        #expect(throws: StoreError.self) { try StrowgerDatabase.inspect(path: junk.path) }
        let other = directory.url.appendingPathComponent("other.db")
        let queue = try DatabaseQueue(path: other.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        try queue.close()
        #expect(throws: StoreError.self) { try StrowgerDatabase.inspect(path: other.path) }
        let target = try TemporaryDirectory()
        #expect(throws: StoreError.self) { try StrowgerDatabase.restore(from: junk, intoDirectory: target.url) }
        #expect(!FileManager.default.fileExists(atPath: target.url.appendingPathComponent("strowger.db").path))
    }
}
