import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// Every record comes back from the database exactly as it was written.
@Suite struct RecordRoundTripTests {
    @Test func user() async throws {
        let store = try makeStore()
        let written = try await store.insert(
            UserRecord(name: "alice", displayName: "Alice Liddell", capabilities: [.voice, .web])
        )
        #expect(written.id != nil)
        #expect(try await store.user(id: try #require(written.id)) == written)
        #expect(try await store.user(named: "ALICE") == written)
        #expect(try await store.users() == [written])

        var changed = written
        changed.capabilities = [.voice, .video]
        try await store.update(changed)
        #expect(try await store.user(named: "alice")?.capabilities == [.voice, .video])

        try await store.deleteUser(id: try #require(written.id))
        #expect(try await store.users().isEmpty)
    }

    @Test func device() async throws {
        let store = try makeStore()
        let owner = try await store.insert(UserRecord(name: "bob"))
        // A device's group must exist (since the addCallManagerGroups migration).
        try await store.insert(CallManagerGroupRecord(name: "Berlin", members: [.init(host: "192.0.2.10")]))
        let written = try await store.insert(
            DeviceRecord(
                name: "SEP00AABBCCDDEE",
                model: "7970",
                description: "Reception",
                ownerID: owner.id,
                maxProtocolVersion: 17,
                callManagerGroup: "Berlin",
                isAutoRegistered: false
            )
        )
        #expect(try await store.device(id: try #require(written.id)) == written)
        #expect(try await store.device(named: "sep00aabbccddee") == written)
        #expect(try await store.devices() == [written])
    }

    @Test func deletingTheOwnerKeepsTheDevice() async throws {
        let store = try makeStore()
        let owner = try await store.insert(UserRecord(name: "bob"))
        let device = try await store.insert(DeviceRecord(name: "SEP00AABBCCDDEE", ownerID: owner.id))
        try await store.deleteUser(id: try #require(owner.id))
        #expect(try await store.device(id: try #require(device.id))?.ownerID == nil)
    }

    @Test func line() async throws {
        let store = try makeStore()
        let written = try await store.insert(
            LineRecord(
                number: "1001",
                displayName: "Alice",
                forwardAll: nil,
                forwardBusy: "8000",
                forwardNoAnswer: "8000#",
                noAnswerTimeoutSeconds: 20,
                maxCalls: 4,
                busyTrigger: 3,
                voicemailNumber: "*97"
            )
        )
        #expect(try await store.line(id: try #require(written.id)) == written)
        #expect(try await store.line(number: "1001") == written)
        #expect(try await store.lines() == [written])
    }

    @Test func lineAppearance() async throws {
        let store = try makeStore()
        let device = try await store.insert(DeviceRecord(name: "SEP00AABBCCDDEE"))
        let line = try await store.insert(LineRecord(number: "1001"))
        let written = try await store.insert(
            LineAppearanceRecord(deviceID: try #require(device.id), lineID: try #require(line.id), position: 1)
        )
        #expect(try await store.lineAppearances(deviceID: try #require(device.id)) == [written])
        #expect(try await store.lineAppearances(lineID: try #require(line.id)) == [written])
    }

    @Test func speedDial() async throws {
        let store = try makeStore()
        let device = try await store.insert(DeviceRecord(name: "SEP00AABBCCDDEE"))
        let deviceID = try #require(device.id)
        let written = try await store.insert(
            SpeedDialRecord(deviceID: deviceID, buttonIndex: 2, number: "1002", label: "Bob", isBusyLampField: true)
        )
        #expect(try await store.speedDials(deviceID: deviceID) == [written])
    }

    @Test func routePattern() async throws {
        let store = try makeStore()
        let translated = try await store.insert(
            RoutePatternRecord(pattern: "9.1XXX", target: .number("1000"), description: "outside", sortOrder: 2)
        )
        let blocked = try await store.insert(RoutePatternRecord(pattern: "900!", target: .blocked, sortOrder: 1))
        #expect(try await store.routePatterns() == [blocked, translated])
        #expect(try await store.routePatterns().map(\.target) == [.blocked, .number("1000")])
    }

    @Test func settings() async throws {
        let store = try makeStore()
        #expect(try await store.settings() == SettingsRecord())
        var settings = SettingsRecord()
        settings.autoRegistrationEnabled = false
        settings.autoRegistrationFirstNumber = 2000
        settings.autoRegistrationLastNumber = 2099
        settings.autoRegistrationMaxCalls = 3
        settings.autoRegistrationBusyTrigger = 1
        settings.keepAliveSeconds = 60
        settings.offHookTimeoutMilliseconds = 20_000
        settings.interdigitTimeoutMilliseconds = 3_000
        settings.failedCallTimeoutMilliseconds = 10_000
        settings.packetMilliseconds = 30
        try await store.update(settings)
        #expect(try await store.settings() == settings)
    }

    @Test func adminToken() async throws {
        let store = try makeStore()
        let created = try await store.createAdminToken(
            name: "default",
            now: Date(timeIntervalSince1970: 1_700_000_000.123)
        )
        #expect(try await store.adminTokens() == [created.record])
        #expect(created.record.createdAt == Date(timeIntervalSince1970: 1_700_000_000.123))
    }

    @Test func callDetailRecord() async throws {
        let store = try makeStore()
        let record = makeCallRecord()
        try await store.insertCallRecords([record])
        let rows = try await store.callDetailRecords()
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(row.callingDevice == "SEP000000000001")
        #expect(row.callingNumber == "1001")
        #expect(row.callingReference == 1)
        #expect(row.dialedNumber == "1002")
        #expect(row.calledNumber == "1002")
        #expect(row.calledDevice == "SEP000000000002")
        #expect(row.calledReference == 1_000_001)
        #expect(row.setupTime == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(row.answerTime == Date(timeIntervalSince1970: 1_700_000_003))
        #expect(row.endTime == Date(timeIntervalSince1970: 1_700_000_060))
        #expect(row.endCause == .normalClearing)
        #expect(row.releasedBy == .caller)
        #expect(row.codec == .g711ulaw)

        var explicit = row
        explicit.id = nil
        explicit.setupTime = Date(timeIntervalSince1970: 1_700_000_100.007_4)
        let inserted = try await store.insert(explicit)
        #expect(inserted.setupTime == Date(timeIntervalSince1970: 1_700_000_100.007))
        #expect(try await store.callDetailRecords().first == inserted)
    }

    @Test(arguments: CallDetailRecord.EndCause.allCases)
    func everyEndCauseRoundTrips(_ cause: CallDetailRecord.EndCause) async throws {
        let store = try makeStore()
        var record = CallDetailRecord(makeCallRecord())
        record.endCause = cause
        try await store.insert(record)
        #expect(try await store.callDetailRecords().map(\.endCause) == [cause])
    }
}
