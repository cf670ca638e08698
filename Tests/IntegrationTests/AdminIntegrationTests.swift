import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Store
import StrowgerApp
import Testing

extension TestServer {
    /// A client of this server's admin API, with the token the server wrote to its data directory.
    func adminClient() async throws -> AdminClient {
        let port = try await self.application.adminServer.boundPort()
        let token = try #require(try AdminTokenFile.read(from: self.dataDirectory), "the server wrote no admin token")
        return try AdminClient(server: "http://127.0.0.1:\(port)", token: token)
    }

    /// Waits until the core routes `number` to `device`: a configuration change has been applied.
    func waitUntilRouted(_ number: String, to device: String) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        while try await !self.application.host.withCore({
            $0.directory.devices(carrying: DirectoryNumber(number)).contains(DeviceName(device))
        }) {
            guard clock.now < deadline else {
                Issue.record("\(number) never routed to \(device)")
                throw TestServerError.statusTimedOut("\(number) routed to \(device)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until the admin API lists at least `count` CDRs (the writer flushes every 250 ms) and returns them.
    func waitForCallRecords(_ count: Int, client: AdminClient) async throws -> [AdminAPI.CallRecord] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        var records = try await client.get("/api/cdrs", as: [AdminAPI.CallRecord].self)
        while records.count < count {
            guard clock.now < deadline else {
                Issue.record("only \(records.count) of \(count) CDRs were written")
                throw TestServerError.statusTimedOut("\(count) CDRs")
            }
            try await Task.sleep(for: .milliseconds(50))
            records = try await client.get("/api/cdrs", as: [AdminAPI.CallRecord].self)
        }
        return records
    }
}

/// The admin API and the Store wired into a running server: configuration made through the API applies to the next
/// call without a restart, every call leaves a CDR, configuration survives a restart, and the live status shows real
/// phones.
@Suite(.serialized) struct AdminIntegrationTests {
    static let alice = "SEP00000000C001"
    static let bob = "SEP00000000C002"
    static let carol = "SEP00000000C003"

    /// Lines 3001–3003 and three phones, through the API.
    static func provision(_ client: AdminClient, bobMaxCalls: Int = 2) async throws {
        _ = try await client.send(
            .post,
            "/api/lines",
            json: AdminAPI.Line(number: "3001", displayName: "Alice"),
            as: AdminAPI.Line.self
        )
        _ = try await client.send(
            .post,
            "/api/lines",
            json: AdminAPI.Line(number: "3002", displayName: "Bob", maxCalls: bobMaxCalls, busyTrigger: bobMaxCalls),
            as: AdminAPI.Line.self
        )
        _ = try await client.send(
            .post,
            "/api/lines",
            json: AdminAPI.Line(number: "3003", displayName: "Carol"),
            as: AdminAPI.Line.self
        )
        for (device, number) in [(alice, "3001"), (bob, "3002"), (carol, "3003")] {
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: device, model: "7960", lines: [number]),
                as: AdminAPI.Device.self
            )
        }
    }

    @Test func aNumberChangeAppliesToTheNextCallWithoutARestart() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            let (alice, aliceNumber) = try await server.registeredPhone(Self.alice)
            let (bob, bobNumber) = try await server.registeredPhone(Self.bob, version: 17)
            #expect(bobNumber == "3002")

            try await Calls.establish(from: alice, to: bob, number: "3002", callerNumber: aliceNumber)
            try await alice.onHook()
            try await bob.waitForIdle(timeout: TestServer.timeout)

            // Bob's line moves to 3005; his phone is told to restart, comes back with the new number, and the next
            // call to 3005 rings it.
            let moved = try await client.send(
                .patch,
                "/api/lines/3002",
                json: AdminAPI.LinePatch(number: "3005"),
                as: AdminAPI.Line.self
            )
            #expect(moved.devices == [Self.bob])
            try await server.waitUntilRouted("3005", to: Self.bob)
            try await bob.waitForDisconnect(timeout: TestServer.timeout)
            let (restarted, newNumber) = try await server.registeredPhone(Self.bob, version: 17)
            #expect(newNumber == "3005")
            try await Calls.establish(from: alice, to: restarted, number: "3005", callerNumber: aliceNumber)
            try await alice.onHook()
            try await restarted.waitForIdle(timeout: TestServer.timeout)

            // The old number no longer reaches anyone.
            let records = try await server.waitForCallRecords(2, client: client)
            #expect(records.map(\.calledNumber) == ["3005", "3002"])
            #expect(try await server.application.host.withCore { $0.directory.devices(carrying: "3002") }.isEmpty)
            try await server.waitUntilClean(registered: 2)
        }
    }

    /// Waits until the running core has line `number` configured as `predicate` says.
    static func waitForLine(
        _ number: String,
        on server: TestServer,
        _ predicate: @escaping @Sendable (LineConfiguration) -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        while try await !server.application.host.withCore({
            predicate($0.directory.lineConfiguration(for: DirectoryNumber(number)))
        }) {
            guard clock.now < deadline else {
                Issue.record("line \(number) never reached the core as expected")
                throw TestServerError.statusTimedOut("line \(number)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `caller` dials `number`; `expected` rings, and the caller hangs up.
    static func ring(
        _ number: String,
        from caller: SkinnyPhone,
        reaches expected: SkinnyPhone,
        timeout: Duration = TestServer.timeout
    ) async throws {
        try await caller.offHook()
        try await caller.waitForCallState(.offHook, timeout: TestServer.timeout)
        try await caller.dial(number)
        _ = try await expected.waitForRinging(timeout: timeout)
        try await caller.onHook()
        try await expected.waitForIdle(timeout: TestServer.timeout)
    }

    @Test func aForwardChangeAppliesToTheNextCallWithoutARestart() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            let (alice, _) = try await server.registeredPhone(Self.alice)
            let (bob, _) = try await server.registeredPhone(Self.bob)
            let (carol, _) = try await server.registeredPhone(Self.carol)
            try await Self.ring("3002", from: alice, reaches: bob)

            // Forward All: the next call for Bob rings Carol.
            let line = try await client.send(
                .patch,
                "/api/lines/3002",
                json: AdminAPI.LinePatch(forwardAll: .some("3003")),
                as: AdminAPI.Line.self
            )
            #expect(line.forwardAll == "3003")
            try await Self.waitForLine("3002", on: server) { $0.forwardAll == "3003" }
            try await Self.ring("3002", from: alice, reaches: carol)
            #expect(try await bob.state().ringingCall == nil)

            // Cleared (JSON null), and Forward No Answer after one second instead.
            _ = try await client.send(
                .patch,
                "/api/lines/3002",
                json: AdminAPI.LinePatch(
                    forwardAll: .some(nil),
                    forwardNoAnswer: .some("3003"),
                    noAnswerTimeoutSeconds: 1
                ),
                as: AdminAPI.Line.self
            )
            try await Self.waitForLine("3002", on: server) { $0.forwardAll == nil && $0.forwardNoAnswer == "3003" }
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial("3002")
            _ = try await bob.waitForRinging(timeout: TestServer.timeout)
            _ = try await carol.waitForRinging(timeout: TestServer.timeout)
            try await carol.answer()
            _ = try await alice.waitForCall(.connected, timeout: TestServer.timeout)
            try await alice.onHook()
            try await carol.waitForIdle(timeout: TestServer.timeout)

            let records = try await server.waitForCallRecords(3, client: client)
            #expect(records.first?.dialedNumber == "3002")
            #expect(records.first?.calledNumber == "3003")
            #expect(records.first?.calledDevice == Self.carol)
            #expect(records.first?.answerTime != nil)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test func everyCallLeavesACDRAnsweredBusyAndAbandoned() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client, bobMaxCalls: 1)
            let (alice, aliceNumber) = try await server.registeredPhone(Self.alice)
            let (bob, _) = try await server.registeredPhone(Self.bob, version: 5)
            let (carol, _) = try await server.registeredPhone(Self.carol, version: 22)

            // Answered, then busy for Carol while Alice and Bob talk.
            try await Calls.establish(from: alice, to: bob, number: "3002", callerNumber: aliceNumber)
            try await carol.offHook()
            try await carol.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await carol.dial("3002")
            try await carol.waitForCallState(.busy, timeout: TestServer.timeout)
            try await carol.onHook()
            try await carol.waitForIdle(timeout: TestServer.timeout)
            try await alice.onHook()
            try await bob.waitForIdle(timeout: TestServer.timeout)

            // Abandoned: Carol calls Alice and gives up while it rings.
            try await carol.offHook()
            try await carol.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await carol.dial("3001")
            _ = try await alice.waitForRinging(timeout: TestServer.timeout)
            try await carol.onHook()
            try await alice.waitForIdle(timeout: TestServer.timeout)

            let records = try await server.waitForCallRecords(3, client: client)
            let byCause = Dictionary(grouping: records, by: \.endCause)
            let answered = try #require(byCause["normalClearing"]?.first)
            #expect(answered.callingNumber == "3001")
            #expect(answered.calledNumber == "3002")
            #expect(answered.callingDevice == Self.alice)
            #expect(answered.calledDevice == Self.bob)
            #expect(answered.answerTime != nil)
            #expect(answered.codec != nil)
            let busy = try #require(byCause["busy"]?.first)
            #expect(busy.callingNumber == "3003")
            #expect(busy.answerTime == nil)
            let abandoned = try #require(byCause["abandoned"]?.first)
            #expect(abandoned.callingNumber == "3003")
            #expect(abandoned.calledNumber == "3001")
            #expect(abandoned.answerTime == nil)

            // By number, and the counts in /metrics.
            let carols = try await client.get("/api/cdrs?number=3003", as: [AdminAPI.CallRecord].self)
            #expect(carols.count == 2)
            let metrics = try await client.metrics()
            #expect(metrics.contains(#"strowger_calls_total{cause="normalClearing"} 1"#))
            #expect(metrics.contains(#"strowger_calls_total{cause="busy"} 1"#))
            #expect(metrics.contains("strowger_registered_devices 3"))
            #expect(metrics.contains("strowger_sccp_messages_received_total"))
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test func callsUpAtACleanShutdownStillLeaveACDR() async throws {
        let server = try await TestServer.start(autoRegistration: false)
        defer { try? FileManager.default.removeItem(at: server.dataDirectory) }
        let client = try await server.adminClient()
        try await Self.provision(client)
        let (alice, aliceNumber) = try await server.registeredPhone(Self.alice)
        let (bob, _) = try await server.registeredPhone(Self.bob)
        try await Calls.establish(from: alice, to: bob, number: "3002", callerNumber: aliceNumber)

        // A graceful shutdown (SIGTERM's path): sessions end, then the writer drains.
        try await server.stopGracefully()
        let store = Store(database: try StrowgerDatabase(directory: server.dataDirectory))
        let records = try await store.callDetailRecords()
        #expect(records.count == 1)
        #expect(records.first?.answerTime != nil)
        #expect(records.first?.endCause == .deviceLost)
    }

    @Test func configurationSurvivesARestart() async throws {
        let first = try await TestServer.start(autoRegistration: false)
        let dataDirectory = first.dataDirectory
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let token = try AdminTokenFile.read(from: dataDirectory)
        do {
            let client = try await first.adminClient()
            try await Self.provision(client)
            _ = try await client.send(
                .put,
                "/api/devices/\(Self.alice)/speeddials/1",
                json: AdminAPI.SpeedDial(buttonIndex: 1, number: "3002", label: "Bob"),
                as: AdminAPI.SpeedDial.self
            )
            _ = try await client.send(
                .post,
                "/api/routes",
                json: AdminAPI.RoutePattern(pattern: "9.300X", targetNumber: "3002"),
                as: AdminAPI.RoutePattern.self
            )
            await first.stop(keepingData: true)
        } catch {
            await first.stop(keepingData: true)
            throw error
        }

        let second = try await TestServer.start(autoRegistration: false, dataDirectory: dataDirectory)
        do {
            // The same token still works: the first start's token is kept.
            #expect(try AdminTokenFile.read(from: dataDirectory) == token)
            let client = try await second.adminClient()
            let devices = try await client.get("/api/devices", as: [AdminAPI.Device].self)
            #expect(devices.map(\.name) == [Self.alice, Self.bob, Self.carol])
            #expect(devices.first?.speedDials.first?.number == "3002")

            let alice = try await second.phone(Self.alice)
            let registration = try await alice.register(timeout: TestServer.timeout)
            #expect(registration.lines.first?.displayName == "Alice")
            #expect(registration.speedDials.first?.name == "Bob")
            let (bob, bobNumber) = try await second.registeredPhone(Self.bob)
            #expect(bobNumber == "3002")
            // The stored route pattern routes: 9.300X → 3002.
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial("93009")
            _ = try await bob.waitForRinging(timeout: TestServer.timeout)
            try await alice.onHook()
            try await bob.waitForIdle(timeout: TestServer.timeout)
            await second.stop(keepingData: true)
        } catch {
            await second.stop(keepingData: true)
            throw error
        }
    }

    @Test func theLiveStatusShowsRealPhonesAndResetsThem() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            let client = try await server.adminClient()
            try await Self.provision(client)
            let (alice, _) = try await server.registeredPhone(Self.alice, version: 17)
            let (bob, _) = try await server.registeredPhone(Self.bob, version: 5)

            let devices = try await client.get("/api/status/devices", as: [AdminAPI.RegisteredDevice].self)
            #expect(devices.map(\.name) == [Self.alice, Self.bob])
            #expect(devices.map(\.protocolVersion) == [17, 5])
            #expect(devices.map(\.model) == ["7960", "7960"])
            #expect(devices.first?.address?.hasPrefix("127.0.0.1:") == true)
            #expect(devices.first?.lines == ["3001"])

            // Alice calls Bob; while it rings the call is listed, caller first.
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial("3002")
            _ = try await bob.waitForRinging(timeout: TestServer.timeout)
            let calls = try await client.get("/api/status/calls", as: [AdminAPI.ActiveCall].self)
            #expect(calls.count == 1)
            #expect(calls.first?.caller.device == Self.alice)
            #expect(calls.first?.caller.number == "3001")
            #expect(calls.first?.callee?.device == Self.bob)
            #expect(calls.first?.callee?.state == "ringingIn")
            let status = try await client.get("/api/status", as: AdminAPI.Status.self)
            #expect(status.registeredDevices == 2)
            #expect(status.activeCalls == 1)

            // A reset ends Bob's registration (and the call ringing him); his phone is sent Reset and dropped.
            let reset = try await client.send(.post, "/api/devices/\(Self.bob)/reset", as: AdminAPI.ResetResult.self)
            #expect(reset.wasRegistered)
            try await bob.waitForDisconnect(timeout: TestServer.timeout)
            try await server.waitForStatus("Bob unregistered") { $0.registeredDevices == 1 }
            try await alice.onHook()
            try await server.waitUntilClean(registered: 1)
            let again = try await client.send(.post, "/api/devices/\(Self.bob)/reset", as: AdminAPI.ResetResult.self)
            #expect(!again.wasRegistered)

            // An unknown phone (auto-registration is off) is refused, and counted by reason.
            let stranger = try await server.phone(Calls.deviceName(0xF00))
            await #expect(throws: SkinnyPhoneError.self) { try await stranger.register(timeout: TestServer.timeout) }
            let metrics = try await client.metrics()
            #expect(metrics.contains(#"strowger_sccp_connections_rejected_total{reason="registration_rejected"} 1"#))
            #expect(metrics.contains(#"strowger_sccp_connections_rejected_total{reason="malformed_frame"} 0"#))
        }
    }
}
