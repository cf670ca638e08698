import Foundation
import GRDB
import Testing

@testable import Store

/// The `callManagerGroup` table (migration `addCallManagerGroups`): CRUD, validation naming the field, devices that
/// name a group, the refusal to delete a group in use, and an upgrade from the schema before it.
@Suite struct CallManagerGroupTests {
    static let berlin = CallManagerGroupRecord(
        name: "Berlin",
        members: [
            .init(host: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
            .init(host: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
            .init(host: "cm3.example.net"),
        ]
    )

    @Test(.sqliteOnly) func groupsRoundTripWithTheirMembersInOrder() async throws {
        let store = try makeStore()
        let written = try await store.insert(Self.berlin)
        #expect(written == Self.berlin)
        #expect(try await store.callManagerGroup(named: "BERLIN") == Self.berlin)
        #expect(try await store.callManagerGroup(named: "Hamburg") == nil)
        let hamburg = CallManagerGroupRecord(name: "Hamburg", members: [.init(host: "cm.hamburg.example")])
        try await store.insert(hamburg)
        #expect(try await store.callManagerGroups() == [Self.berlin, hamburg])
        // A member given without ports has CUCM's.
        #expect(hamburg.members[0].sccpPort == 2000 && hamburg.members[0].sccpsPort == 2443)

        // Stored as a JSON array of {host, sccpPort, sccpsPort}, in order (docs/store.md).
        let json = try await store.database.reader.read { db in
            try String.fetchOne(db, sql: "SELECT members FROM callManagerGroup WHERE name = 'Berlin'")
        }
        let decoded = try JSONDecoder().decode([[String: AnyCodableValue]].self, from: Data(try #require(json).utf8))
        #expect(
            decoded.map { $0["host"] } == [.string("192.0.2.10"), .string("2001:db8::11"), .string("cm3.example.net")]
        )
        #expect(decoded.map { $0["sccpsPort"] } == [.int(2443), .int(2444), .int(2443)])
    }

    @Test func groupWritesPublishNoDirectoryChange() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)
        try await store.insert(Self.berlin)
        var changed = Self.berlin
        changed.members.removeLast()
        try await store.update(changed)
        try await store.deleteCallManagerGroup(named: "Berlin")
        #expect(await probe.drain().isEmpty)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var group: CallManagerGroupRecord
        var field: String
        var messageContains: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "empty name",
            group: .init(name: " ", members: [.init(host: "a")]),
            field: "callManagerGroup.name",
            messageContains: "callManagerGroup name must not be empty"
        ),
        Case(
            name: "name with a slash",
            group: .init(name: "a/b", members: [.init(host: "a")]),
            field: "callManagerGroup.name",
            messageContains: "letters, digits, spaces, '.', '_' and '-'"
        ),
        Case(
            name: "name with a space at the end",
            group: .init(name: "Berlin ", members: [.init(host: "a")]),
            field: "callManagerGroup.name",
            messageContains: "no space at either end"
        ),
        Case(
            name: "name too long",
            group: .init(name: String(repeating: "x", count: 65), members: [.init(host: "a")]),
            field: "callManagerGroup.name",
            messageContains: "at most 64 characters"
        ),
        Case(
            name: "no members",
            group: .init(name: "g", members: []),
            field: "callManagerGroup.members",
            messageContains: "must list 1 to 3 nodes, not 0"
        ),
        Case(
            name: "four members",
            group: .init(name: "g", members: ["a", "b", "c", "d"].map { .init(host: $0) }),
            field: "callManagerGroup.members",
            messageContains: "must list 1 to 3 nodes, not 4"
        ),
        Case(
            name: "host with a space",
            group: .init(name: "g", members: [.init(host: "a"), .init(host: "cm 2")]),
            field: "callManagerGroup.members[1].host",
            messageContains: "member 2 host must be a host name"
        ),
        Case(
            name: "wildcard host",
            group: .init(name: "g", members: [.init(host: "0.0.0.0")]),
            field: "callManagerGroup.members[0].host",
            messageContains: "not a wildcard"
        ),
        Case(
            name: "empty host",
            group: .init(name: "g", members: [.init(host: "")]),
            field: "callManagerGroup.members[0].host",
            messageContains: "host must be a host name"
        ),
        Case(
            name: "SCCP port 0",
            group: .init(name: "g", members: [.init(host: "a", sccpPort: 0)]),
            field: "callManagerGroup.members[0].sccpPort",
            messageContains: "sccpPort must be between 1 and 65535, not 0"
        ),
        Case(
            name: "SCCPS port too high",
            group: .init(name: "g", members: [.init(host: "a", sccpsPort: 65536)]),
            field: "callManagerGroup.members[0].sccpsPort",
            messageContains: "between 1 and 65535, not 65536"
        ),
        Case(
            name: "one port for both",
            group: .init(name: "g", members: [.init(host: "a", sccpPort: 2443)]),
            field: "callManagerGroup.members[0].sccpsPort",
            messageContains: "must differ from its sccpPort"
        ),
        Case(
            name: "the same node twice",
            group: .init(name: "g", members: [.init(host: "cm1.example"), .init(host: "CM1.example")]),
            field: "callManagerGroup.members",
            messageContains: "members 1 and 2 are the same node"
        ),
    ]

    @Test(arguments: cases)
    func invalidGroupsAreRefusedNamingTheField(_ testCase: Case) async throws {
        let store = try makeStore()
        let error = await #expect(throws: StoreError.self) { try await store.insert(testCase.group) }
        #expect(error?.code == .invalidValue)
        #expect(error?.field == testCase.field)
        #expect(error?.message.contains(testCase.messageContains) == true, "\(String(describing: error?.message))")
        #expect(try await store.callManagerGroups().isEmpty)
    }

    @Test func namesAreUniqueWithoutRegardToCase() async throws {
        let store = try makeStore()
        try await store.insert(Self.berlin)
        let error = await #expect(throws: StoreError.self) {
            try await store.insert(CallManagerGroupRecord(name: "BERLIN", members: [.init(host: "a")]))
        }
        #expect(error?.code == .conflict)
        #expect(error?.field == "callManagerGroup.name")
        #expect(error?.message == "a CallManager group named \"BERLIN\" already exists")
    }

    @Test func updateReplacesTheMembersAndARenameTakesTheDevicesAlong() async throws {
        let store = try makeStore()
        try await store.insert(Self.berlin)
        try await store.insert(CallManagerGroupRecord(name: "Hamburg", members: [.init(host: "h")]))
        try await store.insert(DeviceRecord(name: "SEP00000000A001", callManagerGroup: "berlin"))
        // The device keeps the group's own spelling.
        #expect(try await store.device(named: "SEP00000000A001")?.callManagerGroup == "Berlin")

        var changed = Self.berlin
        changed.members = [.init(host: "192.0.2.99", sccpPort: 12000, sccpsPort: 12443)]
        try await store.update(changed)
        #expect(try await store.callManagerGroup(named: "Berlin")?.members == changed.members)

        var renamed = changed
        renamed.name = "Berlin-Mitte"
        try await store.update(renamed, named: "Berlin")
        #expect(try await store.callManagerGroup(named: "Berlin") == nil)
        #expect(try await store.callManagerGroup(named: "Berlin-Mitte") == renamed)
        #expect(try await store.device(named: "SEP00000000A001")?.callManagerGroup == "Berlin-Mitte")
        let details = try await store.callManagerGroupDetails()
        #expect(details.map(\.group.name) == ["Berlin-Mitte", "Hamburg"])
        #expect(details.map(\.devices) == [["SEP00000000A001"], []])

        var clash = renamed
        clash.name = "hamburg"
        let conflict = await #expect(throws: StoreError.self) { try await store.update(clash, named: "Berlin-Mitte") }
        #expect(conflict?.code == .conflict)
        #expect(conflict?.field == "callManagerGroup.name")
        let missing = await #expect(throws: StoreError.self) { try await store.update(Self.berlin) }
        #expect(missing?.code == .notFound)
        #expect(missing?.field == "callManagerGroup.name")
    }

    @Test func upsertCreatesOrReplacesAndKeepsTheStoredSpelling() async throws {
        let store = try makeStore()
        let created = try await store.upsert(Self.berlin)
        #expect(created.created)
        let replacement = CallManagerGroupRecord(name: "BERLIN", members: [.init(host: "192.0.2.50")])
        let replaced = try await store.upsert(replacement)
        #expect(!replaced.created)
        #expect(replaced.group == CallManagerGroupRecord(name: "Berlin", members: replacement.members))
        #expect(try await store.callManagerGroups() == [replaced.group])
    }

    @Test func aGroupThatDevicesNameIsNotDeleted() async throws {
        let store = try makeStore()
        try await store.insert(Self.berlin)
        var first = try await store.insert(DeviceRecord(name: "SEP00000000A001", callManagerGroup: "Berlin"))
        try await store.insert(DeviceRecord(name: "SEP00000000A002", callManagerGroup: "Berlin"))
        let refused = await #expect(throws: StoreError.self) { try await store.deleteCallManagerGroup(named: "berlin") }
        #expect(refused?.code == .conflict)
        #expect(refused?.field == "callManagerGroup.name")
        #expect(
            refused?.message
                == "CallManager group \"Berlin\" is used by 2 devices (SEP00000000A001, SEP00000000A002);"
                + " move them to another group first"
        )
        #expect(try await store.callManagerGroup(named: "Berlin") != nil)

        first.callManagerGroup = nil
        try await store.update(first)
        try await store.deleteDevice(named: "SEP00000000A002")
        try await store.deleteCallManagerGroup(named: "Berlin")
        #expect(try await store.callManagerGroups().isEmpty)
        let missing = await #expect(throws: StoreError.self) { try await store.deleteCallManagerGroup(named: "Berlin") }
        #expect(missing?.code == .notFound)
    }

    @Test func aDeviceMustNameAStoredGroupOrDefault() async throws {
        let store = try makeStore()
        let error = await #expect(throws: StoreError.self) {
            try await store.insert(DeviceRecord(name: "SEP00000000A001", callManagerGroup: "Nowhere"))
        }
        #expect(error?.code == .notFound)
        #expect(error?.field == "device.callManagerGroup")
        #expect(error?.message.contains("no CallManager group named \"Nowhere\"") == true)
        // The same check in the admin API's save path.
        let saved = await #expect(throws: StoreError.self) {
            try await store.save(
                DeviceRecord(name: "SEP00000000A001", callManagerGroup: "Nowhere"),
                lines: nil,
                speedDials: nil
            )
        }
        #expect(saved?.field == "device.callManagerGroup")
        #expect(try await store.devices().isEmpty)

        // Default may be named before it is stored (the server's own nodes stand in for it); nil stays nil.
        var device = try await store.insert(DeviceRecord(name: "SEP00000000A001", callManagerGroup: "Default"))
        #expect(device.callManagerGroup == "Default")
        #expect(try await store.insert(DeviceRecord(name: "SEP00000000A002")).callManagerGroup == nil)

        device.callManagerGroup = "Nowhere"
        let update = await #expect(throws: StoreError.self) { try await store.update(device) }
        #expect(update?.field == "device.callManagerGroup")
    }

    /// A database from before the migration: its devices' group names (free text then) survive, and a device whose
    /// name names no stored group can still be changed in other ways.
    @Test(.sqliteOnly) func upgradingKeepsTheNamesDevicesHad() async throws {
        let queue = try DatabaseQueue(configuration: StrowgerDatabase.makeConfiguration())
        try StrowgerDatabase.migrator.migrate(queue, upTo: "addPresencePrivacy")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO device (name, callManagerGroup) VALUES ('SEP00000000A001', 'Legacy')")
        }
        let store = Store(database: try StrowgerDatabase(queue))
        #expect(try await store.callManagerGroups().isEmpty)
        var device = try #require(try await store.device(named: "SEP00000000A001"))
        #expect(device.callManagerGroup == "Legacy")
        device.description = "kept its group"
        try await store.update(device)
        #expect(try await store.device(named: "SEP00000000A001")?.callManagerGroup == "Legacy")
        _ = try await store.save(device, lines: [], speedDials: nil)
    }
}

/// A JSON value of the shapes the members column holds.
enum AnyCodableValue: Decodable, Equatable {
    case string(String)
    case int(Int)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
