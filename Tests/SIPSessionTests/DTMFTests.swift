import CallControl
import SIPWire
import Testing

@testable import SIPSession

/// DTMF across the trunk in SIP: the far end's telephone-event payload type for the core; a key the core relays as
/// an INFO with `application/dtmf-relay`; INFO from the far end (`application/dtmf-relay`, `application/dtmf`)
/// answered 200 and reported for its duration; other bodies 415, broken ones 400, INFO outside a dialog 481.
@Suite struct DTMFTests {
    typealias T = TrunkCallTests

    /// An answered inbound call (leg 1) and the 200 that set up its dialog.
    static func answered() throws -> (SIPEndpoint, SIPResponse) {
        var (endpoint, _) = T.endpoint()
        let ok = try T.answeredInbound(&endpoint)
        return (endpoint, ok)
    }

    static func info(after ok: SIPResponse, cseq: UInt32, type: String?, body: String) throws -> SIPRequest {
        var request = try T.inDialog(.info, after: ok, cseq: cseq, branch: "z9hG4bKinfo\(cseq)")
        if let type { request.headers.set(.contentType, type) }
        request.body = Array(body.utf8)
        return request
    }

    static func schedules(_ actions: [SIPEndpoint.Action]) -> [(SIPEndpoint.Timer, SIPInstant)] {
        actions.compactMap {
            if case .schedule(let timer, let at) = $0 { return (timer, at) }
            return nil
        }
    }

    @Test(arguments: [
        ("application/dtmf-relay", "Signal=5\r\nDuration=200\r\n", Character("5"), 200),
        ("Application/DTMF-Relay; charset=x", "signal = 11\r\nduration= 100\r\n", "#", 100),
        ("application/dtmf-relay", "Signal=a\r\n", "A", 250),
        ("application/dtmf-relay", "Signal=*\r\nDuration=60000\r\n", "*", 5_000),
        ("application/dtmf-relay", "Signal=0\r\nDuration=10\r\n", "0", 50),
        ("application/dtmf", "9\r\n", "9", 250),
    ])
    func aDigitFromTheFarEndIsAnswered200AndReportedForItsDuration(
        _ type: String,
        _ body: String,
        _ key: Character,
        _ milliseconds: Int
    ) throws {
        var (endpoint, ok) = try Self.answered()
        let request = try Self.info(after: ok, cseq: 2, type: type, body: body)
        let actions = endpoint.received(.request(request), from: T.trunkPeer, now: .seconds(10))
        #expect(T.responses(actions).map(\.statusCode) == [200])
        #expect(T.events(actions) == [.trunkDigitStarted(T.carrier, call: 1, key)])
        let schedule = try #require(
            Self.schedules(actions).first { if case .call(_, .digitEnd) = $0.0 { true } else { false } }
        )
        #expect(schedule.1 == .seconds(10) + .milliseconds(milliseconds))
        let ended = endpoint.timerFired(schedule.0, now: schedule.1)
        #expect(T.events(ended) == [.trunkDigitEnded(T.carrier, call: 1)])
    }

    @Test func otherBodiesAre415BrokenOnes400AndAnEmptyInfo200() throws {
        var (endpoint, ok) = try Self.answered()
        let foreign = endpoint.received(
            .request(try Self.info(after: ok, cseq: 2, type: "application/x-broadsoft-hook", body: "hook=flash")),
            from: T.trunkPeer,
            now: .seconds(3)
        )
        let unsupported = try #require(T.responses(foreign).first)
        #expect(unsupported.statusCode == 415)
        #expect(unsupported.headers[.accept] == "application/dtmf-relay, application/dtmf")
        for (cseq, body) in [(UInt32(3), "Signal=F\r\n"), (4, "Duration=100\r\n"), (5, "Signal=55\r\n")] {
            let broken = endpoint.received(
                .request(try Self.info(after: ok, cseq: cseq, type: "application/dtmf-relay", body: body)),
                from: T.trunkPeer,
                now: .seconds(3)
            )
            #expect(T.responses(broken).map(\.statusCode) == [400], "\(body)")
            #expect(T.events(broken).isEmpty)
        }
        let empty = endpoint.received(
            .request(try Self.info(after: ok, cseq: 6, type: nil, body: "")),
            from: T.trunkPeer,
            now: .seconds(3)
        )
        #expect(T.responses(empty).map(\.statusCode) == [200])
        #expect(T.events(empty).isEmpty)
    }

    @Test func anInfoOutsideAnyDialogIs481() throws {
        var (endpoint, ok) = try Self.answered()
        var stray = try Self.info(after: ok, cseq: 2, type: "application/dtmf-relay", body: "Signal=1\r\n")
        stray.headers.set(.callID, "unknown@192.0.2.2")
        let actions = endpoint.received(.request(stray), from: T.trunkPeer, now: .seconds(3))
        #expect(T.responses(actions).map(\.statusCode) == [481])
        #expect(T.events(actions).isEmpty)
    }

    @Test func aRelayedKeyIsAnInfoInTheDialog() throws {
        var (endpoint, ok) = try Self.answered()
        let sent = endpoint.callCommands(
            [T.command(1, .sendDigit("5")), T.command(1, .sendDigit("#")), T.command(1, .sendDigit("+"))],
            now: .seconds(3)
        )
        let infos = T.requests(sent)
        #expect(infos.map(\.method) == [.info, .info])
        for (info, signal) in zip(infos, ["5", "#"]) {
            #expect(info.headers[.callID] == ok.headers[.callID])
            #expect(info.headers[.contentType] == "application/dtmf-relay")
            #expect(String(decoding: info.body, as: UTF8.self) == "Signal=\(signal)\r\nDuration=160\r\n")
        }
        // Successive requests of the dialog: CSeq goes up.
        let sequences = try infos.map { try $0.headers.cseq().sequence }
        #expect(sequences.count == 2 && sequences[1] == sequences[0] + 1)
    }

    @Test func theFarEndsTelephoneEventPayloadTypeIsReportedWhenItChanges() throws {
        var (endpoint, ok) = try Self.answered()
        // A re-INVITE without telephone-event: the core hears there is none now.
        var reinvite = try T.inDialog(.invite, after: ok, cseq: 2, body: T.sdp(formats: ["8"]), branch: "z9hG4bKre")
        reinvite.headers.set(.contentType, "application/sdp")
        let actions = endpoint.received(.request(reinvite), from: T.trunkPeer, now: .seconds(3))
        #expect(T.events(actions).contains(.trunkTelephoneEvents(T.carrier, call: 1, payloadType: nil)))
    }

    @Test func parsing() {
        #expect(SIPTrunkCall.parseDTMFRelay(Array("Signal=#\nDuration=90".utf8))! == ("#", 90))
        #expect(SIPTrunkCall.parseDTMFRelay(Array("Duration=-5\r\nSignal=d".utf8))! == ("D", nil))
        #expect(SIPTrunkCall.parseDTMFRelay(Array("Signal=\r\n".utf8)) == nil)
        #expect(SIPTrunkCall.parseDTMFRelay([0xFF, 0xFE]) == nil)
        #expect(SIPTrunkCall.parseDTMFRelay(Array(repeating: UInt8(ascii: "a"), count: 2_000)) == nil)
        #expect(SIPTrunkCall.parseDTMF(Array(" 7 \r\n".utf8)) == "7")
        #expect(SIPTrunkCall.parseDTMF(Array("77".utf8)) == nil)
        #expect(SIPTrunkCall.relaySignal("c") == "C")
        #expect(SIPTrunkCall.relaySignal("+") == nil)
    }
}
