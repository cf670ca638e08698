import AdminHTTP
import CallControl
import Foundation
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing
import ToolSupport

/// DTMF across a SIP trunk with independent software on the other side: SIPp (Debian's `sip-tester`) checks the
/// INFO requests a phone's keys become when the far end offers no telephone-event, and sends INFO that the phone
/// must play as DTMF tones; tshark (Wireshark) reads the SCCP that tells a phone the telephone-event payload type
/// and the RFC 4733 events the phone then sends straight to the far end, with no INFO.
@Suite(.serialized) struct SIPDTMFTests {
    static let timeout = TestServer.timeout

    static func startMediaTransmissions(_ phone: SkinnyPhone) async throws -> [SkinnyMessage.StartMediaTransmission] {
        try await phone.history().compactMap {
            if case .startMediaTransmission(let message) = $0.message { return message }
            return nil
        }
    }

    /// Calls out through the trunk to SIPp running `scenario` and returns the connected call once its media runs.
    static func connectedCallOut(_ rig: SIPCallTests.Rig, _ phone: SkinnyPhone) async throws -> SkinnyPhone.Call {
        try await SIPCallTests.callOut(phone)
        let call = try await phone.waitForCall(.connected, timeout: timeout)
        let transmitting = try await phone.waitForState("media to SIPp", timeout: timeout) { state in
            state.calls[call.callReference]?.transmittingTo
        }
        #expect(transmitting == "127.0.0.1:\(rig.mediaPort)")
        return call
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func keysPressedInACallWithoutTelephoneEventsGoOutAsInfo() async throws {
        try await SIPCallTests.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas-info.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk()
            let call = try await Self.connectedCallOut(rig, alice)
            // SIPp offered no telephone-event: the phone is told no RFC 2833 payload type.
            let starts = try await Self.startMediaTransmissions(alice)
            #expect(!starts.isEmpty && starts.allSatisfy { $0.rfc2833PayloadType == 0 })
            try await alice.dial("15#")
            // SIPp answers each INFO before it takes the BYE; give the three transactions time to finish.
            try await Task.sleep(for: .seconds(1))
            try await alice.onHook()
            await SIPCallTests.expectSuccess(sipp)
            let ended = try await alice.waitForState("the call ended", timeout: Self.timeout) { state in
                state.endedCalls.last { $0.callReference == call.callReference }
            }
            #expect(ended.telephoneEventsSent == "", "the phone sent RFC 4733 events it was not told to send")
            #expect(try #require(rig.server.application.sipService).dtmfCounts().sent == 3)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func anInfoFromTheFarEndIsPlayedToThePhone() async throws {
        try await SIPCallTests.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            try await rig.addTrunk()
            let sipp = try rig.sippCalls("2001", scenario: "call-uac-info.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            let ringing = try await alice.waitForRinging(timeout: Self.timeout)
            try await alice.answer()
            // Signal=5 Duration=400: the phone plays DTMF 5 (tone 5), then it stops.
            let five = SkinnyTone.dtmf("5")
            try await alice.waitForState("DTMF 5 played", timeout: Self.timeout) { state in
                state.calls[ringing.callReference].flatMap { $0.tonesPlayed.contains { $0 == five } ? () : nil }
            }
            try await alice.waitForState("the tone stopped", timeout: Self.timeout) { state in
                state.calls[ringing.callReference].flatMap { $0.tone == nil ? () : nil }
            }
            // The INFO SIPp sent with a body Strowger does not take got 415 (SIPp checks it).
            await SIPCallTests.expectSuccess(sipp)
            #expect(try #require(rig.server.application.sipService).dtmfCounts() == (sent: 0, received: 1))
            let metrics = try await rig.server.adminClient().metrics()
            #expect(metrics.contains("strowger_sip_dtmf_total{direction=\"received\"} 1"), "\(metrics)")
            try await alice.waitForIdle(timeout: Self.timeout)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    /// SIPp offers telephone-event on 101 (call-uas.xml, which takes no INFO: one would fail the call). tshark reads
    /// the StartMediaTransmission that tells the phone payload type 101, and the RFC 4733 events for the key the
    /// phone then sends to SIPp's media port.
    @Test(
        .enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing),
        .enabled(if: PacketCapture.unavailableReason == nil, CaptureTests.unavailable)
    )
    func withTelephoneEventsThePhoneSendsRFC4733AndNoInfoGoesOut() async throws {
        try await SIPCallTests.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            let capture = try await PacketCapture.start(
                port: rig.server.port,
                udpPort: rig.mediaPort,
                timeout: Self.timeout
            )
            defer { CaptureTests.keepOrRemove(capture, name: "sip-dtmf-rfc4733") }
            let call: SkinnyPhone.Call
            do {
                try await rig.addTrunk()
                call = try await Self.connectedCallOut(rig, alice)
                try await alice.dial("7")
                try await alice.waitForState("the key sent as telephone-events", timeout: Self.timeout) { state in
                    state.calls[call.callReference].flatMap { $0.telephoneEventsSent == "7" ? () : nil }
                }
                // The event's seven packets take 140 ms.
                try await Task.sleep(for: .milliseconds(500))
                try await alice.onHook()
                await SIPCallTests.expectSuccess(sipp)
                try await capture.stop()
            } catch {
                try? await capture.stop()
                throw error
            }
            // OpenReceiveChannel and StartMediaTransmission both carry the payload type the far end offered.
            let sccp = try await capture.read(fields: ["skinny.messageId", "skinny.RFC2833PayloadType"])
            let messages = sccp.flatMap { $0["skinny.messageId"] ?? [] }.compactMap(CaptureTests.integer)
            #expect(messages.contains(0x8A) && messages.contains(0x105), "no media messages in \(messages)")
            let payloadTypes = sccp.flatMap { $0["skinny.RFC2833PayloadType"] ?? [] }.compactMap(CaptureTests.integer)
            #expect(payloadTypes.count >= 2 && payloadTypes.allSatisfy { $0 == 101 }, "\(payloadTypes)")
            let rtp = try await capture.read(
                fields: ["rtp.p_type", "rtpevent.event_id", "rtpevent.end_of_event", "rtp.marker"],
                options: ["-d", "udp.port==\(rig.mediaPort),rtp", "-o", "rtpevent.event_payload_type_value:101"]
            )
            let events = rtp.filter { $0["rtp.p_type"] == ["101"] }
            #expect(events.count == 7, "RFC 4733 packets: \(events)")
            #expect(events.allSatisfy { $0["rtpevent.event_id"] == ["7"] })
            #expect(events.first?["rtp.marker"] == ["1"])
            let ends = events.filter { $0["rtpevent.end_of_event"] == ["1"] }
            #expect(ends.count == 3)
            try await rig.waitUntilClean(phones: 1)
        }
    }
}
