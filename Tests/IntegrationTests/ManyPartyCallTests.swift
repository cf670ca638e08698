import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing

/// Calls with more than two parties end to end, over loopback with simulated phones at protocol versions 5, 11, 17
/// and 22: transfer (consulted, blind, to an invalid number), shared lines and do-not-disturb, each with RTP checked
/// between the parties who end up talking (docs/callcontrol.md, "Features of many-party calls").
@Suite struct ManyPartyCallTests {
    static let versions: [UInt8] = [5, 11, 17, 22]
    let timeout = TestServer.timeout

    /// Three auto-registered phones: A at `version`, B and C at versions around it.
    static func threePhones(
        _ server: TestServer,
        version: UInt8
    ) async throws -> [(phone: SkinnyPhone, number: String)] {
        let others: [UInt8] = version == 5 ? [22, 11] : [5, version == 17 ? 11 : 17]
        return [
            try await server.registeredPhone(Calls.deviceName(0xA1), version: version),
            try await server.registeredPhone(Calls.deviceName(0xB2), version: others[0]),
            try await server.registeredPhone(Calls.deviceName(0xC3), version: others[1]),
        ]
    }

    /// Waits until `phone` receives `more` RTP packets beyond what it had, on any call.
    func waitForMoreRTP(_ phone: SkinnyPhone, _ more: Int = 10) async throws {
        let before = try await phone.state().rtpPacketsReceived
        try await phone.waitForRTP(packets: before + more, timeout: timeout)
    }

    /// Waits until `phone` shows `number` as the other party of its connected call.
    func waitForConnected(_ phone: SkinnyPhone, to number: String) async throws {
        _ = try await phone.waitForState("connected to \(number)", timeout: timeout) { state in
            state.calls.values.first { call in
                call.state == .connected && (call.callingParty == number || call.calledParty == number)
            }
        }
    }

    /// The transferrer's consultation call, once it is off-hook with dial tone.
    func waitForConsultation(_ phone: SkinnyPhone, other: UInt32) async throws -> UInt32 {
        try await phone.waitForState("a consultation call", timeout: timeout) { state in
            state.calls.values.first { $0.callReference != other && $0.state == .offHook }?.callReference
        }
    }

    @Test(arguments: versions)
    func consultedTransferLeavesTheOtherTwoTalking(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let phones = try await Self.threePhones(server, version: version)
            let (a, b, c) = (phones[0], phones[1], phones[2])
            let (first, _) = try await Calls.establish(
                from: a.phone,
                to: b.phone,
                number: b.number,
                callerNumber: a.number
            )

            try await a.phone.softKey(.transfer, call: first)
            try await a.phone.waitForCallState(.hold, timeout: timeout)
            let consultation = try await waitForConsultation(a.phone, other: first)
            try await a.phone.dial(c.number)
            try await c.phone.waitForRinging(timeout: timeout)
            try await c.phone.answer()
            try await waitForConnected(a.phone, to: c.number)
            try await waitForMoreRTP(a.phone)

            try await a.phone.softKey(.transfer, call: consultation)
            try await a.phone.waitForIdle(timeout: timeout)
            try await waitForConnected(b.phone, to: c.number)
            try await waitForConnected(c.phone, to: b.number)
            // Media now runs directly between B and C.
            try await waitForMoreRTP(b.phone)
            try await waitForMoreRTP(c.phone)
            let status = try await server.status()
            #expect(status.activeCalls == 1 && status.activeMediaStreams == 2)

            try await c.phone.onHook()
            try await b.phone.waitForIdle(timeout: timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test(arguments: versions)
    func blindTransferHandsTheHeldPartyTheRingingTarget(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let phones = try await Self.threePhones(server, version: version)
            let (a, b, c) = (phones[0], phones[1], phones[2])
            let (_, first) = try await Calls.establish(
                from: b.phone,
                to: a.phone,
                number: a.number,
                callerNumber: b.number
            )

            try await a.phone.softKey(.transfer, call: first)
            let consultation = try await waitForConsultation(a.phone, other: first)
            try await a.phone.dial(c.number)
            let ringing = try await c.phone.waitForRinging(timeout: timeout)
            #expect(ringing.callingParty == a.number || ringing.callingParty.isEmpty)
            try await a.phone.waitForCallState(.ringOut, timeout: timeout)

            try await a.phone.softKey(.transfer, call: consultation)
            try await a.phone.waitForIdle(timeout: timeout)
            // B hears C ring; C's display now shows B.
            try await b.phone.waitForCallState(.ringOut, timeout: timeout)
            _ = try await c.phone.waitForState("B's caller ID", timeout: timeout) { state in
                state.calls[ringing.callReference]?.callingParty == b.number ? () : nil
            }
            try await c.phone.answer()
            try await waitForConnected(b.phone, to: c.number)
            try await waitForMoreRTP(b.phone)
            try await waitForMoreRTP(c.phone)
            try await b.phone.onHook()
            try await c.phone.waitForIdle(timeout: timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test(arguments: versions)
    func transferToAnInvalidNumberGivesTheHeldPartyBack(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let phones = try await Self.threePhones(server, version: version)
            let (a, b) = (phones[0], phones[1])
            let (first, _) = try await Calls.establish(
                from: a.phone,
                to: b.phone,
                number: b.number,
                callerNumber: a.number
            )
            try await a.phone.softKey(.transfer, call: first)
            let consultation = try await waitForConsultation(a.phone, other: first)
            try await a.phone.dial("9999#")
            try await a.phone.waitForCallState(.invalidNumber, timeout: timeout)
            try await a.phone.softKey(.transfer, call: consultation)
            // The consultation ends, A talks to B again, and A is told the transfer failed.
            try await waitForConnected(a.phone, to: b.number)
            _ = try await a.phone.waitForState("a transfer-failed notice", timeout: timeout) {
                $0.notify == SkinnyText.label(82) ? () : nil
            }
            try await waitForMoreRTP(a.phone)
            try await waitForMoreRTP(b.phone)
            try await a.phone.onHook()
            try await b.phone.waitForIdle(timeout: timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test(arguments: versions)
    func aSharedLineRingsEveryPhoneAndTheOthersShowInUseRemote(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/lines",
                json: AdminAPI.Line(number: "2000", displayName: "Reception"),
                as: AdminAPI.Line.self
            )
            let desks = (1...3).map { Calls.deviceName(0xD00 + $0) }
            for desk in desks {
                _ = try await client.send(
                    .post,
                    "/api/devices",
                    json: AdminAPI.Device(name: desk, lines: ["2000"]),
                    as: AdminAPI.Device.self
                )
            }
            try await server.waitUntilRouted("2000", to: desks[2])
            var deskPhones: [SkinnyPhone] = []
            for (index, desk) in desks.enumerated() {
                let deskVersion: UInt8 = index == 0 ? version : Self.versions[(index + 1) % Self.versions.count]
                deskPhones.append(try await server.registeredPhone(desk, version: deskVersion).phone)
            }
            let caller = try await server.registeredPhone(Calls.deviceName(0xA1), version: 11)
            try await caller.phone.offHook()
            try await caller.phone.dial("2000")
            for desk in deskPhones { try await desk.waitForRinging(timeout: timeout) }

            // The first desk (at the version under test) answers; the others show the call In Use Remote.
            try await deskPhones[0].answer()
            try await waitForConnected(caller.phone, to: "2000")
            for desk in deskPhones.dropFirst() {
                try await desk.waitForCallState(.remoteMultiline, timeout: timeout)
                #expect(try await desk.state().ringingCall == nil)
            }
            try await waitForMoreRTP(caller.phone)
            try await waitForMoreRTP(deskPhones[0])

            try await caller.phone.onHook()
            for desk in deskPhones { try await desk.waitForIdle(timeout: timeout) }
            try await server.waitUntilClean(registered: 4)
        }
    }

    @Test(arguments: versions)
    func doNotDisturbShowsTheNoticeAndRingsSilently(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let bob = try await server.registeredPhone(Calls.deviceName(0xB2), version: version)
            let alice = try await server.registeredPhone(Calls.deviceName(0xA1), version: 11)
            try await bob.phone.softKey(.doNotDisturb)
            _ = try await bob.phone.waitForState("the DND notice", timeout: timeout) {
                $0.priorityNotify == SkinnyText.secondaryLabel(57) ? () : nil
            }
            try await alice.phone.offHook()
            try await alice.phone.dial(bob.number)
            let ringing = try await bob.phone.waitForRinging(timeout: timeout)
            #expect(try await bob.phone.state().ringer == .off)
            // The call can still be answered.
            try await bob.phone.answer()
            try await waitForMoreRTP(alice.phone)
            try await alice.phone.onHook()
            try await bob.phone.waitForIdle(timeout: timeout)
            #expect(ringing.lineInstance == 1)

            try await bob.phone.softKey(.doNotDisturb)
            _ = try await bob.phone.waitForState("the DND notice cleared", timeout: timeout) {
                $0.priorityNotify == nil ? () : nil
            }
            try await server.waitUntilClean(registered: 2)
        }
    }
}

/// The many-party features captured on loopback and read back by tshark: a consulted transfer, a shared line answered
/// on one of its phones (In Use Remote on the other), DND on and off, and a transfer-failed notice. Every SCCP frame
/// must decode, with no malformed frame and no expert warning (CaptureTests explains the checks).
@Suite struct ManyPartyCaptureTests {
    let timeout = TestServer.timeout

    @Test(
        .enabled(if: PacketCapture.unavailableReason == nil, CaptureTests.unavailable),
        arguments: [UInt8(5), 11, 17, 22]
    )
    func manyPartyFeaturesDecodeInTshark(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/lines",
                json: AdminAPI.Line(number: "2000", displayName: "Reception"),
                as: AdminAPI.Line.self
            )
            for desk in [0xD01, 0xD02] {
                _ = try await client.send(
                    .post,
                    "/api/devices",
                    json: AdminAPI.Device(name: Calls.deviceName(desk), lines: ["2000"]),
                    as: AdminAPI.Device.self
                )
            }
            try await server.waitUntilRouted("2000", to: Calls.deviceName(0xD02))
            let capture = try await PacketCapture.start(port: server.port, timeout: timeout)
            defer { CaptureTests.keepOrRemove(capture, name: "many-party-v\(version)") }
            var ports: [Int] = []
            do {
                let phones = try await ManyPartyCallTests.threePhones(server, version: version)
                let (a, b, c) = (phones[0], phones[1], phones[2])
                let desk1 = try await server.registeredPhone(Calls.deviceName(0xD01), version: version).phone
                let desk2 = try await server.registeredPhone(Calls.deviceName(0xD02), version: 11).phone
                for phone in [a.phone, b.phone, c.phone, desk1, desk2] {
                    ports.append(try #require(phone.channel.localAddress?.port))
                }
                let test = ManyPartyCallTests()

                // Consulted transfer A → (B, C).
                let (first, _) = try await Calls.establish(
                    from: a.phone,
                    to: b.phone,
                    number: b.number,
                    callerNumber: a.number
                )
                try await a.phone.softKey(.transfer, call: first)
                let consultation = try await test.waitForConsultation(a.phone, other: first)
                try await a.phone.dial(c.number)
                try await c.phone.waitForRinging(timeout: timeout)
                try await c.phone.answer()
                try await test.waitForConnected(a.phone, to: c.number)
                try await a.phone.softKey(.transfer, call: consultation)
                try await test.waitForConnected(b.phone, to: c.number)
                try await c.phone.onHook()
                try await b.phone.waitForIdle(timeout: timeout)

                // A failed transfer: the notice.
                let (again, _) = try await Calls.establish(
                    from: a.phone,
                    to: b.phone,
                    number: b.number,
                    callerNumber: a.number
                )
                try await a.phone.softKey(.transfer, call: again)
                let second = try await test.waitForConsultation(a.phone, other: again)
                try await a.phone.dial("9999#")
                try await a.phone.waitForCallState(.invalidNumber, timeout: timeout)
                try await a.phone.softKey(.transfer, call: second)
                try await test.waitForConnected(a.phone, to: b.number)
                try await b.phone.onHook()
                try await a.phone.waitForIdle(timeout: timeout)

                // Shared line: desk 1 answers, desk 2 shows In Use Remote.
                try await c.phone.offHook()
                try await c.phone.dial("2000")
                try await desk1.waitForRinging(timeout: timeout)
                try await desk2.waitForRinging(timeout: timeout)
                try await desk1.answer()
                try await desk2.waitForCallState(.remoteMultiline, timeout: timeout)
                try await c.phone.onHook()
                try await desk2.waitForIdle(timeout: timeout)

                // DND on and off.
                try await desk1.softKey(.doNotDisturb)
                _ = try await desk1.waitForState("DND on", timeout: timeout) { $0.priorityNotify != nil ? () : nil }
                try await desk1.softKey(.doNotDisturb)
                _ = try await desk1.waitForState("DND off", timeout: timeout) { $0.priorityNotify == nil ? () : nil }

                for phone in [a.phone, b.phone, c.phone, desk1, desk2] {
                    try await phone.unregister(timeout: timeout)
                }
                try await server.waitUntilClean(registered: 0)
                try await capture.stop()
            } catch {
                try? await capture.stop()
                throw error
            }
            let frames = try await capture.read(fields: CaptureTests.fields)
            let sccpFrames = CaptureTests.verify(frames, phonePorts: ports)
            #expect(sccpFrames > 100, "only \(sccpFrames) SCCP frames captured")
            // The softkeys that matter reached the wire and tshark read them.
            let desk2Messages = CaptureTests.messages(in: frames, phonePort: ports[4])
            CaptureTests.expectInOrder(
                desk2Messages,
                ["←CallState(4)", "←CallState(13)", "←CallState(2)"],
                phone: "desk 2"
            )
        }
    }
}

/// Hunt groups, call pickup and call park end to end, configured through the admin API as a user would, at protocol
/// versions 5, 11, 17 and 22, with RTP checked between the parties who end up talking.
@Suite struct GroupAndParkCallTests {
    let timeout = TestServer.timeout
    let calls = ManyPartyCallTests()

    @Test(arguments: ManyPartyCallTests.versions)
    func aHuntGroupOffersTheCallToTheNextMemberWhenOneDoesNotAnswer(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let phones = try await ManyPartyCallTests.threePhones(server, version: version)
            let (caller, first, second) = (phones[0], phones[1], phones[2])
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/hunt-groups",
                json: AdminAPI.HuntGroup(
                    pilot: "4000",
                    members: [first.number, second.number],
                    noAnswerTimeoutSeconds: 1
                ),
                as: AdminAPI.HuntGroup.self
            )
            try await server.waitUntilHuntGroup("4000")
            try await caller.phone.offHook()
            try await caller.phone.dial("4000")
            // The first member rings and does not answer; after a second the call moves to the second.
            try await first.phone.waitForRinging(timeout: timeout)
            try await first.phone.waitForIdle(timeout: timeout)
            try await second.phone.waitForRinging(timeout: timeout)
            try await second.phone.answer()
            try await calls.waitForConnected(caller.phone, to: second.number)
            try await calls.waitForMoreRTP(caller.phone)
            try await calls.waitForMoreRTP(second.phone)
            try await caller.phone.onHook()
            try await second.phone.waitForIdle(timeout: timeout)
            let records = try await server.waitForCallRecords(1, client: client)
            #expect(records.last?.calledNumber == second.number)
            #expect(records.last?.redirectReason == "hunt")
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test(arguments: ManyPartyCallTests.versions)
    func pickUpAnswersACallRingingInTheGroup(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let phones = try await ManyPartyCallTests.threePhones(server, version: version)
            let (picker, ringing, caller) = (phones[0], phones[1], phones[2])
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/pickup-groups",
                json: AdminAPI.PickupGroup(number: "5000", members: [picker.number, ringing.number]),
                as: AdminAPI.PickupGroup.self
            )
            try await server.waitUntilPickupGroup("5000")
            try await caller.phone.offHook()
            try await caller.phone.dial(ringing.number)
            try await ringing.phone.waitForRinging(timeout: timeout)
            try await picker.phone.softKey(.pickUp)
            try await calls.waitForConnected(picker.phone, to: caller.number)
            try await ringing.phone.waitForIdle(timeout: timeout)
            try await calls.waitForMoreRTP(picker.phone)
            try await calls.waitForMoreRTP(caller.phone)
            try await caller.phone.onHook()
            try await picker.phone.waitForIdle(timeout: timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test(arguments: ManyPartyCallTests.versions)
    func aParkedCallIsRetrievedByDialingItsSlot(_ version: UInt8) async throws {
        try await TestServer.with { server in
            let phones = try await ManyPartyCallTests.threePhones(server, version: version)
            let (parker, parked, retriever) = (phones[0], phones[1], phones[2])
            let client = try await server.adminClient()
            _ = try await client.send(
                .patch,
                "/api/settings",
                json: AdminAPI.Settings(parkSlots: "7000-7009"),
                as: AdminAPI.Settings.self
            )
            try await server.waitUntilParkIsOn()
            let (call, _) = try await Calls.establish(
                from: parker.phone,
                to: parked.phone,
                number: parked.number,
                callerNumber: parker.number
            )
            try await parker.phone.softKey(.park, call: call)
            try await parker.phone.waitForIdle(timeout: timeout)
            _ = try await parker.phone.waitForState("the park notice", timeout: timeout) { state in
                state.notify?.hasSuffix(" 7000") == true ? () : nil
            }
            try await retriever.phone.offHook()
            try await retriever.phone.dial("7000")
            try await calls.waitForConnected(retriever.phone, to: parked.number)
            try await calls.waitForMoreRTP(retriever.phone)
            try await calls.waitForMoreRTP(parked.phone)
            try await parked.phone.onHook()
            try await retriever.phone.waitForIdle(timeout: timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }
}

extension TestServer {
    /// Waits until the core knows hunt group `pilot`.
    func waitUntilHuntGroup(_ pilot: String) async throws {
        try await self.waitForCore("hunt group \(pilot)") { $0.directory.huntGroups[DirectoryNumber(pilot)] != nil }
    }

    /// Waits until the core knows pickup group `number`.
    func waitUntilPickupGroup(_ number: String) async throws {
        try await self.waitForCore("pickup group \(number)") {
            $0.directory.pickupGroups[DirectoryNumber(number)] != nil
        }
    }

    /// Waits until the core has park slots.
    func waitUntilParkIsOn() async throws {
        try await self.waitForCore("park slots") { $0.directory.settings.park.slots != nil }
    }

    /// Waits until `condition` holds of the running core: a configuration change has been applied.
    func waitForCore(_ what: String, _ condition: @escaping @Sendable (CallControlCore) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: TestServer.timeout)
        while try await !self.application.host.withCore(condition) {
            guard clock.now < deadline else { throw TestServerError.statusTimedOut(what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
