import CallControl
import SIPWire
import Testing

@testable import SIPSession

/// Calls placed with an early offer (the INVITE offers the calling phone's address) as transcripts: the far end's
/// answer in a 183 (early media) or in the 200, a changed answer, a failure after early media. The core's side is in
/// `Tests/CallControlTests/TrunkTests.swift`.
@Suite struct EarlyOfferTests {
    typealias T = TrunkCallTests
    static let offer = TrunkOffer(endpoint: T.phoneMedia, media: T.ulaw, alternatives: [.g711alaw])

    /// Places a call with the early offer; returns the INVITE.
    static func place(_ endpoint: inout SIPEndpoint) throws -> SIPRequest {
        let placed = endpoint.callCommands(
            [T.command(2, .place(caller: T.alice, called: "0301234", offer: offer))],
            now: .seconds(1)
        )
        return try #require(T.requests(placed).first)
    }

    static func response(to invite: SIPRequest, _ status: Int, body: [UInt8] = []) -> SIPResponse {
        var response = Fixture.response(to: invite, status, extra: [("Contact", "<sip:far@192.0.2.2:5060>")])
        if !body.isEmpty {
            response.headers.append(.contentType, "application/sdp")
            response.body = body
        }
        return response
    }

    @Test func theInviteOffersThePhonesAddressAndA183AnswerStartsEarlyMedia() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        #expect(invite.headers[.contentType] == "application/sdp")
        let offered = try T.audio(invite.body)
        #expect(offered.address == "10.0.0.5" && offered.port == 20_000)
        // The phone's codec first, its other G.711 law after; telephone-event on 101; 20 ms; both ways.
        #expect(offered.codecs == [.pcmu, .pcma])
        #expect(offered.telephoneEventPayloadType == 101)
        #expect(offered.packetTime == 20)
        #expect(offered.direction == .sendrecv)

        // 183 with the answer: the core hears the far end's address first, then that it rings.
        let answer = T.sdp(formats: ["0", "101"])
        let progress = endpoint.received(
            .response(Self.response(to: invite, 183, body: answer)),
            from: T.trunkPeer,
            now: .seconds(2)
        )
        #expect(
            T.events(progress) == [
                .trunkMediaAddress(T.carrier, call: 2, T.farMedia, codecs: [.g711ulaw]),
                .trunkCallAlerting(T.carrier, call: 2),
            ]
        )
        // A 180 after it, and the same answer again in another 183: nothing new.
        #expect(
            T.events(endpoint.received(.response(Self.response(to: invite, 180)), from: T.trunkPeer, now: .seconds(3)))
                .isEmpty
        )
        #expect(
            T.events(
                endpoint.received(
                    .response(Self.response(to: invite, 183, body: answer)),
                    from: T.trunkPeer,
                    now: .seconds(3)
                )
            ).isEmpty
        )

        // The 200 repeats the answer: ACK at once, without a body; the core hears of the answer only.
        let ok = Self.response(to: invite, 200, body: answer)
        let answered = endpoint.received(.response(ok), from: T.trunkPeer, now: .seconds(5))
        #expect(T.events(answered) == [.trunkCallAnswered(T.carrier, call: 2)])
        let ack = try #require(T.requests(answered).first)
        #expect(ack.method == .ack && ack.body.isEmpty)
        #expect(T.requests(answered).count == 1)
        // The core connects the call and keeps the media: no re-INVITE.
        let connected = endpoint.callCommands(
            [T.command(2, .indicate(.connected(remote: T.alice)))],
            now: .seconds(5)
        )
        #expect(T.requests(connected).isEmpty)
        // A retransmitted 200 gets the same ACK.
        #expect(T.requests(endpoint.received(.response(ok), from: T.trunkPeer, now: .seconds(6))) == [ack])

        // The phone holds: a re-INVITE with sendonly at the phone's address, as on any call.
        let held = endpoint.callCommands(
            [T.command(2, .indicate(.remoteHold)), T.command(2, .closeMedia)],
            now: .seconds(10)
        )
        let reinvite = try #require(T.requests(held).first)
        #expect(reinvite.method == .invite)
        let hold = try T.audio(reinvite.body)
        #expect(hold.direction == .sendonly && hold.port == 20_000)
    }

    @Test func aChangedAnswerInThe200Supersedes() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        _ = endpoint.received(
            .response(Self.response(to: invite, 183, body: T.sdp(formats: ["0", "101"]))),
            from: T.trunkPeer,
            now: .seconds(2)
        )
        let moved = T.sdp(port: 30_010, formats: ["0", "101"])
        let answered = endpoint.received(
            .response(Self.response(to: invite, 200, body: moved)),
            from: T.trunkPeer,
            now: .seconds(3)
        )
        let farMoved = MediaEndpoint(address: T.farMedia.address, port: 30_010)
        #expect(
            T.events(answered) == [
                .trunkMediaAddress(T.carrier, call: 2, farMoved, codecs: [.g711ulaw]),
                .trunkCallAnswered(T.carrier, call: 2),
            ]
        )
    }

    @Test func anAnswerOnlyInThe200IsTakenThere() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        let ringing = endpoint.received(.response(Self.response(to: invite, 180)), from: T.trunkPeer, now: .seconds(2))
        #expect(T.events(ringing) == [.trunkCallAlerting(T.carrier, call: 2)])
        let answered = endpoint.received(
            .response(Self.response(to: invite, 200, body: T.sdp(formats: ["8", "101"]))),
            from: T.trunkPeer,
            now: .seconds(3)
        )
        #expect(
            T.events(answered) == [
                .trunkMediaAddress(T.carrier, call: 2, T.farMedia, codecs: [.g711alaw]),
                .trunkCallAnswered(T.carrier, call: 2),
            ]
        )
        #expect(T.requests(answered).map(\.method) == [.ack])
        // The core reopens the phone for A-law (the far end's choice) and gives its new address: a re-INVITE with it.
        let reopened = endpoint.callCommands(
            [
                T.command(2, .indicate(.connected(remote: T.alice))), T.command(2, .closeMedia),
                T.command(2, .openMedia(T.alaw)),
            ],
            now: .seconds(3)
        )
        #expect(T.requests(reopened).isEmpty)
        let started = endpoint.callCommands(
            [T.command(2, .startMedia(remote: T.phoneMediaAfterResume, T.alaw))],
            now: .seconds(3)
        )
        let reinvite = try #require(T.requests(started).first)
        #expect(reinvite.method == .invite)
        let offered = try T.audio(reinvite.body)
        #expect(offered.port == 20_002 && offered.codecs == [.pcma])
    }

    @Test func a200WithoutAnyAnswerEndsTheCall() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        let answered = endpoint.received(.response(Self.response(to: invite, 200)), from: T.trunkPeer, now: .seconds(3))
        #expect(T.requests(answered).map(\.method) == [.ack, .bye])
        #expect(T.events(answered) == [.trunkCallEnded(T.carrier, call: 2, .rejected, sipStatus: nil)])
    }

    @Test func a200WithoutSDPAfterAnEarlyAnswerKeepsIt() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        _ = endpoint.received(
            .response(Self.response(to: invite, 183, body: T.sdp(formats: ["0", "101"]))),
            from: T.trunkPeer,
            now: .seconds(2)
        )
        let answered = endpoint.received(.response(Self.response(to: invite, 200)), from: T.trunkPeer, now: .seconds(3))
        #expect(T.requests(answered).map(\.method) == [.ack])
        #expect(T.events(answered) == [.trunkCallAnswered(T.carrier, call: 2)])
    }

    @Test(arguments: [(486, TrunkEndCause.busy), (404, .invalidNumber), (480, .unavailable)])
    func aFailureAfterEarlyMediaEndsTheCall(_ status: Int, _ cause: TrunkEndCause) throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        let progress = endpoint.received(
            .response(Self.response(to: invite, 183, body: T.sdp(formats: ["0", "101"]))),
            from: T.trunkPeer,
            now: .seconds(2)
        )
        #expect(T.events(progress).count == 2)
        let refused = endpoint.received(
            .response(Fixture.response(to: invite, status)),
            from: T.trunkPeer,
            now: .seconds(4)
        )
        #expect(T.requests(refused).map(\.method) == [.ack])
        #expect(T.events(refused) == [.trunkCallEnded(T.carrier, call: 2, cause, sipStatus: status)])
        #expect(endpoint.callCount == 0)
    }

    @Test func theCallerCancelsDuringEarlyMedia() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        _ = endpoint.received(
            .response(Self.response(to: invite, 183, body: T.sdp(formats: ["0", "101"]))),
            from: T.trunkPeer,
            now: .seconds(2)
        )
        let cleared = endpoint.callCommands(
            [T.command(2, .closeMedia), T.command(2, .indicate(.cleared))],
            now: .seconds(3)
        )
        #expect(T.requests(cleared).map(\.method) == [.cancel])
        let terminated = endpoint.received(
            .response(Fixture.response(to: invite, 487)),
            from: T.trunkPeer,
            now: .seconds(3)
        )
        #expect(T.events(terminated).isEmpty)
        #expect(endpoint.callCount == 0)
    }

    @Test func anSDPThatDoesNotAnswerTheOfferIsNotEarlyMedia() throws {
        var (endpoint, _) = T.endpoint()
        let invite = try Self.place(&endpoint)
        // Only G.729 (payload 18): no codec of the offer.
        let progress = endpoint.received(
            .response(Self.response(to: invite, 183, body: T.sdp(formats: ["18"]))),
            from: T.trunkPeer,
            now: .seconds(2)
        )
        #expect(T.events(progress) == [.trunkCallAlerting(T.carrier, call: 2)])
    }

    /// TrunkCallMedia's rules for an early offer: the offer is what the core set up; the same answer twice is one
    /// answer; a new address or new codecs are news.
    @Test func theMediaStateTellsANewAnswerFromTheSameOne() throws {
        var media = TrunkCallMedia(sessionID: "1")
        let made = media.earlyOffer(Self.offer, telephoneEvent: 101)
        let offer = try #require(made)
        #expect(media.isOpen && media.localIsCurrent && media.localEndpoint == T.phoneMedia)
        #expect(media.desired == media.announced)
        #expect(offer.origin.sessionVersion == 1)
        let first = try T.audio(T.sdp(formats: ["0", "101"]))
        let news = media.answered(with: first)
        #expect(news)
        #expect(media.remoteEndpoint == T.farMedia)
        let repeated = media.answered(with: first)
        #expect(!repeated)
        let otherCodec = try T.audio(T.sdp(formats: ["8", "101"]))
        let codecChanged = media.answered(with: otherCodec)
        #expect(codecChanged)
        let otherPort = try T.audio(T.sdp(port: 30_020, formats: ["8", "101"]))
        let portChanged = media.answered(with: otherPort)
        #expect(portChanged)
        #expect(media.remoteCodecs == [.g711alaw])
    }
}
