import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import Logging
import NIOCore
import SkinnyPhone
import SkinnyWire
import Store
import Testing

@testable import StrowgerApp

/// Issue 12 through the whole server: feature configuration written over the admin API reaches the running core,
/// the live calls route lists real phones' legs, message waiting and DND set over the API reach the phone, and DND
/// set with the phone's softkey is stored and survives a restart.
@Suite struct CallFeatureIntegrationTests {
    static let alice = "SEP0000000A1CE0"
    static let bob = "SEP0000000000B0"

    /// Lines 3001 (Alice) and 3002 (Bob), each on its phone.
    static func provision(_ client: AdminClient) async throws {
        for number in ["3001", "3002"] {
            _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: number), as: AdminAPI.Line.self)
        }
        _ = try await client.send(
            .post,
            "/api/devices",
            json: AdminAPI.Device(name: alice, lines: ["3001"]),
            as: AdminAPI.Device.self
        )
        _ = try await client.send(
            .post,
            "/api/devices",
            json: AdminAPI.Device(name: bob, lines: ["3002"]),
            as: AdminAPI.Device.self
        )
    }

    /// Waits until `predicate` holds for the running core.
    static func waitForCore(
        _ server: TestServer,
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: @escaping @Sendable (CallControlCore) -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        while try await !server.application.host.withCore(predicate) {
            guard clock.now < deadline else {
                Issue.record("the core never saw \(what)", sourceLocation: sourceLocation)
                throw TestServerError.statusTimedOut(what)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func featureConfigurationReachesTheRunningCore() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            _ = try await client.send(
                .post,
                "/api/hunt-groups",
                json: AdminAPI.HuntGroup(pilot: "4000", members: ["3001", "3002"], algorithm: "broadcast"),
                as: AdminAPI.HuntGroup.self
            )
            _ = try await client.send(
                .post,
                "/api/pickup-groups",
                json: AdminAPI.PickupGroup(number: "5000", members: ["3001", "3002"]),
                as: AdminAPI.PickupGroup.self
            )
            _ = try await client.send(
                .patch,
                "/api/settings",
                json: AdminAPI.Settings(parkSlots: "7000-7009", transferOnHook: true, doNotDisturbMode: "reject"),
                as: AdminAPI.Settings.self
            )
            _ = try await client.send(
                .put,
                "/api/lines/3002/mwi",
                json: AdminAPI.MessageWaiting(messageWaiting: true),
                as: AdminAPI.Line.self
            )
            _ = try await client.send(
                .put,
                "/api/lines/3001/dnd",
                json: AdminAPI.DoNotDisturb(doNotDisturb: true),
                as: AdminAPI.Line.self
            )
            try await Self.waitForCore(server, "every feature change") { core in
                core.directory.huntGroups["4000"]?.algorithm == .broadcast
                    && core.directory.pickupGroup(ofMember: "3002")?.number == "5000"
                    && core.directory.dialTarget("7009") == .parkSlot("7009")
                    && core.directory.settings.transferOnHook
                    && core.directory.settings.doNotDisturbMode == .reject
                    && core.directory.lines["3002"]?.messageWaiting == true
                    && core.directory.devices[DeviceName(Self.alice)]?.doNotDisturb == true
            }
            // Auto-registration (the core's side of the shared number space) skips what the Store holds.
            let inUse = try await server.application.host.withCore { core in
                ["4000", "5000", "7000", "3001"].allSatisfy { core.directory.isNumberInUse(DirectoryNumber($0)) }
            }
            #expect(inUse)
        }
    }

    @Test func liveCallsListTheLegsOfRealPhones() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            let alice = try await server.registeredPhone(Self.alice, version: 17)
            let bob = try await server.registeredPhone(Self.bob, version: 11)
            try await Calls.establish(from: alice.phone, to: bob.phone, number: "3002", callerNumber: "3001")

            let calls = try await client.get("/api/status/calls", as: [AdminAPI.ActiveCall].self)
            #expect(calls.count == 1)
            let call = try #require(calls.first)
            #expect(call.id != nil)
            #expect(call.legs.map(\.device) == [Self.alice, Self.bob])
            #expect(call.legs.map(\.number) == ["3001", "3002"])
            #expect(call.legs.map(\.state) == ["connected", "connected"])
            #expect(call.legs.map(\.line) == [1, 1])
            #expect(call.caller == call.legs[0])
            #expect(call.callee == call.legs[1])

            try await alice.phone.onHook()
            try await server.waitUntilClean(registered: 2)
            #expect(try await client.get("/api/status/calls", as: [AdminAPI.ActiveCall].self).isEmpty)
        }
    }

    /// Waits until `predicate` holds for what the admin API answers.
    static func waitForAPI<T: Decodable & Sendable>(
        _ client: AdminClient,
        _ path: String,
        as type: T.Type,
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: (T) -> Bool
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        var value = try await client.get(path, as: T.self)
        while !predicate(value) {
            guard clock.now < deadline else {
                Issue.record("the admin API never showed \(what)", sourceLocation: sourceLocation)
                throw TestServerError.statusTimedOut(what)
            }
            try await Task.sleep(for: .milliseconds(20))
            value = try await client.get(path, as: T.self)
        }
        return value
    }

    /// DND turned on with the phone's softkey is stored for the device: the admin API shows it, and after a restart
    /// the phone is told DND is on again when it registers. Turned off on the phone, it is stored off.
    @Test func theDoNotDisturbSoftkeyIsStoredAndSurvivesARestart() async throws {
        let doNotDisturbText = SkinnyText.secondaryLabel(57)
        let server = try await TestServer.start(autoRegistration: false)
        let dataDirectory = server.dataDirectory
        do {
            let client = try await server.adminClient()
            try await Self.provision(client)
            let alice = try await server.registeredPhone(Self.alice, version: 17)
            try await alice.phone.softKey(.doNotDisturb)
            _ = try await alice.phone.waitForState("the DND notice", timeout: TestServer.timeout) {
                $0.priorityNotify == doNotDisturbText ? () : nil
            }
            _ = try await Self.waitForAPI(client, "/api/devices/\(Self.alice)", as: AdminAPI.Device.self, "DND on") {
                $0.doNotDisturb
            }
            let line = try await client.get("/api/lines/3001", as: AdminAPI.Line.self)
            #expect(line.doNotDisturbDevices == [Self.alice])
            #expect(try await server.application.store.device(named: Self.bob)?.doNotDisturb == false)
            try await server.stopGracefully()
        } catch {
            await server.stop()
            throw error
        }

        let restarted = try await TestServer.start(autoRegistration: false, dataDirectory: dataDirectory)
        do {
            let onInCore = try await restarted.application.host.withCore {
                $0.directory.devices[DeviceName(Self.alice)]?.doNotDisturb
            }
            #expect(onInCore == true)
            let alice = try await restarted.registeredPhone(Self.alice, version: 11)
            _ = try await alice.phone.waitForState("the DND notice after registering", timeout: TestServer.timeout) {
                $0.priorityNotify == doNotDisturbText ? () : nil
            }
            // Off on the phone: stored off.
            try await alice.phone.softKey(.doNotDisturb)
            let client = try await restarted.adminClient()
            _ = try await Self.waitForAPI(client, "/api/devices/\(Self.alice)", as: AdminAPI.Device.self, "DND off") {
                !$0.doNotDisturb
            }
            await restarted.stop()
        } catch {
            await restarted.stop()
            throw error
        }
    }

    /// Message waiting and DND set over the admin API reach a registered phone at once: the message lamp lights and
    /// clears, and the phone shows DND (the server's own record of it then writes nothing new).
    @Test func theAdminAPISetsMessageWaitingAndDoNotDisturbOnARegisteredPhone() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            let alice = try await server.registeredPhone(Self.alice, version: 22)
            let messageLamp = SkinnyPhone.Lamp(.voiceMail, instance: 0)

            _ = try await client.send(
                .put,
                "/api/lines/3001/mwi",
                json: AdminAPI.MessageWaiting(messageWaiting: true),
                as: AdminAPI.Line.self
            )
            _ = try await alice.phone.waitForState("the message lamp on", timeout: TestServer.timeout) {
                $0.lamps[messageLamp] == .on ? () : nil
            }
            _ = try await client.send(
                .put,
                "/api/lines/3001/mwi",
                json: AdminAPI.MessageWaiting(messageWaiting: false),
                as: AdminAPI.Line.self
            )
            _ = try await alice.phone.waitForState("the message lamp off", timeout: TestServer.timeout) {
                $0.lamps[messageLamp] == .off ? () : nil
            }

            _ = try await client.send(
                .put,
                "/api/lines/3001/dnd",
                json: AdminAPI.DoNotDisturb(doNotDisturb: true),
                as: AdminAPI.Line.self
            )
            _ = try await alice.phone.waitForState("the DND notice", timeout: TestServer.timeout) {
                $0.priorityNotify == SkinnyText.secondaryLabel(57) ? () : nil
            }
            #expect(try await client.get("/api/devices/\(Self.alice)", as: AdminAPI.Device.self).doNotDisturb)
        }
    }

    /// A consulted transfer between real phones leaves records that tell its story over the admin API: the
    /// transferrer's two calls end `redirected`, and the final conversation is "transfer by" the transferrer, under
    /// the ID of the call the held party stayed on (`?callId=` finds both of its records).
    @Test func aTransferLeavesRecordsThatTellTheStory() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            let carolName = "SEP00000000CA01"
            _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "3003"), as: AdminAPI.Line.self)
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: carolName, lines: ["3003"]),
                as: AdminAPI.Device.self
            )
            let alice = try await server.registeredPhone(Self.alice, version: 17).phone
            let bob = try await server.registeredPhone(Self.bob, version: 11).phone
            let carol = try await server.registeredPhone(carolName, version: 22).phone
            let (first, _) = try await Calls.establish(from: alice, to: bob, number: "3002", callerNumber: "3001")

            try await alice.softKey(.transfer, call: first)
            let consultation = try await alice.waitForState("a consultation call", timeout: TestServer.timeout) {
                $0.calls.values.first { $0.callReference != first && $0.state == .offHook }?.callReference
            }
            try await alice.dial("3003")
            _ = try await carol.waitForRinging(timeout: TestServer.timeout)
            try await carol.answer()
            _ = try await alice.waitForState("talking to Carol", timeout: TestServer.timeout) { state in
                state.calls[consultation]?.state == .connected ? () : nil
            }
            try await alice.softKey(.transfer, call: consultation)
            try await alice.waitForIdle(timeout: TestServer.timeout)
            _ = try await bob.waitForCall(.connected, timeout: TestServer.timeout)
            try await carol.onHook()
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 3)

            let records = try await server.waitForCallRecords(3, client: client)
            #expect(records.count == 3)
            let final = try #require(records.first { $0.redirectReason != nil }, "\(records)")
            #expect(final.callingNumber == "3002")
            #expect(final.calledNumber == "3003")
            #expect(final.redirectReason == "transfer")
            #expect(final.redirectingNumber == "3001")
            #expect(final.endCause == "normalClearing")
            #expect(
                records.filter { $0.endCause == "redirected" }.compactMap(\.calledNumber).sorted() == ["3002", "3003"]
            )
            // The call Bob stayed on: its first record (Alice to Bob) and the last (Bob to Carol) share its ID; the
            // consultation (Alice to Carol) was a call of its own.
            let callID = try #require(final.callID)
            let story = try await client.get("/api/cdrs?callId=\(callID)", as: [AdminAPI.CallRecord].self)
            #expect(story.map(\.calledNumber) == ["3003", "3002"], "\(story)")
            #expect(story.last?.endCause == "redirected")
            let consultationRecord = try #require(records.first { $0.callID != callID })
            #expect(consultationRecord.calledNumber == "3003")
            #expect(consultationRecord.callID != nil)
        }
    }

    /// The recorder writes in the order the core reported: a new phone's auto-registration before its DND, which
    /// keeps only its latest value; what is queued before a stop is still written; nothing goes back to the core but
    /// the new line.
    @Test func theRecorderStoresANewPhoneThenItsLatestDoNotDisturb() async throws {
        let store = Store(database: try StrowgerDatabase.inMemory())
        try await store.insert(DeviceRecord(name: Self.bob))
        let recorder = DeviceReportRecorder(
            store: store,
            logger: Logger(label: "device-report-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        var changes = store.changes().makeAsyncIterator()
        // Noted before the loop runs: Alice auto-registers, then presses DND on, off, on (one write, the last); Bob
        // on; an unknown device is logged and skipped.
        recorder.record(device: DeviceName(Self.alice), number: "1000")
        recorder.recordDoNotDisturb(device: DeviceName(Self.alice), isOn: true)
        recorder.recordDoNotDisturb(device: DeviceName(Self.alice), isOn: false)
        recorder.recordDoNotDisturb(device: DeviceName("SEP0000000000FF"), isOn: true)
        recorder.recordDoNotDisturb(device: DeviceName(Self.bob), isOn: true)
        recorder.recordDoNotDisturb(device: DeviceName(Self.alice), isOn: true)
        let task = Task { await recorder.run() }
        #expect(await changes.next() == .upsertLine(LineConfiguration(number: "1000")))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        while try await store.device(named: Self.bob)?.doNotDisturb != true {
            guard clock.now < deadline else {
                Issue.record("Bob's DND was never stored")
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        await task.value
        #expect(try await store.device(named: Self.alice)?.doNotDisturb == true)
        #expect(try await store.device(named: Self.alice)?.isAutoRegistered == true)
        #expect(try await store.device(named: Self.bob)?.doNotDisturb == true)
        store.finishChanges()
        #expect(await changes.next() == nil, "no device went back to the core")
    }
}
