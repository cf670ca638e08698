import CallControl
import GRDB
import Testing

@testable import Store

/// Every write that affects routing publishes the changes CallControl needs, and only after it committed.
@Suite struct ChangeEventTests {
    @Test func deviceWrites() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)

        var device = try await store.insert(DeviceRecord(name: "SEP000000000001"))
        #expect(await probe.drain() == [.upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: []))])

        device.description = "lobby"
        try await store.update(device)
        #expect(await probe.drain() == [.upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: []))])

        // A phone swapped for another: the old name goes, the new one takes over its configuration.
        device.name = "SEP000000000009"
        try await store.update(device)
        #expect(
            await probe.drain() == [
                .removeDevice("SEP000000000001"),
                .upsertDevice(DeviceConfiguration(name: "SEP000000000009", lines: [])),
            ]
        )

        try await store.deleteDevice(id: try #require(device.id))
        #expect(await probe.drain() == [.removeDevice("SEP000000000009")])
    }

    @Test func lineWrites() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)

        var line = try await store.insert(LineRecord(number: "1001", displayName: "Alice"))
        #expect(await probe.drain() == [.upsertLine(LineConfiguration(number: "1001", displayName: "Alice"))])

        // A changed forward reaches CallControl with the line.
        line.forwardAll = "1002"
        line.busyTrigger = 1
        try await store.update(line)
        #expect(
            await probe.drain() == [
                .upsertLine(LineConfiguration(number: "1001", displayName: "Alice", busyTrigger: 1, forwardAll: "1002"))
            ]
        )

        try await store.deleteLine(number: "1001")
        #expect(await probe.drain() == [.removeLine("1001")])
    }

    @Test func movingANumberUpdatesEveryDeviceShowingIt() async throws {
        let store = try makeStore()
        let alice = try #require(try await store.insert(DeviceRecord(name: "SEP000000000001")).id)
        let bob = try #require(try await store.insert(DeviceRecord(name: "SEP000000000002")).id)
        var shared = try await store.insert(LineRecord(number: "1500"))
        try await store.insert(LineRecord(number: "1001"))
        try await store.setLines(["1001", "1500"], onDevice: alice)
        try await store.setLines(["1500"], onDevice: bob)
        var probe = ChangeProbe(store)

        shared.number = "1600"
        try await store.update(shared)
        #expect(
            await probe.drain() == [
                .upsertLine(LineConfiguration(number: "1600")),
                .upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: ["1001", "1600"])),
                .upsertDevice(DeviceConfiguration(name: "SEP000000000002", lines: ["1600"])),
                .removeLine("1500"),
            ]
        )

        try await store.deleteLine(id: try #require(shared.id))
        #expect(
            await probe.drain() == [
                .upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: ["1001"])),
                .upsertDevice(DeviceConfiguration(name: "SEP000000000002", lines: [])),
                .removeLine("1600"),
            ]
        )
    }

    @Test func appearanceWrites() async throws {
        let store = try makeStore()
        let alice = try #require(try await store.insert(DeviceRecord(name: "SEP000000000001")).id)
        let bob = try #require(try await store.insert(DeviceRecord(name: "SEP000000000002")).id)
        let line = try #require(try await store.insert(LineRecord(number: "1001")).id)
        var probe = ChangeProbe(store)

        var appearance = try await store.insert(LineAppearanceRecord(deviceID: alice, lineID: line, position: 1))
        #expect(await probe.drain() == [.upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: ["1001"]))])

        // The number moves to another phone: both phones change.
        appearance.deviceID = bob
        try await store.update(appearance)
        #expect(
            await probe.drain() == [
                .upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: [])),
                .upsertDevice(DeviceConfiguration(name: "SEP000000000002", lines: ["1001"])),
            ]
        )

        try await store.deleteLineAppearance(id: try #require(appearance.id))
        #expect(await probe.drain() == [.upsertDevice(DeviceConfiguration(name: "SEP000000000002", lines: []))])
    }

    @Test func speedDialWrites() async throws {
        let store = try makeStore()
        let alice = try #require(try await store.insert(DeviceRecord(name: "SEP000000000001")).id)
        var probe = ChangeProbe(store)

        var dial = try await store.insert(
            SpeedDialRecord(deviceID: alice, buttonIndex: 1, number: "1002", label: "Bob")
        )
        let withDial = DeviceConfiguration(
            name: "SEP000000000001",
            lines: [],
            speedDials: [SpeedDial(index: 1, number: "1002", label: "Bob")]
        )
        #expect(await probe.drain() == [.upsertDevice(withDial)])

        dial.number = "1003"
        try await store.update(dial)
        let changed = DeviceConfiguration(
            name: "SEP000000000001",
            lines: [],
            speedDials: [SpeedDial(index: 1, number: "1003", label: "Bob")]
        )
        #expect(await probe.drain() == [.upsertDevice(changed)])

        try await store.replaceSpeedDials(
            ofDevice: alice,
            with: [
                SpeedDialRecord(deviceID: 0, buttonIndex: 1, number: "1004"),
                SpeedDialRecord(deviceID: 0, buttonIndex: 2, number: "1005", label: "Eve"),
            ]
        )
        let replaced = DeviceConfiguration(
            name: "SEP000000000001",
            lines: [],
            speedDials: [
                SpeedDial(index: 1, number: "1004", label: "1004"), SpeedDial(index: 2, number: "1005", label: "Eve"),
            ]
        )
        #expect(await probe.drain() == [.upsertDevice(replaced)])

        let remaining = try await store.speedDials(deviceID: alice)
        try await store.deleteSpeedDial(id: try #require(remaining.first?.id))
        let afterDelete = DeviceConfiguration(
            name: "SEP000000000001",
            lines: [],
            speedDials: [SpeedDial(index: 2, number: "1005", label: "Eve")]
        )
        #expect(await probe.drain() == [.upsertDevice(afterDelete)])
    }

    @Test func routePatternWritesReplaceThePlan() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)

        var pattern = try await store.insert(RoutePatternRecord(pattern: "9XXX", target: .number("1001")))
        #expect(
            await probe.drain() == [.replaceRoutePatterns([try RoutePattern("9XXX", target: .directoryNumber("1001"))])]
        )

        pattern.target = .blocked
        try await store.update(pattern)
        #expect(await probe.drain() == [.replaceRoutePatterns([try RoutePattern("9XXX", target: .blocked)])])

        try await store.replaceRoutePatterns([
            RoutePatternRecord(pattern: "0!", target: .blocked, sortOrder: 5),
            RoutePatternRecord(pattern: "8XX", target: .number("1002"), sortOrder: 1),
        ])
        #expect(
            await probe.drain() == [
                .replaceRoutePatterns([
                    try RoutePattern("8XX", target: .directoryNumber("1002")), try RoutePattern("0!", target: .blocked),
                ])
            ]
        )

        let first = try #require(try await store.routePatterns().first?.id)
        try await store.deleteRoutePattern(id: first)
        #expect(await probe.drain() == [.replaceRoutePatterns([try RoutePattern("0!", target: .blocked)])])
    }

    @Test func settingsWritesReplaceTheSettings() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)
        var settings = SettingsRecord()
        settings.autoRegistrationEnabled = false
        settings.offHookTimeoutMilliseconds = 10_000
        try await store.update(settings)
        var expected = CallControlSettings(offHookTimeout: .seconds(10))
        expected.autoRegistration.isEnabled = false
        #expect(await probe.drain() == [.replaceSettings(expected)])
    }

    @Test func usersTokensAndCDRsPublishNothing() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)
        try await store.insert(UserRecord(name: "alice"))
        _ = try await store.createAdminToken(name: "default")
        try await store.insertCallRecords([makeCallRecord()])
        #expect(await probe.drain() == [])
    }

    @Test func failedWritesPublishNothing() async throws {
        let store = try makeStore()
        try await store.insert(LineRecord(number: "1001"))
        let device = try #require(try await store.insert(DeviceRecord(name: "SEP000000000001")).id)
        var probe = ChangeProbe(store)
        _ = try? await store.setLines(["1001", "1999"], onDevice: device)
        _ = try? await store.insert(LineRecord(number: "1001"))
        #expect(await probe.drain() == [])
    }

    /// A transaction that fails at COMMIT (here vetoed by an observer, in production a full disk) rolls back, and
    /// CallControl must not hear of it.
    @Test(.sqliteOnly) func aRolledBackCommitPublishesNothing() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)
        try await store.database.writer.writeWithoutTransaction { db in
            db.add(transactionObserver: CommitVeto(), extent: .nextTransaction)
        }
        await #expect(throws: (any Error).self) { try await store.insert(LineRecord(number: "1001")) }
        #expect(try await store.lines().isEmpty)
        #expect(await probe.drain() == [])
    }

    @Test func everySubscriberSeesEveryChange() async throws {
        let store = try makeStore()
        var first = ChangeProbe(store)
        var second = ChangeProbe(store)
        try await store.insert(LineRecord(number: "1001"))
        #expect(await first.drain() == [.upsertLine(LineConfiguration(number: "1001"))])
        #expect(await second.drain() == [.upsertLine(LineConfiguration(number: "1001"))])
    }

    /// The point of the events: a directory kept up to date by them equals a fresh snapshot, write after write, and
    /// routes the next call the new way without a restart.
    @Test func changesKeepAnInMemoryDirectoryEqualToTheDatabase() async throws {
        let store = try makeStore()
        let (snapshot, stream) = try await store.directoryAndChanges()
        var directory = snapshot
        var probe = ChangeProbe(store, stream: stream)

        func sync() async throws {
            for change in await probe.drainRaw() { directory.apply(change) }
            #expect(DirectoryContents(directory) == DirectoryContents(try await store.directory()))
        }

        let (alice, bob) = try await DirectoryTests.populate(store)
        try await sync()
        #expect(directory.devices(carrying: "1001") == ["SEP000000000001"])

        // A new line on Bob's phone is callable at once.
        try await store.insert(LineRecord(number: "1003", displayName: "Bob 2"))
        try await store.setLines(["1002", "1500", "1003"], onDevice: bob)
        try await sync()
        #expect(directory.devices(carrying: "1003") == ["SEP000000000002"])

        // Alice's number moves to Bob's phone.
        let aliceLine = try #require(try await store.lineAppearances(deviceID: alice).first)
        var moved = aliceLine
        moved.deviceID = bob
        moved.position = 9
        try await store.update(moved)
        try await sync()
        #expect(directory.devices(carrying: "1001") == ["SEP000000000002"])

        // A renumbered line routes under its new number only.
        var support = try #require(try await store.line(number: "1500"))
        support.number = "1555"
        try await store.update(support)
        try await sync()
        #expect(directory.analyze("1555", end: .endOfDialing) == .route(.directoryNumber("1555")))
        #expect(directory.devices(carrying: "1500").isEmpty)

        try await store.deleteDevice(id: alice)
        try await store.deleteLine(number: "1002")
        try await store.replaceRoutePatterns([RoutePatternRecord(pattern: "7XXX", target: .blocked)])
        // Auto-registration records what the core made itself: the core added the device when it handed out the
        // number (as here), so the Store publishes the new line but not the device it already has.
        directory.upsert(DeviceConfiguration(name: "SEP0000000000AA", lines: ["3000"]))
        try await store.recordAutoRegistration(device: "SEP0000000000AA", number: "3000")
        try await sync()
    }

    @Test func callControlAppliesTheChangesToTheNextCall() async throws {
        let store = try makeStore()
        try await store.insert(DeviceRecord(name: "SEP000000000001"))
        let (snapshot, stream) = try await store.directoryAndChanges()
        var core = CallControlCore(directory: snapshot)
        var probe = ChangeProbe(store, stream: stream)

        let bob = try #require(try await store.insert(DeviceRecord(name: "SEP000000000002")).id)
        try await store.insert(LineRecord(number: "1002", displayName: "Bob"))
        try await store.setLines(["1002"], onDevice: bob)
        for change in await probe.drainRaw() {
            _ = core.handle(.directoryChanged(change), at: .zero)
        }
        #expect(core.directory.devices(carrying: "1002") == ["SEP000000000002"])
        #expect(core.directory.lineConfiguration(for: "1002").displayName == "Bob")
    }

    @Test func finishingEndsTheStreams() async throws {
        let store = try makeStore()
        let stream = store.changes()
        store.finishChanges()
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }
}

@Suite struct AutoRegistrationTests {
    @Test func persistsDeviceLineAndAppearanceOnce() async throws {
        let store = try makeStore()
        var settings = SettingsRecord()
        settings.autoRegistrationMaxCalls = 3
        settings.autoRegistrationBusyTrigger = 1
        try await store.update(settings)
        var probe = ChangeProbe(store)

        try await store.recordAutoRegistration(device: "SEP00AABBCCDDEE", number: "1000")
        // The device the core made itself is not sent back to it (a copy could undo a DND change made since).
        #expect(await probe.drain() == [.upsertLine(LineConfiguration(number: "1000", maxCalls: 3, busyTrigger: 1))])

        try await store.recordAutoRegistration(device: "SEP00AABBCCDDEE", number: "1000")
        #expect(await probe.drain() == [])

        let devices = try await store.devices()
        #expect(devices.count == 1)
        #expect(devices.first?.isAutoRegistered == true)
        let lines = try await store.lines()
        #expect(lines.map(\.number) == ["1000"])
        #expect(lines.first?.maxCalls == 3)
        #expect(try await store.lineAppearances(deviceID: try #require(devices.first?.id)).count == 1)
    }

    @Test func appendsToAnExistingDevice() async throws {
        let store = try makeStore()
        let device = try #require(try await store.insert(DeviceRecord(name: "SEP00AABBCCDDEE")).id)
        try await store.insert(LineRecord(number: "1001"))
        try await store.setLines(["1001"], onDevice: device)

        var probe = ChangeProbe(store)
        try await store.recordAutoRegistration(device: "SEP00AABBCCDDEE", number: "1000")
        let directory = try await store.directory()
        #expect(directory.devices["SEP00AABBCCDDEE"]?.lines == ["1001", "1000"])
        // A device that was already stored differs from what the core made: it is published.
        #expect(
            await probe.drain().last
                == .upsertDevice(DeviceConfiguration(name: "SEP00AABBCCDDEE", lines: ["1001", "1000"]))
        )
        #expect(try await store.device(id: device)?.isAutoRegistered == false)
    }

    @Test func concurrentRecordsOfTheSameRegistrationStoreItOnce() async throws {
        let store = try makeStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { try await store.recordAutoRegistration(device: "SEP00AABBCCDDEE", number: "1000") }
            }
            try await group.waitForAll()
        }
        #expect(try await store.devices().count == 1)
        #expect(try await store.lines().count == 1)
        let device = try #require(try await store.devices().first?.id)
        #expect(try await store.lineAppearances(deviceID: device).count == 1)
    }
}

/// Refuses the commit of the transaction it observes.
private final class CommitVeto: TransactionObserver {
    struct Vetoed: Error {}

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws { throw Vetoed() }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}
