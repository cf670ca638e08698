import Foundation
import GRDB
import Testing

@testable import Store

@Suite(.sqliteOnly) struct SchemaTests {
    @Test func migratingAnEmptyDatabaseCreatesEveryTable() async throws {
        let database = try StrowgerDatabase.inMemory()
        let tables = try await database.reader.read { db in
            try String.fetchSet(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        #expect(
            tables == [
                "grdb_migrations", "user", "device", "line", "lineAppearance", "speedDial", "routePattern",
                "settings", "adminToken", "callDetailRecord", "callManagerGroup", "trunk", "musicSource", "meetMeRange",
                "huntGroup", "huntGroupMember", "pickupGroup", "pickupGroupMember", "phoneModel",
                "webAccount", "webSession", "softkeyTemplate", "node", "changeLog",
            ]
        )
    }

    @Test func migrationsAreRecordedByName() async throws {
        let database = try StrowgerDatabase.inMemory()
        let applied = try await database.reader.read { db in
            try StrowgerDatabase.migrator.appliedMigrations(db)
        }
        #expect(
            applied == [
                "createConfigurationTables", "createCallDetailRecordTable", "addDeviceSecurity", "addPresencePrivacy",
                "addCallManagerGroups", "addProvisioningSettings", "addSIPTrunks", "addMediaServices",
                "addCallFeatures", "addCallRecordRedirects", "canonicalizeDeviceNames", "addDeviceLastRegistered",
                "addPhoneModels", "addWebAdministration", "addSoftkeyTemplates", "addSIPCalls", "addClusterNodes",
                "addChangeLog",
            ]
        )
    }

    @Test func callDetailRecordsAreIndexedByTimeAndByNumber() async throws {
        let database = try StrowgerDatabase.inMemory()
        let indexes = try await database.reader.read { db in
            try db.indexes(on: "callDetailRecord").map(\.columns)
        }
        #expect(
            Set(indexes) == [
                ["setupTime"], ["callingNumber", "setupTime"], ["calledNumber", "setupTime"], ["callId"],
                ["callingDevice", "setupTime"], ["calledDevice", "setupTime"],
            ]
        )
    }

    @Test func queriesByNumberUseTheNumberIndexes() async throws {
        let database = try StrowgerDatabase.inMemory()
        let plan = try await database.reader.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN
                    SELECT * FROM (SELECT * FROM callDetailRecord WHERE callingNumber = '1' AND setupTime >= 0
                                   ORDER BY setupTime DESC, id DESC LIMIT 10)
                    UNION
                    SELECT * FROM (SELECT * FROM callDetailRecord WHERE calledNumber = '1' AND setupTime >= 0
                                   ORDER BY setupTime DESC, id DESC LIMIT 10)
                    """
            ).map { row -> String in row["detail"] }.joined(separator: "\n")
        }
        #expect(plan.contains("callDetailRecord_on_callingNumber_setupTime"), "\(plan)")
        #expect(plan.contains("callDetailRecord_on_calledNumber_setupTime"), "\(plan)")
    }

    @Test func foreignKeysAreEnforced() async throws {
        let database = try StrowgerDatabase.inMemory()
        let enabled = try await database.reader.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(enabled == true)
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in
                try db.execute(sql: "INSERT INTO lineAppearance (deviceId, lineId, position) VALUES (42, 43, 1)")
            }
        }
    }

    @Test func settingsRowDefaultsMatchTheRecordDefaults() async throws {
        let database = try StrowgerDatabase.inMemory()
        let stored = try await database.reader.read { db in try db.fetchAll(SettingsRecord.self, orderBy: "id") }
        #expect(stored == [SettingsRecord()])
    }

    @Test func settingsTableHoldsOneRowAtMost() async throws {
        let database = try StrowgerDatabase.inMemory()
        await #expect(throws: DatabaseError.self) {
            try await database.writer.write { db in
                try db.execute(sql: "INSERT INTO settings (id) VALUES (2)")
            }
        }
        let count = try await database.reader.read { db in try db.fetchCount("SELECT COUNT(*) FROM settings") }
        #expect(count == 1)
    }

    @Test func fileDatabaseUsesWALWithFullSynchronousCommits() async throws {
        let directory = try TemporaryDirectory()
        let database = try StrowgerDatabase(directory: directory.url)
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("strowger.db").path))
        let (journalMode, synchronous) = try await database.reader.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            )
        }
        #expect(journalMode == "wal")
        #expect(synchronous == 2)  // FULL
        let writerSynchronous = try await database.writer.write { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        #expect(writerSynchronous == 2)
    }

    @Test func reopeningDoesNotMigrateAgain() async throws {
        let directory = try TemporaryDirectory()
        _ = try StrowgerDatabase(directory: directory.url)
        let reopened = try StrowgerDatabase(directory: directory.url)
        let count = try await reopened.reader.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
        }
        #expect(count == StrowgerDatabase.migrator.migrations.count)
    }

    @Test func aDatabaseFromANewerStrowgerIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent(StrowgerDatabase.fileName).path
        do {
            let database = try StrowgerDatabase(path: path)
            try await database.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('fromTheFuture')")
            }
        }
        #expect {
            _ = try StrowgerDatabase(path: path)
        } throws: { error in
            (error as? StoreError)?.code == .database
        }
    }
}
