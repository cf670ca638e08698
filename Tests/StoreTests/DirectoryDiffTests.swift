import CallControl
import Testing

@testable import Store

/// A node that learns of another node's writes only as "the configuration changed" re-reads the directory and tells
/// its call core the difference. These tests make real writes through the Store, then check that applying the
/// difference to the old directory gives exactly the new one.
@Suite struct DirectoryDiffTests {
    @Test func aDirectoryDiffersFromItselfInNothing() async throws {
        let store = try makeStore()
        try await seed(store)
        let directory = try await store.directory()
        #expect(DirectoryDiff.changes(from: directory, to: directory).isEmpty)
    }

    @Test func applyingTheDifferenceGivesTheNewDirectory() async throws {
        let store = try makeStore()
        try await seed(store)
        let before = try await store.directory()

        // Every kind of change: a new line and device, a changed line, a device's lines, a deleted device and line,
        // a hunt group, the dial plan and the settings.
        try await store.insert(LineRecord(number: "3003", displayName: "New"))
        let phone = try await store.insert(DeviceRecord(name: "SEP000000000003"))
        try await store.setLines(["3003", "3001"], onDevice: try #require(phone.id))
        var line = try #require(try await store.line(number: "3001"))
        line.displayName = "Renamed"
        line.forwardBusy = "3003"
        try await store.update(line)
        try await store.deleteDevice(id: try #require(try await store.device(named: "SEP000000000002")?.id))
        try await store.deleteLine(number: "3002")
        try await store.insert(HuntGroupRecord(pilot: "3900"), members: ["3001", "3003"])
        try await store.insert(RoutePatternRecord(pattern: "9.!", target: .number("3001")))
        var settings = try await store.settings()
        settings.interdigitTimeoutMilliseconds += 1000
        try await store.update(settings)

        let after = try await store.directory()
        let changes = DirectoryDiff.changes(from: before, to: after)
        #expect(!changes.isEmpty)
        let applied = apply(changes, to: before)
        #expect(applied == after)
        #expect(applied.huntGroups == after.huntGroups)
        #expect(applied.pickupGroups == after.pickupGroups)
        #expect(applied.meetMeRanges == after.meetMeRanges)
        // Nothing is said twice, and removals come after every upsert.
        let removals = changes.enumerated().filter {
            switch $0.element {
            case .removeDevice, .removeLine, .removeHuntGroup, .removePickupGroup: true
            default: false
            }
        }
        #expect(removals.map(\.offset) == Array((changes.count - removals.count)..<changes.count))
    }

    @Test func presenceDifferenceCoversUsersAndOwners() async throws {
        let store = try makeStore()
        try await seed(store)
        let alice = try await store.insert(UserRecord(name: "alice", displayName: "Alice"))
        let bob = try await store.insert(UserRecord(name: "bob"))
        var phone = try #require(try await store.device(named: "SEP000000000001"))
        phone.ownerID = alice.id
        try await store.update(phone)
        let before = try await store.presenceDirectoryAndChanges().directory

        phone.ownerID = bob.id
        try await store.update(phone)
        try await store.deleteUser(id: try #require(alice.id))
        let after = try await store.presenceDirectoryAndChanges().directory

        let changes = DirectoryDiff.changes(from: before, to: after)
        #expect(changes.contains(.deviceOwner(DeviceName("SEP000000000001"), owner: "bob")))
        #expect(changes.contains(.removeUser("alice")))
        #expect(!changes.contains { if case .upsertUser(let user) = $0 { user.name == "bob" } else { false } })
        #expect(DirectoryDiff.changes(from: after, to: after).isEmpty)
    }

    private func seed(_ store: Store) async throws {
        try await store.insert(LineRecord(number: "3001", displayName: "One"))
        try await store.insert(LineRecord(number: "3002", displayName: "Two"))
        let first = try await store.insert(DeviceRecord(name: "SEP000000000001"))
        let second = try await store.insert(DeviceRecord(name: "SEP000000000002"))
        try await store.setLines(["3001"], onDevice: try #require(first.id))
        try await store.setLines(["3002"], onDevice: try #require(second.id))
    }

    /// What the call core does with each change (`CallControlCore.applyDirectoryChange`), on the directory alone.
    private func apply(_ changes: [DirectoryChange], to directory: Directory) -> Directory {
        var directory = directory
        for change in changes {
            switch change {
            case .replace(let replacement): directory = replacement
            case .upsertDevice(let device): directory.upsert(device)
            case .removeDevice(let name): _ = directory.removeDevice(named: name)
            case .upsertLine(let line): directory.upsert(line)
            case .removeLine(let number): _ = directory.removeLine(number)
            case .replaceRoutePatterns(let patterns): directory.replaceRoutePatterns(patterns)
            case .replaceSettings(let settings): directory.settings = settings
            case .upsertHuntGroup(let group): directory.upsert(group)
            case .removeHuntGroup(let pilot): _ = directory.removeHuntGroup(pilot: pilot)
            case .upsertPickupGroup(let group): directory.upsert(group)
            case .removePickupGroup(let number): _ = directory.removePickupGroup(number: number)
            case .replaceMeetMeRanges(let ranges): directory.replaceMeetMeRanges(ranges)
            }
        }
        return directory
    }
}
