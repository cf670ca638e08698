import AdminHTTP
import CallControl
import Foundation
import Logging
import NIOCore
import SkinnyPhone
import Store
import Testing

@testable import ServerNIO
@testable import StrowgerApp

/// Issue 12 through the whole server: feature configuration written over the admin API reaches the running core,
/// the live calls route lists real phones' legs, and a do-not-disturb change the core reports is stored and survives
/// a restart.
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

    /// The core reports DND (the DND softkey; after each registration): the server stores it for the device, the
    /// admin API shows it, and a restarted server starts with it.
    @Test func aDoNotDisturbChangeTheCoreReportsIsStoredAndSurvivesARestart() async throws {
        let server = try await TestServer.start(autoRegistration: false)
        let dataDirectory = server.dataDirectory
        do {
            let client = try await server.adminClient()
            try await Self.provision(client)
            // What the core emits when Alice presses DND (the softkey itself is the core's to handle).
            let host = server.application.host
            try await host.eventLoop.submit {
                host.run([.doNotDisturbChanged(DeviceName(Self.alice), isOn: true)])
            }.get()
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: TestServer.timeout)
            while !(try await client.get("/api/devices/\(Self.alice)", as: AdminAPI.Device.self).doNotDisturb) {
                guard clock.now < deadline else {
                    Issue.record("the DND change was never stored")
                    throw TestServerError.statusTimedOut("DND stored")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
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
            let client = try await restarted.adminClient()
            #expect(try await client.get("/api/devices/\(Self.alice)", as: AdminAPI.Device.self).doNotDisturb)
            await restarted.stop()
        } catch {
            await restarted.stop()
            throw error
        }
    }

    /// The recorder keeps the latest state per device and writes it after the fact; what is noted before a shutdown
    /// is still written.
    @Test func theRecorderWritesTheLatestStateOfEachDevice() async throws {
        let store = Store(database: try StrowgerDatabase.inMemory())
        try await store.insert(DeviceRecord(name: Self.alice))
        try await store.insert(DeviceRecord(name: Self.bob))
        let recorder = DoNotDisturbRecorder(
            store: store,
            logger: Logger(label: "dnd-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        // Noted before the loop runs: Alice on, off, on again (one write, the last); Bob on; an unknown device is
        // logged and skipped.
        recorder.record(device: DeviceName(Self.alice), isOn: true)
        recorder.record(device: DeviceName(Self.alice), isOn: false)
        recorder.record(device: DeviceName("SEP0000000000FF"), isOn: true)
        recorder.record(device: DeviceName(Self.bob), isOn: true)
        recorder.record(device: DeviceName(Self.alice), isOn: true)
        var changes = store.changes().makeAsyncIterator()
        let task = Task { await recorder.run() }
        var published: [DeviceName] = []
        while published.count < 2, let change = await changes.next() {
            if case .upsertDevice(let device) = change {
                #expect(device.doNotDisturb)
                published.append(device.name)
            }
        }
        #expect(published == [DeviceName(Self.alice), DeviceName(Self.bob)])
        task.cancel()
        await task.value
        #expect(try await store.device(named: Self.alice)?.doNotDisturb == true)
        #expect(try await store.device(named: Self.bob)?.doNotDisturb == true)
    }
}
