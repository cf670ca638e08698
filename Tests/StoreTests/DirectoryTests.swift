import CallControl
import Testing

@testable import Store

@Suite struct DirectoryTests {
    /// Two phones, three lines (one shared), speed dials, a dial plan and changed settings.
    static func populate(_ store: Store) async throws -> (alice: Int64, bob: Int64) {
        let alice = try #require(try await store.insert(DeviceRecord(name: "SEP000000000001", model: "7970")).id)
        let bob = try #require(try await store.insert(DeviceRecord(name: "SEP000000000002")).id)
        try await store.insert(LineRecord(number: "1001", displayName: "Alice", maxCalls: 4, busyTrigger: 3))
        try await store.insert(LineRecord(number: "1002", displayName: "Bob"))
        try await store.insert(LineRecord(number: "1500", displayName: "Support"))
        try await store.setLines(["1001", "1500"], onDevice: alice)
        try await store.setLines(["1002", "1500"], onDevice: bob)
        try await store.insert(SpeedDialRecord(deviceID: alice, buttonIndex: 2, number: "1002", label: "Bob"))
        try await store.insert(SpeedDialRecord(deviceID: alice, buttonIndex: 1, number: "9123"))
        try await store.insert(RoutePatternRecord(pattern: "9.1XXX", target: .number("1001"), sortOrder: 1))
        try await store.insert(RoutePatternRecord(pattern: "900!", target: .blocked, sortOrder: 0))
        var settings = SettingsRecord()
        settings.autoRegistrationFirstNumber = 3000
        settings.autoRegistrationLastNumber = 3099
        settings.interdigitTimeoutMilliseconds = 4_000
        try await store.update(settings)
        return (alice, bob)
    }

    static func expectedContents() throws -> DirectoryContents {
        try DirectoryContents(
            Directory(
                devices: [
                    DeviceConfiguration(
                        name: "SEP000000000001",
                        lines: ["1001", "1500"],
                        speedDials: [
                            SpeedDial(index: 1, number: "9123", label: "9123"),
                            SpeedDial(index: 2, number: "1002", label: "Bob"),
                        ]
                    ),
                    DeviceConfiguration(name: "SEP000000000002", lines: ["1002", "1500"]),
                ],
                lines: [
                    LineConfiguration(number: "1001", displayName: "Alice", maxCalls: 4, busyTrigger: 3),
                    LineConfiguration(number: "1002", displayName: "Bob"),
                    LineConfiguration(number: "1500", displayName: "Support"),
                ],
                routePatterns: [
                    RoutePattern("900!", target: .blocked),
                    RoutePattern("9.1XXX", target: .directoryNumber("1001")),
                ],
                settings: CallControlSettings(
                    interdigitTimeout: .seconds(4),
                    autoRegistration: AutoRegistrationSettings(numbers: 3000...3099)
                )
            )
        )
    }

    @Test func snapshotEqualsWhatWasWritten() async throws {
        let store = try makeStore()
        _ = try await Self.populate(store)
        #expect(DirectoryContents(try await store.directory()) == (try Self.expectedContents()))
    }

    @Test func emptyDatabaseGivesTheDefaultDirectory() async throws {
        let store = try makeStore()
        let directory = try await store.directory()
        #expect(DirectoryContents(directory) == DirectoryContents(Directory()))
        #expect(directory.settings.autoRegistration.isEnabled)
        #expect(directory.settings.autoRegistration.numbers == 1000...1999)
    }

    @Test func snapshotRoutesLikeTheConfiguration() async throws {
        let store = try makeStore()
        _ = try await Self.populate(store)
        let directory = try await store.directory()
        #expect(directory.analyze("91234", end: .stillDialing) == .route(.directoryNumber("1001")))
        #expect(directory.analyze("9001", end: .endOfDialing) == .route(.blocked))
        #expect(directory.devices(carrying: "1500") == ["SEP000000000001", "SEP000000000002"])
    }

    @Test func buttonOrderFollowsPositionsNotInsertionOrder() async throws {
        let store = try makeStore()
        let device = try #require(try await store.insert(DeviceRecord(name: "SEP000000000001")).id)
        let first = try #require(try await store.insert(LineRecord(number: "1001")).id)
        let second = try #require(try await store.insert(LineRecord(number: "1002")).id)
        try await store.insert(LineAppearanceRecord(deviceID: device, lineID: first, position: 7))
        try await store.insert(LineAppearanceRecord(deviceID: device, lineID: second, position: 3))
        let directory = try await store.directory()
        #expect(directory.devices["SEP000000000001"]?.lines == ["1002", "1001"])
    }
}
