import Foundation
import Media
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Store
import StrowgerApp
import Testing
import ToolSupport

/// A real SIP user agent, baresip, calling a SkinnyPhone through a trunk and being called by one, with RTP flowing
/// both ways directly between them: the phone counts the packets it receives from baresip, baresip reports what it
/// received from the phone when the call ends. Strowger relays no audio (it has no media stream in either call).
@Suite(.serialized) struct SIPBaresipTests {
    static let timeout = TestServer.timeout

    @Test func baresipIsPresentWhenRequired() {
        if ProcessInfo.processInfo.environment["STROWGER_REQUIRE_BARESIP"] == "1" {
            #expect(
                Baresip.executable != nil,
                "STROWGER_REQUIRE_BARESIP=1 but baresip was not found on PATH; scripts/test installs it"
            )
        }
    }

    /// A server with SIP, a trunk to baresip on 127.0.0.1:`port` and the route 9.! to it.
    static func with(_ body: (SIPCallTests.Rig) async throws -> Void) async throws {
        try await SIPCallTests.with { rig in
            try await rig.addTrunk()
            try await body(rig)
        }
    }

    @Test(.enabled(if: Baresip.executable != nil, Baresip.missing))
    func baresipCallsAPhoneAndRTPFlowsBothWays() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let baresip = try Baresip.start(
                port: rig.peerPort,
                user: "5551234",
                commands: ["/dial sip:2001@127.0.0.1:\(rig.sipPort)"]
            )
            do {
                let ringing = try await alice.waitForRinging(timeout: Self.timeout)
                try await alice.answer()
                // RTP from baresip reaches the phone, and the phone sends to baresip.
                try await alice.waitForRTP(packets: 50, callReference: ringing.callReference, timeout: Self.timeout)
                let sent = try await alice.waitForState("RTP sent to baresip", timeout: Self.timeout) { state in
                    state.calls[ringing.callReference].flatMap { $0.rtpPacketsSent >= 50 ? $0 : nil }
                }
                #expect(sent.rtpPacketsInvalid == 0)
                // Strowger relays nothing: no media stream of its own.
                #expect(await rig.server.application.mediaServer.statistics().statistics.packetsReceived == 0)
                try await alice.onHook()
                try await baresip.waitFor("terminated")
                try await baresip.waitFor("packets:")
                let packets = try #require(baresip.lastCallPackets, "baresip: \(baresip.output)")
                #expect(packets.received >= 40, "baresip received \(packets.received) RTP packets")
                #expect(packets.sent >= 40)
                let record = try #require(try await rig.records(1).first)
                #expect(record.trunk == "sipp")
                #expect(record.codec == .g711ulaw)
            } catch {
                Issue.record("baresip: \(baresip.output)")
                await baresip.stop()
                throw error
            }
            await baresip.stop()
            try await rig.waitUntilClean(phones: 1)
        }
    }

    @Test(.enabled(if: Baresip.executable != nil, Baresip.missing))
    func aPhoneCallsBaresipAndRTPFlowsBothWays() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let baresip = try Baresip.start(port: rig.peerPort, user: "5551234")
            do {
                try await baresip.waitFor("baresip is ready")
                try await alice.offHook()
                try await alice.waitForCallState(.offHook, timeout: Self.timeout)
                try await alice.dial("95551234#")
                let call = try await alice.waitForCall(.connected, timeout: Self.timeout)
                try await alice.waitForRTP(packets: 50, callReference: call.callReference, timeout: Self.timeout)
                _ = try await alice.waitForState("RTP sent to baresip", timeout: Self.timeout) { state in
                    state.calls[call.callReference].flatMap { $0.rtpPacketsSent >= 50 ? () : nil }
                }
                try await alice.onHook()
                try await baresip.waitFor("terminated")
                try await baresip.waitFor("packets:")
                let packets = try #require(baresip.lastCallPackets, "baresip: \(baresip.output)")
                #expect(packets.received >= 40, "baresip received \(packets.received) RTP packets")
                let record = try #require(try await rig.records(1).first)
                #expect(record.calledNumber == "5551234")
                #expect(record.endCause == .normalClearing)
            } catch {
                Issue.record("baresip: \(baresip.output)")
                await baresip.stop()
                throw error
            }
            await baresip.stop()
            try await rig.waitUntilClean(phones: 1)
        }
    }

    /// A phone's keys reach baresip as RFC 4733 telephone-events in the phone's own RTP: baresip offers
    /// telephone-event, the phone is told its payload type, and baresip (its ctrl_tcp module) reports the digits it
    /// decoded from the stream. Nothing passes through Strowger.
    @Test(.enabled(if: Baresip.executable != nil, Baresip.missing))
    func aPhonesKeysReachBaresipAsRFC4733Events() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let controlPort = try await SIPTrunkTests.freePort()
            let baresip = try Baresip.start(port: rig.peerPort, user: "5551234", controlPort: controlPort)
            let events = BaresipEvents()
            do {
                try await baresip.waitFor("baresip is ready")
                let control = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(events) }
                    }
                    .connect(host: "127.0.0.1", port: controlPort).get()
                defer { control.close(promise: nil) }
                try await alice.offHook()
                try await alice.waitForCallState(.offHook, timeout: Self.timeout)
                try await alice.dial("95551234#")
                let call = try await alice.waitForCall(.connected, timeout: Self.timeout)
                try await alice.waitForRTP(packets: 10, callReference: call.callReference, timeout: Self.timeout)
                let starts = try await alice.history().compactMap { received -> UInt32? in
                    if case .startMediaTransmission(let message) = received.message {
                        return message.rfc2833PayloadType
                    }
                    return nil
                }
                #expect(!starts.isEmpty && starts.allSatisfy { $0 != 0 }, "StartMediaTransmission: \(starts)")
                try await alice.dial("4")
                try await Task.sleep(for: .milliseconds(300))
                try await alice.dial("2")
                let digits = try await Eventually.wait("baresip to report the digits", timeout: Self.timeout) {
                    let keys = events.dtmfStarts
                    return keys.count >= 2 ? keys : nil
                }
                #expect(digits == ["4", "2"], "baresip events: \(events.text)")
                // baresip answers the BYE (libre reports it as a session reset rather than printing "terminated" on
                // some runs); the server's side being clean below is what counts.
                try await alice.onHook()
                try await alice.waitForIdle(timeout: Self.timeout)
            } catch {
                Issue.record("baresip: \(baresip.output) events: \(events.text)")
                await baresip.stop()
                throw error
            }
            await baresip.stop()
            try await rig.waitUntilClean(phones: 1)
        }
    }
}

/// What baresip's ctrl_tcp module reports: JSON events in netstrings, kept as text.
final class BaresipEvents: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let received = NIOLockedValueBox("")

    var text: String { received.withLockedValue { $0 } }

    /// The keys of the CALL_DTMF_START events so far, in order.
    var dtmfStarts: [String] {
        text.components(separatedBy: "\"type\":\"CALL_DTMF_START\"").dropFirst().compactMap { rest in
            guard let range = rest.range(of: "\"param\":\"") else { return nil }
            return rest[range.upperBound...].first.map(String.init)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        received.withLockedValue { text in
            // Bounded: a test's events are a few kilobytes.
            guard text.utf8.count < 1_000_000 else { return }
            text += String(buffer: buffer)
        }
    }
}
