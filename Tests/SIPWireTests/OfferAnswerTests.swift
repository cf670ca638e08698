import Foundation
import SIPWire
import Testing

@Suite struct OfferAnswerTests {
    /// An offer as a carrier sends it: PCMA first, PCMU, G.729 (not ours), telephone-event on 96, video.
    static let carrierOffer = """
        v=0\r
        o=carrier 1234 5678 IN IP4 203.0.113.5\r
        s=call\r
        c=IN IP4 203.0.113.5\r
        t=0 0\r
        m=audio 40000 RTP/AVP 8 0 18 96\r
        a=rtpmap:8 PCMA/8000\r
        a=rtpmap:0 PCMU/8000\r
        a=rtpmap:18 G729/8000\r
        a=rtpmap:96 telephone-event/8000\r
        a=fmtp:96 0-15\r
        a=ptime:30\r
        a=sendrecv\r
        m=video 40002 RTP/AVP 31\r

        """

    static func offer(_ text: String = carrierOffer) throws -> SessionDescription {
        try SessionDescription(parsing: Array(text.utf8))
    }

    @Test func answerKeepsTheOfferersOrderAndRejectsOtherStreams() throws {
        let (answer, negotiated) = try AudioOfferAnswer.answer(
            to: try Self.offer(),
            address: "192.0.2.10",
            port: 20_000,
            capabilities: AudioCapabilities(),
            sessionID: "1",
            version: 1
        )
        #expect(negotiated.codec == .pcma)
        #expect(negotiated.payloadType == 8)
        #expect(negotiated.telephoneEventPayloadType == 96)
        #expect(negotiated.packetTime == 30)
        #expect(negotiated.remoteAddress == "203.0.113.5")
        #expect(negotiated.remotePort == 40_000)
        #expect(negotiated.direction == .sendrecv)
        #expect(answer.media.count == 2)
        #expect(answer.media[0].formats == ["8", "0", "96"])
        #expect(answer.media[0].port == 20_000)
        #expect(answer.media[1].port == 0)
        #expect(answer.connection?.address == "192.0.2.10")
        // The answer is valid SDP that parses back.
        let reparsed = try SessionDescription(parsing: answer.serialized())
        #expect(reparsed == answer)
    }

    /// RFC 3264 §8.4: the offerer holds with sendonly; the answer is recvonly and this side only receives.
    @Test func holdWithSendonlyIsAnsweredRecvonly() throws {
        let held = Self.carrierOffer.replacingOccurrences(of: "a=sendrecv", with: "a=sendonly")
        let (answer, negotiated) = try AudioOfferAnswer.answer(
            to: try Self.offer(held),
            address: "192.0.2.10",
            port: 20_000,
            capabilities: AudioCapabilities(),
            sessionID: "1",
            version: 2
        )
        #expect(negotiated.direction == .recvonly)
        #expect(answer.media[0].declaredDirection == .recvonly)
    }

    /// RFC 2543 hold: c=0.0.0.0 with no direction attribute.
    @Test func holdWithTheUnspecifiedAddress() throws {
        let held = Self.carrierOffer.replacingOccurrences(of: "c=IN IP4 203.0.113.5", with: "c=IN IP4 0.0.0.0")
            .replacingOccurrences(of: "a=sendrecv\r\n", with: "")
        let (_, negotiated) = try AudioOfferAnswer.answer(
            to: try Self.offer(held),
            address: "192.0.2.10",
            port: 20_000,
            capabilities: AudioCapabilities(),
            sessionID: "1",
            version: 2
        )
        #expect(negotiated.direction == .recvonly)
    }

    @Test func inactiveWhenBothHold() throws {
        let held = Self.carrierOffer.replacingOccurrences(of: "a=sendrecv", with: "a=sendonly")
        let (answer, negotiated) = try AudioOfferAnswer.answer(
            to: try Self.offer(held),
            address: "192.0.2.10",
            port: 20_000,
            capabilities: AudioCapabilities(),
            direction: .sendonly,
            sessionID: "1",
            version: 2
        )
        #expect(negotiated.direction == .inactive)
        #expect(answer.media[0].declaredDirection == .inactive)
    }

    @Test func noCommonCodecIsAnError() throws {
        let g729 = Self.carrierOffer.replacingOccurrences(
            of: "m=audio 40000 RTP/AVP 8 0 18 96",
            with: "m=audio 40000 RTP/AVP 18"
        )
        #expect(throws: OfferAnswerError(.noCommonCodec)) {
            _ = try AudioOfferAnswer.answer(
                to: try Self.offer(g729),
                address: "192.0.2.10",
                port: 20_000,
                capabilities: AudioCapabilities(),
                sessionID: "1",
                version: 1
            )
        }
    }

    /// This side offers, the peer answers with PCMU only and its own telephone-event type.
    @Test func negotiatingAnAnswerToOurOffer() throws {
        let offer = AudioOfferAnswer.offer(
            address: "192.0.2.10",
            port: 20_000,
            capabilities: AudioCapabilities(),
            sessionID: "42",
            version: 1
        )
        let offerText = String(decoding: offer.serialized(), as: UTF8.self)
        #expect(offerText.contains("m=audio 20000 RTP/AVP 0 8 101\r\n"))
        #expect(offerText.contains("a=rtpmap:101 telephone-event/8000\r\n"))
        #expect(offerText.contains("a=ptime:20\r\n"))
        let answer = try Self.offer(
            """
            v=0\r
            o=peer 1 1 IN IP4 203.0.113.9\r
            s=-\r
            c=IN IP4 203.0.113.9\r
            t=0 0\r
            m=audio 30000 RTP/AVP 0 101\r
            a=rtpmap:101 telephone-event/8000\r
            a=recvonly\r

            """
        )
        let negotiated = try AudioOfferAnswer.negotiate(offer: offer, answer: answer)
        #expect(negotiated.codec == .pcmu)
        #expect(negotiated.telephoneEventPayloadType == 101)
        #expect(negotiated.remoteAddress == "203.0.113.9")
        #expect(negotiated.remotePort == 30_000)
        #expect(negotiated.direction == .sendonly)
    }

    @Test(arguments: [
        "o=a 1 1 IN IP4 x\r\ns=-\r\n",  // no v=
        "v=0\r\ns=-\r\n",  // no o=
        "v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\nc=IN IP4 1.2.3.4\r\n",  // port
        "v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 5000 RTP/AVP 0\r\n",  // no c=
        "v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ns=-\r\nbogus\r\n",
    ])
    func malformedSDPIsRejected(_ text: String) {
        #expect(throws: SIPParseError.self) { try SessionDescription(parsing: Array(text.utf8)) }
    }
}
