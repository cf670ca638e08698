import GRDB
import Testing

@testable import Store

/// The `addDeviceSecurity` migration's columns: defaults, round trips, the database's own check, and the names the TLS
/// listeners load.
@Suite struct DeviceSecurityTests {
    @Test func devicesDefaultToNonSecureWithoutAClientCertificate() async throws {
        let store = try makeStore()
        let device = try await store.insert(DeviceRecord(name: "SEP001122334455"))
        let stored = try #require(try await store.device(named: "sep001122334455"))
        #expect(stored.securityMode == .nonSecure)
        #expect(!stored.requiresClientCertificate)
        #expect(stored == device)
    }

    @Test func securitySettingsRoundTripAndFeedTheNamesRequiringCertificates() async throws {
        let store = try makeStore()
        var alice = try await store.insert(
            DeviceRecord(name: "SEP00000000A001", securityMode: .authenticated, requiresClientCertificate: true)
        )
        _ = try await store.insert(DeviceRecord(name: "SEP00000000B002", securityMode: .encrypted))
        #expect(try await store.device(named: "SEP00000000B002")?.securityMode == .encrypted)
        #expect(try await store.namesRequiringClientCertificates() == ["SEP00000000A001"])
        alice.requiresClientCertificate = false
        _ = try await store.update(alice)
        #expect(try await store.namesRequiringClientCertificates().isEmpty)
    }

    @Test(.sqliteOnly) func theDatabaseRefusesAnUnknownSecurityMode() async throws {
        let database = try StrowgerDatabase.inMemory()
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in
                try db.execute(sql: "INSERT INTO device (name, securityMode) VALUES ('SEP001122334455', 'paranoid')")
            }
        }
    }
}
