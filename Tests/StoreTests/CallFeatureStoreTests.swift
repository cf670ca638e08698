import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// Issue 12 in the Store: hunt and pickup groups, park, DND, MWI, transfer on-hook, and the shared number space;
/// every write validated, and every change published so that the running core sees it.
@Suite struct CallFeatureStoreTests {
    /// A store with lines 4001…4004, 4001 and 4002 on one phone each and 4003 shared by both.
    static func makeStoreWithLines() async throws -> Store {
        let store = try makeStore()
        for number in ["4001", "4002", "4003", "4004"] {
            try await store.insert(LineRecord(number: number))
        }
        try await store.save(DeviceRecord(name: "SEP000000004001"), lines: ["4001", "4003"], speedDials: nil)
        try await store.save(DeviceRecord(name: "SEP000000004002"), lines: ["4002", "4003"], speedDials: nil)
        return store
    }

    /// The StoreError a write throws (the test fails if it throws none or another kind).
    static func storeError(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ write: () async throws -> Void
    ) async -> StoreError? {
        do {
            try await write()
            Issue.record("the write succeeded", sourceLocation: sourceLocation)
            return nil
        } catch let error as StoreError {
            return error
        } catch {
            Issue.record("not a StoreError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    // MARK: - Hunt groups

    @Test func huntGroupWritesArePublishedAndInTheDirectory() async throws {
        let store = try await Self.makeStoreWithLines()
        var probe = ChangeProbe(store)

        let created = try await store.insert(
            HuntGroupRecord(pilot: "4000", algorithm: .circular, noAnswerTimeoutSeconds: 8, finalDestination: "4004"),
            members: ["4002", "4001", "4003"]
        )
        let expected = HuntGroup(
            pilot: "4000",
            members: ["4002", "4001", "4003"],
            algorithm: .circular,
            noAnswerTimeout: .seconds(8),
            finalDestination: "4004"
        )
        #expect(created.huntGroup == expected)
        #expect(await probe.drain() == [.upsertHuntGroup(expected)])
        #expect(try await store.directory().huntGroups == ["4000": expected])
        #expect(try await store.huntGroupDetails(pilot: "4000").first?.members == ["4002", "4001", "4003"])

        // New members and algorithm; then a new pilot, which removes the old one from the core first.
        var group = created.group
        group.algorithm = .broadcast
        try await store.update(group, members: ["4003"])
        #expect(
            await probe.drain() == [
                .upsertHuntGroup(
                    HuntGroup(
                        pilot: "4000",
                        members: ["4003"],
                        algorithm: .broadcast,
                        noAnswerTimeout: .seconds(8),
                        finalDestination: "4004"
                    )
                )
            ]
        )
        group.pilot = "4100"
        group.finalDestination = nil
        let renamed = try await store.update(group, members: nil)
        #expect(renamed.members == ["4003"])
        #expect(
            await probe.drain() == [
                .removeHuntGroup("4000"),
                .upsertHuntGroup(
                    HuntGroup(pilot: "4100", members: ["4003"], algorithm: .broadcast, noAnswerTimeout: .seconds(8))
                ),
            ]
        )

        try await store.deleteHuntGroup(pilot: "4100")
        #expect(await probe.drain() == [.removeHuntGroup("4100")])
        #expect(try await store.directory().huntGroups.isEmpty)
        #expect(try await store.lines().count == 4, "the member lines stay")
    }

    @Test func huntGroupValidationNamesTheField() async throws {
        let store = try await Self.makeStoreWithLines()
        var probe = ChangeProbe(store)
        try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["4001"])
        _ = await probe.drain()

        let cases: [(String, StoreError.Code, String, @Sendable () async throws -> Void)] = [
            (
                "huntGroup.members[1]", .notFound, "no line with number 4999",
                { try await store.insert(HuntGroupRecord(pilot: "4100"), members: ["4001", "4999"]) }
            ),
            (
                "huntGroup.members", .invalidValue, "lists 4001 twice",
                { try await store.insert(HuntGroupRecord(pilot: "4100"), members: ["4001", "4001"]) }
            ),
            (
                "huntGroup.members", .invalidValue, "must list 1 to 100",
                { try await store.insert(HuntGroupRecord(pilot: "4100"), members: []) }
            ),
            (
                "huntGroup.members[0]", .invalidValue, "must be 1 to 24",
                { try await store.insert(HuntGroupRecord(pilot: "4100"), members: ["40-1"]) }
            ),
            (
                "huntGroup.pilot", .conflict, "4001 is already a line",
                { try await store.insert(HuntGroupRecord(pilot: "4001"), members: ["4002"]) }
            ),
            (
                "huntGroup.pilot", .conflict, "a hunt group with pilot 4000 already exists",
                { try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["4002"]) }
            ),
            (
                "huntGroup.pilot", .invalidValue, "must be 1 to 24",
                { try await store.insert(HuntGroupRecord(pilot: "pilot"), members: ["4002"]) }
            ),
            (
                "huntGroup.noAnswerTimeoutSeconds", .invalidValue, "between 1 and 300",
                {
                    try await store.insert(HuntGroupRecord(pilot: "4100", noAnswerTimeoutSeconds: 0), members: ["4002"])
                }
            ),
            (
                "huntGroup.finalDestination", .invalidValue, "must not be the group's own pilot",
                {
                    try await store.insert(HuntGroupRecord(pilot: "4100", finalDestination: "4100#"), members: ["4002"])
                }
            ),
            (
                "huntGroup.finalDestination", .invalidValue, "must be 1 to 32",
                {
                    try await store.insert(HuntGroupRecord(pilot: "4100", finalDestination: "x"), members: ["4002"])
                }
            ),
        ]
        for (field, code, message, write) in cases {
            let error = await Self.storeError(write)
            #expect(error?.field == field, "\(String(describing: error))")
            #expect(error?.code == code, "\(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
        #expect(await probe.drain() == [], "a refused write publishes nothing")
        #expect(try await store.huntGroupDetails().map(\.group.pilot) == ["4000"])
    }

    @Test func finalDestinationsMayNotLoopThroughHuntGroups() async throws {
        let store = try await Self.makeStoreWithLines()
        try await store.insert(HuntGroupRecord(pilot: "4000", finalDestination: "4100"), members: ["4001"])
        let second = try await store.insert(HuntGroupRecord(pilot: "4100", finalDestination: "4200"), members: ["4002"])
        // 4200 → 4000 → 4100 → 4200.
        let error = await Self.storeError {
            try await store.insert(HuntGroupRecord(pilot: "4200", finalDestination: "4000"), members: ["4003"])
        }
        #expect(error?.field == "huntGroup.finalDestination")
        #expect(error?.message.contains("4200 → 4000 → 4100 → 4200") == true, "\(String(describing: error))")
        #expect(try await store.huntGroupDetails(pilot: "4200").isEmpty, "nothing was written")

        // A chain that ends somewhere else is fine, and so is changing 4100 to end at a line.
        try await store.insert(HuntGroupRecord(pilot: "4200", finalDestination: "4004"), members: ["4003"])
        var group = second.group
        group.finalDestination = "4001"
        try await store.update(group, members: nil)
    }

    // MARK: - Pickup groups

    @Test func pickupGroupWritesArePublishedAndInTheDirectory() async throws {
        let store = try await Self.makeStoreWithLines()
        var probe = ChangeProbe(store)

        let created = try await store.insert(PickupGroupRecord(number: "5000"), members: ["4001", "4002"])
        #expect(
            await probe.drain() == [.upsertPickupGroup(PickupGroup(number: "5000", members: ["4001", "4002"]))]
        )
        var directory = try await store.directory()
        #expect(directory.pickupGroup(ofMember: "4002")?.number == "5000")

        var group = created.group
        group.number = "5001"
        try await store.update(group, members: ["4002", "4003"])
        #expect(
            await probe.drain() == [
                .removePickupGroup("5000"), .upsertPickupGroup(PickupGroup(number: "5001", members: ["4002", "4003"])),
            ]
        )
        directory = try await store.directory()
        #expect(directory.pickupGroup(ofMember: "4001") == nil)
        #expect(directory.pickupGroup(ofMember: "4003")?.number == "5001")

        try await store.deletePickupGroup(number: "5001")
        #expect(await probe.drain() == [.removePickupGroup("5001")])
        #expect(try await store.pickupGroupDetails().isEmpty)
    }

    @Test(.sqliteOnly) func aNumberBelongsToAtMostOnePickupGroup() async throws {
        let store = try await Self.makeStoreWithLines()
        try await store.insert(PickupGroupRecord(number: "5000"), members: ["4001", "4002"])
        let error = await Self.storeError {
            try await store.insert(PickupGroupRecord(number: "5100"), members: ["4003", "4002"])
        }
        #expect(error?.code == .conflict)
        #expect(error?.field == "pickupGroup.members")
        #expect(error?.message.contains("line 4002 is already in pickup group 5000") == true)
        #expect(try await store.pickupGroupDetails(number: "5100").isEmpty)

        // The database holds the rule too, whatever writes to it.
        let other = try await store.insert(PickupGroupRecord(number: "5100"), members: ["4003"])
        await #expect(throws: DatabaseError.self) {
            try await store.database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO pickupGroupMember (pickupGroupId, lineId)
                        SELECT ?, id FROM line WHERE number = '4001'
                        """,
                    arguments: [other.group.id]
                )
            }
        }

        // Updating a group with its own members again is not a conflict with itself.
        try await store.update(other.group, members: ["4003", "4004"])
        #expect(try await store.pickupGroupDetails(number: "5100").first?.members == ["4003", "4004"])
    }

    @Test func pickupGroupValidation() async throws {
        let store = try await Self.makeStoreWithLines()
        try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["4001"])
        var error = await Self.storeError {
            try await store.insert(PickupGroupRecord(number: "4000"), members: ["4001"])
        }
        #expect(error?.field == "pickupGroup.number")
        #expect(error?.message.contains("4000 is already the pilot of a hunt group") == true)
        error = await Self.storeError { try await store.insert(PickupGroupRecord(number: "4004"), members: ["4001"]) }
        #expect(error?.message.contains("4004 is already a line") == true)
        error = await Self.storeError { try await store.insert(PickupGroupRecord(number: "5000"), members: ["4999"]) }
        #expect(error?.code == .notFound)
        #expect(error?.field == "pickupGroup.members[0]")
        error = await Self.storeError {
            try await store.insert(PickupGroupRecord(number: "5000"), members: Array(repeating: "4001", count: 501))
        }
        #expect(error?.message.contains("must list 1 to 500") == true)
    }

    // MARK: - Lines that are members

    @Test func aMemberLineIsNotDeletedAndARenumberedOneStaysAMember() async throws {
        let store = try await Self.makeStoreWithLines()
        try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["4001", "4003"])
        try await store.insert(HuntGroupRecord(pilot: "4100"), members: ["4003"])
        try await store.insert(PickupGroupRecord(number: "5000"), members: ["4003"])
        var probe = ChangeProbe(store)

        let error = await Self.storeError { try await store.deleteLine(number: "4003") }
        #expect(error?.code == .conflict)
        #expect(error?.field == "line.number")
        #expect(
            error?.message == "line 4003 is a member of hunt groups 4000, 4100 and pickup group 5000; take it out first"
        )
        #expect(try await store.line(number: "4003") != nil)

        var line = try #require(try await store.line(number: "4003"))
        line.number = "4033"
        try await store.update(line)
        let changes = await probe.drain()
        #expect(changes.contains(.upsertHuntGroup(HuntGroup(pilot: "4000", members: ["4001", "4033"]))))
        #expect(changes.contains(.upsertHuntGroup(HuntGroup(pilot: "4100", members: ["4033"]))))
        #expect(changes.contains(.upsertPickupGroup(PickupGroup(number: "5000", members: ["4033"]))))
        #expect(changes.last == .removeLine("4003"))
        #expect(try await store.directory().huntGroups["4000"]?.members == ["4001", "4033"])

        // Out of every group, it can go.
        try await store.deleteHuntGroup(pilot: "4100")
        try await store.deletePickupGroup(number: "5000")
        let pilot = try #require(try await store.huntGroupDetails(pilot: "4000").first)
        try await store.update(pilot.group, members: ["4001"])
        try await store.deleteLine(number: "4033")
        #expect(try await store.line(number: "4033") == nil)
    }

    // MARK: - Park and the shared number space

    @Test func parkSettingsAreValidated() async throws {
        let store = try makeStore()
        var settings = SettingsRecord()
        let cases: [(Int?, Int?, Int, String, String)] = [
            (7000, nil, 60, "settings.parkLastSlot", "must be given together"),
            (nil, 7019, 60, "settings.parkFirstSlot", "must be given together"),
            (7019, 7000, 60, "settings.parkLastSlot", "between 7019 and"),
            (990, 1010, 60, "settings.parkLastSlot", "same number of digits, like 7000-7019, not 990-1010"),
            (70000, 71000, 60, "settings.parkLastSlot", "at most 1000 numbers, not 1001"),
            (7000, 7019, 0, "settings.parkReversionSeconds", "between 1 and 3600"),
            (-1, 7, 60, "settings.parkFirstSlot", "between 0 and"),
        ]
        for (first, last, reversion, field, message) in cases {
            settings.parkFirstSlot = first
            settings.parkLastSlot = last
            settings.parkReversionSeconds = reversion
            let error = await Self.storeError { try await store.update(settings) }
            #expect(error?.code == .invalidValue)
            #expect(error?.field == field, "\(first as Any)-\(last as Any): \(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        }
        #expect(try await store.settings().parkSlots == nil)
    }

    @Test func settingsReachCallControl() async throws {
        let store = try makeStore()
        var probe = ChangeProbe(store)
        var settings = try await store.settings()
        #expect(settings.callControlSettings.park == .off)
        #expect(settings.callControlSettings.transferOnHook == false)
        #expect(settings.callControlSettings.doNotDisturbMode == .ringerOff)

        settings.parkFirstSlot = 7000
        settings.parkLastSlot = 7019
        settings.parkReversionSeconds = 90
        settings.transferOnHook = true
        settings.doNotDisturbMode = .reject
        try await store.update(settings)
        let expected = CallControlSettings(
            park: ParkSettings(slots: 7000...7019, reversionTimeout: .seconds(90)),
            transferOnHook: true,
            doNotDisturbMode: .reject
        )
        #expect(await probe.drain() == [.replaceSettings(expected)])
        let directory = try await store.directory()
        #expect(directory.settings == expected)
        #expect(directory.dialTarget("7005") == .parkSlot("7005"))

        // Off again.
        settings.parkFirstSlot = nil
        settings.parkLastSlot = nil
        try await store.update(settings)
        #expect(try await store.directory().settings.park.slots == nil)
    }

    /// Lines, hunt pilots, pickup group numbers and park slots are one number space, the one CallControl's
    /// `isNumberInUse` checks before auto-registration hands a number out: whatever the core counts as taken, the
    /// Store refuses to create again as something else.
    @Test func theNumberSpaceIsShared() async throws {
        let store = try await Self.makeStoreWithLines()
        try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["4001"])
        try await store.insert(PickupGroupRecord(number: "5000"), members: ["4002"])
        var settings = try await store.settings()
        settings.parkFirstSlot = 7000
        settings.parkLastSlot = 7019
        try await store.update(settings)

        let directory = try await store.directory()
        for number in ["4000", "5000", "7000", "7019", "4001"] {
            #expect(directory.isNumberInUse(DirectoryNumber(number)), "\(number)")
            let error = await Self.storeError { try await store.insert(LineRecord(number: number)) }
            #expect(error?.code == .conflict, "\(number)")
            #expect(error?.field == "line.number", "\(number)")
        }
        for number in ["7020", "6999", "07000", "700"] {
            #expect(!directory.isNumberInUse(DirectoryNumber(number)), "\(number)")
            try await store.insert(LineRecord(number: number))
        }
        var error = await Self.storeError { try await store.insert(HuntGroupRecord(pilot: "7001"), members: ["4003"]) }
        #expect(error?.message == "huntGroup pilot 7001 is a park slot (7000-7019); change the park range first")
        error = await Self.storeError { try await store.insert(HuntGroupRecord(pilot: "5000"), members: ["4003"]) }
        #expect(error?.message.contains("already the number of a pickup group") == true)

        // Renumbering a line onto a pilot, and a batch import creating one, are refused the same way.
        var line = try #require(try await store.line(number: "4004"))
        line.number = "4000"
        error = await Self.storeError { try await store.update(line) }
        #expect(error?.field == "line.number")
        await #expect(throws: DirectoryBatchError.self) {
            try await store.apply(DirectoryBatch(lines: [.init(row: 2, number: "7010")]))
        }
        // Auto-registration of a number that became a pilot is refused rather than stored twice over.
        error = await Self.storeError {
            try await store.recordAutoRegistration(device: "SEP0000000000AA", number: "4000")
        }
        #expect(error?.code == .conflict)
        #expect(try await store.device(named: "SEP0000000000AA") == nil)

        // A park range over an existing number is refused, naming it.
        settings.parkFirstSlot = 4000
        settings.parkLastSlot = 4009
        error = await Self.storeError { try await store.update(settings) }
        #expect(error?.code == .conflict)
        #expect(error?.field == "settings.parkFirstSlot")
        #expect(error?.message == "settings park slots 4000-4009 include 4001, which is a line")
        settings.parkFirstSlot = 690
        settings.parkLastSlot = 709
        error = await Self.storeError { try await store.update(settings) }
        #expect(error?.message == "settings park slots 690-709 include 700, which is a line")
        settings.parkFirstSlot = 5000
        settings.parkLastSlot = 5009
        error = await Self.storeError { try await store.update(settings) }
        #expect(error?.message.contains("5000, which is a pickup group number") == true)
        #expect(try await store.settings().parkSlots == 7000...7019)
    }

    // MARK: - Do not disturb and message waiting

    /// What the core reports is stored and published to nobody: the core already has it, and a copy that arrived
    /// after a newer toggle would undo that toggle.
    @Test func aDoNotDisturbTheCoreReportsIsStoredWithoutBeingSentBack() async throws {
        let store = try await Self.makeStoreWithLines()
        var probe = ChangeProbe(store)
        let device = try await store.recordDoNotDisturb(true, device: "SEP000000004001")
        #expect(device.doNotDisturb)
        #expect(await probe.drain() == [])
        try await store.recordDoNotDisturb(true, device: "sep000000004001")
        #expect(try await store.device(named: "SEP000000004001")?.doNotDisturb == true)
        #expect(try await store.directory().devices["SEP000000004001"]?.doNotDisturb == true)
        #expect(try await store.lineDetails(number: "4003").first?.doNotDisturbDevices == ["SEP000000004001"])

        // A later write of the device carries it to the core.
        var record = try #require(try await store.device(named: "SEP000000004001"))
        record.description = "desk"
        try await store.update(record)
        #expect(
            await probe.drain() == [
                .upsertDevice(
                    DeviceConfiguration(name: "SEP000000004001", lines: ["4001", "4003"], doNotDisturb: true)
                )
            ]
        )

        let error = await Self.storeError { try await store.recordDoNotDisturb(true, device: "SEP0000000000FF") }
        #expect(error?.code == .notFound)
        #expect(error?.field == "device.name")
    }

    @Test func doNotDisturbByNumberSetsEveryDeviceWithTheLine() async throws {
        let store = try await Self.makeStoreWithLines()
        try await store.recordDoNotDisturb(true, device: "SEP000000004002")
        var probe = ChangeProbe(store)

        let devices = try await store.setDoNotDisturb(true, forDevicesWithLine: "4003")
        #expect(devices == ["SEP000000004001", "SEP000000004002"])
        // Only the device that changed is published.
        #expect(
            await probe.drain() == [
                .upsertDevice(
                    DeviceConfiguration(name: "SEP000000004001", lines: ["4001", "4003"], doNotDisturb: true)
                )
            ]
        )
        #expect(try await store.lineDetails(number: "4001").first?.doNotDisturbDevices == ["SEP000000004001"])
        try await store.setDoNotDisturb(false, forDevicesWithLine: "4003")
        #expect(await probe.drain().count == 2)
        #expect(try await store.lineDetails(number: "4003").first?.doNotDisturbDevices == [])

        var error = await Self.storeError { try await store.setDoNotDisturb(true, forDevicesWithLine: "4004") }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("line 4004 is on no device") == true)
        error = await Self.storeError { try await store.setDoNotDisturb(true, forDevicesWithLine: "4999") }
        #expect(error?.code == .notFound)
    }

    @Test func messageWaitingIsPublishedWithTheLine() async throws {
        let store = try await Self.makeStoreWithLines()
        var probe = ChangeProbe(store)
        let line = try await store.setMessageWaiting(true, lineNumber: "4003")
        #expect(line.messageWaiting)
        #expect(await probe.drain() == [.upsertLine(LineConfiguration(number: "4003", messageWaiting: true))])
        try await store.setMessageWaiting(true, lineNumber: "4003")
        #expect(await probe.drain() == [])
        #expect(try await store.directory().lines["4003"]?.messageWaiting == true)
        try await store.setMessageWaiting(false, lineNumber: "4003")
        #expect(await probe.drain() == [.upsertLine(LineConfiguration(number: "4003"))])
        let error = await Self.storeError { try await store.setMessageWaiting(true, lineNumber: "4999") }
        #expect(error?.code == .notFound)
    }

    /// A `Directory` kept current from the change stream through every kind of feature write equals a fresh
    /// snapshot after each: nothing the core needs is missed.
    @Test func theChangeStreamKeepsTheCoreDirectoryCurrent() async throws {
        let store = try await Self.makeStoreWithLines()
        let (start, stream) = try await store.directoryAndChanges()
        var directory = start
        var probe = ChangeProbe(store, stream: stream)

        func check(_ step: String) async throws {
            for change in await probe.drainRaw() { directory.apply(change) }
            let fresh = try await store.directory()
            #expect(directory.huntGroups == fresh.huntGroups, "\(step)")
            #expect(directory.pickupGroups == fresh.pickupGroups, "\(step)")
            #expect(directory.devices == fresh.devices, "\(step)")
            #expect(directory.lines == fresh.lines, "\(step)")
            #expect(directory.settings == fresh.settings, "\(step)")
            for number in ["4001", "4002", "4003", "4033"] {
                #expect(
                    directory.pickupGroup(ofMember: DirectoryNumber(number))
                        == fresh.pickupGroup(ofMember: DirectoryNumber(number)),
                    "\(step): \(number)"
                )
            }
        }

        let hunt = try await store.insert(HuntGroupRecord(pilot: "4000"), members: ["4001", "4003"])
        try await check("hunt group added")
        let pickup = try await store.insert(PickupGroupRecord(number: "5000"), members: ["4002", "4003"])
        try await check("pickup group added")
        var line = try #require(try await store.line(number: "4003"))
        line.number = "4033"
        try await store.update(line)
        try await check("member renumbered")
        try await store.setDoNotDisturb(true, forDevicesWithLine: "4033")
        try await check("DND by number")
        try await store.setMessageWaiting(true, lineNumber: "4002")
        try await check("MWI")
        var settings = try await store.settings()
        settings.parkFirstSlot = 7000
        settings.parkLastSlot = 7009
        try await store.update(settings)
        try await check("park on")
        var group = hunt.group
        group.pilot = "4100"
        try await store.update(group, members: ["4002"])
        try await check("pilot changed")
        try await store.update(pickup.group, members: ["4001"])
        try await check("pickup members changed")
        try await store.deleteHuntGroup(pilot: "4100")
        try await store.deletePickupGroup(number: "5000")
        try await check("groups deleted")
    }

    // MARK: - Call records

    @Test func callRecordsKeepTheirCallAndRedirect() async throws {
        let store = try makeStore()
        var transferred = makeCallRecord(from: "1001", to: "1003", sequence: 1)
        transferred.callID = 42
        transferred.originalCalledNumber = "1002"
        transferred.redirect = CallRedirect(.transfer, by: "1002")
        var first = makeCallRecord(from: "1001", to: "1002", setupMilliseconds: 1_699_999_990_000, sequence: 2)
        first.callID = 42
        first.endCause = .redirected
        let other = makeCallRecord(from: "1005", to: "1006", sequence: 3)
        try await store.insertCallRecords([first, transferred, other])

        let story = try await store.callDetailRecords(callID: 42)
        #expect(story.map(\.calledNumber) == ["1003", "1002"])
        #expect(story.first?.redirectReason == .transfer)
        #expect(story.first?.redirectingNumber == "1002")
        #expect(story.first?.originalCalledNumber == "1002")
        #expect(story.first?.callID == 42)
        #expect(story.last?.endCause == .redirected)
        #expect(story.last?.redirectReason == nil)
        #expect(try await store.callDetailRecords(number: "1006").first?.callID == nil)
        #expect(try await store.callDetailRecords(number: "1003", callID: 42).count == 1)

        // Every reason round-trips through its text.
        for reason in RedirectReason.allCases {
            #expect(CallDetailRecord.RedirectReason(reason).rawValue == reason.rawValue)
        }
    }
}
