import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// A database written before issue 12 opens with everything it held, and the new columns read as the defaults.
@Suite(.sqliteOnly) struct CallFeatureMigrationTests {
    @Test func aDatabaseFromBeforeTheCallFeaturesIsMigratedWithItsData() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent(StrowgerDatabase.fileName).path
        do {
            // The schema as the previous release left it, with some data.
            let pool = try DatabasePool(path: path, configuration: StrowgerDatabase.makeConfiguration())
            try StrowgerDatabase.migrator.migrate(pool, upTo: "addProvisioningSettings")
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO line (number, displayName) VALUES ('1001', 'Alice'), ('1002', 'Bob');
                        INSERT INTO device (name) VALUES ('SEP001122334455');
                        INSERT INTO lineAppearance (deviceId, lineId, position) VALUES (1, 1, 1);
                        UPDATE settings SET keepAliveSeconds = 45, dateTemplate = 'M/D/YA';
                        INSERT INTO callDetailRecord (callingDevice, callingNumber, callingReference, dialedNumber,
                            calledNumber, setupTime, endTime, endCause, releasedBy)
                            VALUES ('SEP001122334455', '1001', 1, '1002', '1002', 1700000000000, 1700000060000,
                                    'normalClearing', 'caller');
                        """
                )
            }
            #expect(try await pool.read { db in try db.tableExists("huntGroup") } == false)
        }

        let database = try StrowgerDatabase(path: path)
        let store = Store(database: database)
        let applied = try await database.reader.read { db in try StrowgerDatabase.migrator.appliedMigrations(db) }
        // The call features' two migrations ran, in order (later ones, such as the web administration's, follow).
        let features = applied.firstIndex(of: "addCallFeatures")
        #expect(features != nil)
        #expect(features.map { applied[($0 + 1)...].first } == "addCallRecordRedirects")

        let settings = try await store.settings()
        #expect(settings.keepAliveSeconds == 45)
        #expect(settings.dateTemplate == "M/D/YA")
        #expect(settings.parkSlots == nil)
        #expect(settings.parkReversionSeconds == 60)
        #expect(settings.transferOnHook == false)
        #expect(settings.doNotDisturbMode == .ringerOff)

        #expect(try await store.line(number: "1001")?.displayName == "Alice")
        #expect(try await store.line(number: "1001")?.messageWaiting == false)
        #expect(try await store.device(named: "SEP001122334455")?.doNotDisturb == false)
        let record = try #require(try await store.callDetailRecords().first)
        #expect(record.calledNumber == "1002")
        #expect(record.callID == nil)
        #expect(record.redirectReason == nil)

        let directoryNow = try await store.directory()
        #expect(directoryNow.devices["SEP001122334455"]?.lines == ["1001"])
        #expect(directoryNow.huntGroups.isEmpty)
        #expect(directoryNow.settings.park == .off)

        // The new tables work on the migrated file.
        try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["1001", "1002"])
        try await store.insert(PickupGroupRecord(number: "5000"), members: ["1002"])
        #expect(try await store.directory().huntGroups["4000"]?.members == ["1001", "1002"])
    }

    @Test func theNewColumnsHoldOnlyKnownValues() async throws {
        let database = try StrowgerDatabase.inMemory()
        for sql in [
            "UPDATE settings SET doNotDisturbMode = 'silent'",
            "INSERT INTO huntGroup (pilot, algorithm) VALUES ('4000', 'random')",
            "INSERT INTO huntGroup (pilot, noAnswerTimeoutSeconds) VALUES ('4000', 0)",
            """
            INSERT INTO callDetailRecord (callingDevice, callingNumber, callingReference, dialedNumber, setupTime,
                endTime, endCause, releasedBy, redirectReason)
                VALUES ('SEP001122334455', '1001', 1, '1002', 0, 0, 'redirected', 'caller', 'teleport')
            """,
        ] {
            await #expect(throws: DatabaseError.self, "\(sql)") {
                try await database.writer.write { db in try db.execute(sql: sql) }
            }
        }
    }
}
