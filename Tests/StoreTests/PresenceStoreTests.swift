import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// What presence needs from the Store (issue 8): users' privacy and status, kept by migration `addPresencePrivacy`,
/// and a change feed of users and device owners in commit order.
@Suite struct PresenceStoreTests {
    /// Collects presence changes up to a marker, as `ChangeProbe` does for directory changes.
    struct PresenceProbe {
        static let marker = DeviceName("marker-not-a-device")
        let store: Store
        var iterator: AsyncStream<PresenceDirectoryChange>.AsyncIterator

        init(_ store: Store) {
            self.store = store
            self.iterator = store.presenceChanges().makeAsyncIterator()
        }

        mutating func drain() async -> [PresenceDirectoryChange] {
            store.presenceBroadcaster.publish([.removeDevice(Self.marker)])
            var changes: [PresenceDirectoryChange] = []
            while let change = await iterator.next() {
                if case .removeDevice(Self.marker) = change { return changes }
                changes.append(change)
            }
            return changes
        }
    }

    @Test(.sqliteOnly) func privacyAndStatusRoundTrip() async throws {
        let store = try makeStore()
        let inserted = try await store.insert(
            UserRecord(
                name: "alice",
                presenceVisibility: .allowList,
                presenceAllowList: ["bob", "1001"],
                presenceStatus: .away,
                presenceNote: "back at 3"
            )
        )
        let read = try #require(try await store.user(named: "alice"))
        #expect(read == inserted)
        #expect(read.presenceAllowList == ["bob", "1001"])
        // A user made before the migration's columns existed reads with the defaults.
        try await store.database.writer.write { db in
            try db.execute(sql: "INSERT INTO user (name) VALUES ('zed')")
        }
        let zed = try #require(try await store.user(named: "zed"))
        #expect(zed.presenceVisibility == .everyone && zed.presenceAllowList.isEmpty)
        #expect(zed.presenceStatus == .available && zed.presenceNote.isEmpty)
    }

    @Test(.sqliteOnly) func theDatabaseRejectsAnUnknownVisibilityOrStatus() async throws {
        let store = try makeStore()
        await #expect(throws: DatabaseError.self) {
            try await store.database.writer.write { db in
                try db.execute(sql: "INSERT INTO user (name, presenceVisibility) VALUES ('x', 'friends')")
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await store.database.writer.write { db in
                try db.execute(sql: "INSERT INTO user (name, presenceStatus) VALUES ('x', 'asleep')")
            }
        }
    }

    @Test func badPresenceFieldsAreRejectedNamingTheField() async throws {
        let store = try makeStore()
        let tooLong = UserRecord(name: "a", presenceNote: String(repeating: "x", count: 141))
        await #expect(throws: StoreError.self) { try await store.insert(tooLong) }
        do {
            try await store.insert(UserRecord(name: "a", presenceAllowList: ["bob smith"]))
            Issue.record("an allow-list name with a space was accepted")
        } catch let error as StoreError {
            #expect(error.field == "user.presenceAllowList")
        }
        try await store.insert(UserRecord(name: "alice"))
        do {
            try await store.setPresenceStatus(ofUserNamed: "alice", .away, note: "line\nbreak")
            Issue.record("a note with a newline was accepted")
        } catch let error as StoreError {
            #expect(error.field == "user.presenceNote")
        }
        do {
            try await store.setPresenceStatus(ofUserNamed: "nobody", .away, note: "")
            Issue.record("a status for an unknown user was accepted")
        } catch let error as StoreError {
            #expect(error.code == .notFound)
        }
        let set = try await store.setPresenceStatus(ofUserNamed: "ALICE", .dnd, note: "in a meeting")
        #expect(set.name == "alice" && set.presenceStatus == .dnd && set.presenceNote == "in a meeting")
    }

    @Test func userAndOwnerWritesPublishPresenceChangesInOrder() async throws {
        let store = try makeStore()
        var probe = PresenceProbe(store)

        var alice = try await store.insert(UserRecord(name: "alice"))
        #expect(await probe.drain() == [.upsertUser(alice)])

        var device = try await store.insert(DeviceRecord(name: "SEP000000000001", ownerID: alice.id))
        #expect(await probe.drain() == [.deviceOwner("SEP000000000001", owner: "alice")])

        let status = try await store.setPresenceStatus(ofUserNamed: "alice", .busy, note: "")
        #expect(await probe.drain() == [.upsertUser(status)])
        alice = status

        // A rename: the new name, the devices follow it, the old name goes.
        alice.name = "alicia"
        alice = try await store.update(alice)
        #expect(
            await probe.drain() == [
                .upsertUser(alice), .deviceOwner("SEP000000000001", owner: "alicia"), .removeUser("alice"),
            ]
        )

        // Line and speed-dial writes re-announce the device's owner (harmless: the engine ignores the same owner).
        device.ownerID = nil
        device = try await store.update(device)
        #expect(await probe.drain() == [.deviceOwner("SEP000000000001", owner: nil)])
        device.ownerID = alice.id
        device = try await store.update(device)
        _ = await probe.drain()

        // Deleting a user leaves their devices unowned.
        try await store.deleteUser(id: try #require(alice.id))
        #expect(
            await probe.drain() == [.deviceOwner("SEP000000000001", owner: nil), .removeUser("alicia")]
        )

        try await store.deleteDevice(id: try #require(device.id))
        #expect(await probe.drain() == [.removeDevice("SEP000000000001")])
    }

    @Test func theSnapshotHasEveryUserAndOwner() async throws {
        let store = try makeStore()
        let bob = try await store.insert(UserRecord(name: "bob", presenceVisibility: .nobody))
        try await store.insert(DeviceRecord(name: "SEP000000000002", ownerID: bob.id))
        try await store.insert(DeviceRecord(name: "SEP000000000001"))
        let (directory, _) = try await store.presenceDirectoryAndChanges()
        #expect(directory.users == [bob])
        #expect(
            directory.devices == [
                .init(device: "SEP000000000001", owner: nil), .init(device: "SEP000000000002", owner: "bob"),
            ]
        )
    }

    @Test func failedUserWritesPublishNothing() async throws {
        let store = try makeStore()
        try await store.insert(UserRecord(name: "alice"))
        var probe = PresenceProbe(store)
        _ = try? await store.insert(UserRecord(name: "ALICE"))
        #expect(await probe.drain() == [])
    }
}
