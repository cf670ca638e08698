import CallControl
import SIPWire
import Testing

@testable import SIPSession

/// Calls across a trunk as transcripts: SIP in, the core's events out; the core's commands in, SIP out. The core's
/// side of each exchange is what `Tests/CallControlTests/TrunkTests.swift` shows the core does.
@Suite struct TrunkCallTests {
    static let carrier: TrunkName = "carrier"
    static let trunkPeer = SIPPeer(transport: .udp, host: "192.0.2.2", port: 5060)
    /// The far end's RTP address, and the phones'.
    static let farMedia = MediaEndpoint(address: .ipv4(0xC000_0202), port: 30_000)
    static let phoneMedia = MediaEndpoint(address: .ipv4(0x0A00_0005), port: 20_000)
    static let phoneMediaAfterResume = MediaEndpoint(address: .ipv4(0x0A00_0005), port: 20_002)
    static let ulaw = MediaParameters(codec: .g711ulaw, packetMilliseconds: 20)
    static let alaw = MediaParameters(codec: .g711alaw, packetMilliseconds: 20)
    static let bob = Party(name: "Bob", number: "1002")
    static let alice = Party(name: "Alice Smith", number: "1001")

    static func endpoint(
        _ trunk: SIPTrunkConfiguration = SIPTrunkConfiguration(name: "carrier", host: "192.0.2.2")
    ) -> (SIPEndpoint, [SIPEndpoint.Action]) {
        var endpoint = SIPEndpoint(
            settings: SIPEndpoint.Settings(connectsCalls: true),
            local: SIPLocalIdentity(host: "192.0.2.1", ports: [.udp: 5060]),
            generator: SIPIdentifierGenerator(seed: 7)
        )
        let started = endpoint.trunksChanged([trunk], addresses: [trunk.name: [trunk.host]], now: .zero)
        return (endpoint, started)
    }

    static func sdp(
        _ address: String = "192.0.2.2",
        port: Int = 30_000,
        formats: [String] = ["8", "0", "101"],
        direction: String = "sendrecv"
    ) -> [UInt8] {
        let text = """
            v=0\r
            o=far 1 1 IN IP4 \(address)\r
            s=-\r
            c=IN IP4 \(address)\r
            t=0 0\r
            m=audio \(port) RTP/AVP \(formats.joined(separator: " "))\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-16\r
            a=\(direction)\r

            """
        return Array(text.utf8)
    }

    /// An INVITE from the carrier to `number`, with an offer unless `body` is empty.
    static func invite(
        to number: String = "+493012341002",
        body: [UInt8] = sdp(),
        branch: String = "z9hG4bKinv1",
        extra: [(String, String)] = []
    ) -> SIPRequest {
        var headers = SIPHeaders()
        headers.append(.via, "SIP/2.0/UDP 192.0.2.2:5060;branch=\(branch);rport")
        headers.append(.maxForwards, "70")
        headers.append(.from, "\"Carrier Caller\" <sip:+4930999@192.0.2.2>;tag=far1")
        headers.append(.to, "<sip:\(number)@192.0.2.1>")
        headers.append(.callID, "in-1@192.0.2.2")
        headers.append(.cseq, "1 INVITE")
        headers.append(.contact, "<sip:far@192.0.2.2:5060>")
        for (name, value) in extra { headers.append(SIPHeaderName(name), value) }
        if !body.isEmpty { headers.append(.contentType, "application/sdp") }
        return SIPRequest(method: .invite, uri: SIPURI(user: number, host: "192.0.2.1"), headers: headers, body: body)
    }

    /// A request from the far end inside the dialog that `response` (Strowger's 2xx or 1xx) set up.
    static func inDialog(
        _ method: SIPMethod,
        after response: SIPResponse,
        cseq: UInt32,
        body: [UInt8] = [],
        branch: String
    ) throws -> SIPRequest {
        var headers = SIPHeaders()
        headers.append(.via, "SIP/2.0/UDP 192.0.2.2:5060;branch=\(branch);rport")
        headers.append(.maxForwards, "70")
        headers.append(.from, try #require(response.headers[.from]))
        headers.append(.to, try #require(response.headers[.to]))
        headers.append(.callID, try #require(response.headers[.callID]))
        headers.append(.cseq, "\(cseq) \(method)")
        headers.append(.contact, "<sip:far@192.0.2.2:5060>")
        if !body.isEmpty { headers.append(.contentType, "application/sdp") }
        return SIPRequest(
            method: method,
            uri: SIPURI(user: "strowger", host: "192.0.2.1"),
            headers: headers,
            body: body
        )
    }

    static func responses(_ actions: [SIPEndpoint.Action]) -> [SIPResponse] {
        actions.compactMap {
            if case .send(.response(let response), _) = $0 { return response }
            return nil
        }
    }

    static func requests(_ actions: [SIPEndpoint.Action]) -> [SIPRequest] {
        actions.compactMap {
            if case .send(.request(let request), let peer) = $0, peer == trunkPeer { return request }
            return nil
        }
    }

    static func events(_ actions: [SIPEndpoint.Action]) -> [CallEvent] {
        actions.compactMap {
            if case .callEvent(let event) = $0 { return event }
            return nil
        }
    }

    static func audio(_ body: [UInt8]) throws -> AudioStream {
        try #require(AudioOfferAnswer.audioStream(of: try SessionDescription(parsing: body)))
    }

    static func command(_ reference: CallReference, _ command: TrunkCommand) -> CallCommand {
        .trunk(carrier, call: reference, command)
    }

    /// An answered inbound call: the INVITE, bound as leg 1, Bob rings and answers, the 200 with the phone's
    /// address, the far end's ACK. Returns the 200.
    static func answeredInbound(_ endpoint: inout SIPEndpoint) throws -> SIPResponse {
        let arrived = endpoint.received(.request(invite()), from: trunkPeer, now: .seconds(1))
        guard case .trunkCallArrived(_, let token, _, _, _, _) = try #require(events(arrived).first) else {
            Issue.record("no arrival")
            return SIPResponse(statusCode: 500)
        }
        _ = endpoint.callCommands(
            [command(1, .bound(token: token)), command(1, .indicate(.ringOut(callee: bob)))],
            now: .seconds(1)
        )
        _ = endpoint.callCommands(
            [command(1, .indicate(.connected(remote: bob))), command(1, .openMedia(alaw))],
            now: .seconds(2)
        )
        let answered = endpoint.callCommands([command(1, .startMedia(remote: phoneMedia, alaw))], now: .seconds(2))
        let ok = try #require(responses(answered).first)
        #expect(ok.statusCode == 200)
        _ = endpoint.received(
            .request(try inDialog(.ack, after: ok, cseq: 1, branch: "z9hG4bKack1")),
            from: trunkPeer,
            now: .seconds(2)
        )
        return ok
    }

    // MARK: - Attaching

    @Test func aTrunkAttachesAndItsKeepaliveSaysWhetherItIsUp() throws {
        var (endpoint, started) = Self.endpoint()
        #expect(Self.events(started) == [.trunkAttached(Self.carrier, isUp: true)])
        // The first OPTIONS times out: the trunk is down for the core.
        let options = try #require(Self.requests(started).first { $0.method == .options })
        let branch = try #require(try options.headers.topVia().branch)
        let timedOut = endpoint.timerFired(
            .transaction(
                SIPTransactionTimerID(transaction: .client(.init(branch: branch, method: .options)), timer: .f)
            ),
            now: .seconds(32)
        )
        #expect(Self.events(timedOut) == [.trunkStatusChanged(Self.carrier, isUp: false)])
        let removed = endpoint.trunksChanged([], addresses: [:], now: .seconds(33))
        #expect(Self.events(removed) == [.trunkDetached(Self.carrier)])
    }

    // MARK: - Inbound

    @Test func anInboundCallRingsAnswersWithThePhonesAddressAndEndsWithTheFarEndsBye() throws {
        var (endpoint, _) = Self.endpoint(
            SIPTrunkConfiguration(
                name: "carrier",
                host: "192.0.2.2",
                inboundTranslation: SIPInboundTranslation(stripDigits: 9)
            )
        )
        let arrived = endpoint.received(
            .request(Self.invite(extra: [("P-Asserted-Identity", "\"Anna Asserted\" <tel:+4930555>")])),
            from: Self.trunkPeer,
            now: .seconds(1)
        )
        #expect(Self.responses(arrived).map(\.statusCode) == [100])
        // The DID +493012341002 with 9 digits stripped is 1002; the caller is who P-Asserted-Identity says.
        let token = try #require(
            Self.events(arrived).compactMap { event -> UInt64? in
                guard
                    case .trunkCallArrived(Self.carrier, let token, let caller, "1002", let codecs, nil) = event,
                    caller == Party(name: "Anna Asserted", number: "+4930555"), codecs == [.g711alaw, .g711ulaw]
                else { return nil }
                return token
            }.first
        )
        let ringing = endpoint.callCommands(
            [Self.command(1, .bound(token: token)), Self.command(1, .indicate(.ringOut(callee: Self.bob)))],
            now: .seconds(1)
        )
        let ring = try #require(Self.responses(ringing).first)
        #expect(ring.statusCode == 180)
        #expect(ring.headers[.pAssertedIdentity] == "\"Bob\" <sip:1002@192.0.2.1>")
        let toTag = try #require(try ring.headers.to().tag)

        // Bob answers: the far end's address goes to the core at once; the 200 waits for the phone's address.
        let answering = endpoint.callCommands(
            [Self.command(1, .indicate(.connected(remote: Self.bob))), Self.command(1, .openMedia(Self.alaw))],
            now: .seconds(3)
        )
        #expect(
            Self.events(answering) == [
                .trunkMediaAddress(Self.carrier, call: 1, Self.farMedia, codecs: [.g711alaw, .g711ulaw])
            ]
        )
        #expect(Self.responses(answering).isEmpty)
        let answered = endpoint.callCommands(
            [Self.command(1, .startMedia(remote: Self.phoneMedia, Self.alaw))],
            now: .seconds(3)
        )
        let ok = try #require(Self.responses(answered).first)
        #expect(ok.statusCode == 200)
        #expect(try ok.headers.to().tag == toTag)
        let answer = try Self.audio(ok.body)
        // The phone's address, the codec the core chose, and telephone-event on the offer's payload type (101).
        #expect(answer.address == "10.0.0.5" && answer.port == 20_000)
        #expect(answer.codecs == [.pcma])
        #expect(answer.telephoneEventPayloadType == 101)
        #expect(answer.direction == .sendrecv)

        let ack = try Self.inDialog(.ack, after: ok, cseq: 1, branch: "z9hG4bKack")
        #expect(endpoint.received(.request(ack), from: Self.trunkPeer, now: .seconds(3)).isEmpty)
        // No 200 retransmission after the ACK.
        #expect(endpoint.timerFired(.call(token, .answerRetransmit), now: .seconds(3.5)).isEmpty)

        let bye = try Self.inDialog(.bye, after: ok, cseq: 2, branch: "z9hG4bKbye")
        let ended = endpoint.received(.request(bye), from: Self.trunkPeer, now: .seconds(60))
        #expect(Self.responses(ended).map(\.statusCode) == [200])
        #expect(Self.events(ended) == [.trunkCallEnded(Self.carrier, call: 1, .normal, sipStatus: nil)])
        // The core's `cleared` for the dialog the far end ended is a no-op.
        let cleared = endpoint.callCommands(
            [Self.command(1, .closeMedia), Self.command(1, .indicate(.cleared))],
            now: .seconds(60)
        )
        #expect(cleared.isEmpty)
        #expect(endpoint.callCount == 0)
    }

    @Test(arguments: [
        (Indication.busy, 486), (.invalidNumber, 404), (.reorder(.unavailable), 480), (.reorder(.blocked), 403),
        (.cleared, 480),
    ])
    func anInboundCallTheCoreRefusesGetsTheMatchingStatus(_ indication: Indication, _ status: Int) throws {
        var (endpoint, _) = Self.endpoint()
        let arrived = endpoint.received(.request(Self.invite()), from: Self.trunkPeer, now: .seconds(1))
        guard case .trunkCallArrived(_, let token, _, _, _, _) = try #require(Self.events(arrived).first) else {
            return
        }
        let refused = endpoint.callCommands(
            [
                Self.command(1, .bound(token: token)), Self.command(1, .indicate(indication)),
                Self.command(1, .indicate(.cleared)),
            ],
            now: .seconds(1)
        )
        #expect(Self.responses(refused).map(\.statusCode) == [status])
        // Binding tells the core the offer's telephone-event payload type; nothing else is reported.
        #expect(Self.events(refused) == [.trunkTelephoneEvents(Self.carrier, call: 1, payloadType: 101)])
        #expect(endpoint.callCount == 0)
    }

    @Test func theFarEndCancelsARingingCall() throws {
        var (endpoint, _) = Self.endpoint()
        let invite = Self.invite()
        let arrived = endpoint.received(.request(invite), from: Self.trunkPeer, now: .seconds(1))
        guard case .trunkCallArrived(_, let token, _, _, _, _) = try #require(Self.events(arrived).first) else {
            return
        }
        _ = endpoint.callCommands([Self.command(4, .bound(token: token))], now: .seconds(1))
        var cancel = invite
        cancel.method = .cancel
        cancel.body = []
        cancel.headers.set(.cseq, "1 CANCEL")
        cancel.headers.remove(.contentType)
        let cancelled = endpoint.received(.request(cancel), from: Self.trunkPeer, now: .seconds(2))
        #expect(Self.responses(cancelled).map(\.statusCode) == [200, 487])
        #expect(Self.events(cancelled) == [.trunkCallEnded(Self.carrier, call: 4, .normal, sipStatus: 487)])
    }

    /// A CANCEL that overtakes the core's `bound`: the end is reported as soon as the call has a leg.
    @Test func aCancelBeforeTheCoreBindsTheCallIsReportedWhenItDoes() throws {
        var (endpoint, _) = Self.endpoint()
        let invite = Self.invite()
        let arrived = endpoint.received(.request(invite), from: Self.trunkPeer, now: .seconds(1))
        guard case .trunkCallArrived(_, let token, _, _, _, _) = try #require(Self.events(arrived).first) else {
            return
        }
        var cancel = invite
        cancel.method = .cancel
        cancel.body = []
        cancel.headers.set(.cseq, "1 CANCEL")
        let cancelled = endpoint.received(.request(cancel), from: Self.trunkPeer, now: .seconds(1))
        #expect(Self.responses(cancelled).map(\.statusCode) == [200, 487])
        #expect(Self.events(cancelled).isEmpty)
        let bound = endpoint.callCommands(
            [Self.command(9, .bound(token: token)), Self.command(9, .indicate(.ringOut(callee: Self.bob)))],
            now: .seconds(1)
        )
        #expect(Self.events(bound) == [.trunkCallEnded(Self.carrier, call: 9, .normal, sipStatus: 487)])
        #expect(Self.responses(bound).isEmpty)
        #expect(endpoint.callCount == 0)
    }

    @Test func anOfferWithoutG711IsRefused488() throws {
        var (endpoint, _) = Self.endpoint()
        let invite = Self.invite(body: Self.sdp(formats: ["18"]))
        let refused = endpoint.received(.request(invite), from: Self.trunkPeer, now: .seconds(1))
        #expect(Self.responses(refused).map(\.statusCode) == [100, 488])
        #expect(Self.responses(refused).last?.headers[.warning]?.hasPrefix("305 ") == true)
        #expect(Self.events(refused).isEmpty)
    }

    /// An INVITE without SDP: this side offers in the 200 (the phone's address) and the ACK brings the answer, which
    /// is when the core learns the far end's address.
    @Test func anInviteWithoutAnOfferIsOfferedToInTheAnswer() throws {
        var (endpoint, _) = Self.endpoint()
        let arrived = endpoint.received(.request(Self.invite(body: [])), from: Self.trunkPeer, now: .seconds(1))
        guard case .trunkCallArrived(_, let token, _, _, let codecs, _) = try #require(Self.events(arrived).first)
        else { return }
        #expect(codecs.isEmpty)
        _ = endpoint.callCommands([Self.command(1, .bound(token: token))], now: .seconds(1))
        let opened = endpoint.callCommands(
            [Self.command(1, .indicate(.connected(remote: Self.bob))), Self.command(1, .openMedia(Self.ulaw))],
            now: .seconds(2)
        )
        #expect(Self.events(opened).isEmpty)
        let ok = try #require(
            Self.responses(
                endpoint.callCommands(
                    [Self.command(1, .startMedia(remote: Self.phoneMedia, Self.ulaw))],
                    now: .seconds(2)
                )
            ).first
        )
        let offer = try Self.audio(ok.body)
        #expect(offer.codecs == [.pcmu] && offer.telephoneEventPayloadType == 101 && offer.port == 20_000)
        let ack = try Self.inDialog(
            .ack,
            after: ok,
            cseq: 1,
            body: Self.sdp(formats: ["0", "101"]),
            branch: "z9hG4bKack"
        )
        let acked = endpoint.received(.request(ack), from: Self.trunkPeer, now: .seconds(2))
        #expect(
            Self.events(acked) == [
                .trunkTelephoneEvents(Self.carrier, call: 1, payloadType: 101),
                .trunkMediaAddress(Self.carrier, call: 1, Self.farMedia, codecs: [.g711ulaw]),
            ]
        )
    }

    /// Over UDP the 200 is sent again (T1, 2·T1 …) until the ACK; with none in 64·T1 the call ends with BYE.
    @Test func theAnswerIsRetransmittedUntilItsAckAndAbandonedWithoutOne() throws {
        var (endpoint, _) = Self.endpoint()
        let arrived = endpoint.received(.request(Self.invite()), from: Self.trunkPeer, now: .seconds(0))
        guard case .trunkCallArrived(_, let token, _, _, _, _) = try #require(Self.events(arrived).first) else {
            return
        }
        _ = endpoint.callCommands(
            [
                Self.command(1, .bound(token: token)), Self.command(1, .indicate(.connected(remote: Self.bob))),
                Self.command(1, .openMedia(Self.ulaw)),
            ],
            now: .seconds(0)
        )
        let answered = endpoint.callCommands(
            [Self.command(1, .startMedia(remote: Self.phoneMedia, Self.ulaw))],
            now: .seconds(0)
        )
        #expect(answered.contains(.schedule(.call(token, .answerRetransmit), at: .seconds(0.5))))
        let again = endpoint.timerFired(.call(token, .answerRetransmit), now: .seconds(0.5))
        #expect(Self.responses(again).map(\.statusCode) == [200])
        #expect(again.contains(.schedule(.call(token, .answerRetransmit), at: .seconds(1.5))))
        let abandoned = endpoint.timerFired(.call(token, .answerRetransmit), now: .seconds(32))
        #expect(Self.requests(abandoned).map(\.method) == [.bye])
        #expect(Self.events(abandoned) == [.trunkCallEnded(Self.carrier, call: 1, .unavailable, sipStatus: nil)])
    }

    @Test func callsBeyondTheTrunksLimitAreRefused503() throws {
        var (endpoint, _) = Self.endpoint(SIPTrunkConfiguration(name: "carrier", host: "192.0.2.2", maximumCalls: 1))
        _ = endpoint.received(.request(Self.invite()), from: Self.trunkPeer, now: .seconds(1))
        var second = Self.invite(branch: "z9hG4bKinv2")
        second.headers.set(.callID, "in-2@192.0.2.2")
        let refused = endpoint.received(.request(second), from: Self.trunkPeer, now: .seconds(1))
        #expect(Self.responses(refused).map(\.statusCode) == [100, 503])
        #expect(refused.contains(.refused(.callLimit, .invite, from: Self.trunkPeer)))
        #expect(Self.events(refused).isEmpty)
        // An outgoing call on the full trunk fails at once.
        let placed = endpoint.callCommands(
            [Self.command(7, .place(caller: Self.alice, called: "0301234"))],
            now: .seconds(1)
        )
        #expect(Self.events(placed) == [.trunkCallEnded(Self.carrier, call: 7, .unavailable, sipStatus: nil)])
        #expect(Self.requests(placed).isEmpty)
    }

    // MARK: - Outbound

    /// `place` → INVITE without SDP (a delayed offer); 180 → alerting; the 200's offer → the far end's codecs and
    /// address, answered; the ACK carries the phone's address; the phone hangs up → BYE.
    @Test func anOutboundCallIsPlacedAnsweredAndHungUp() throws {
        var (endpoint, _) = Self.endpoint(
            SIPTrunkConfiguration(name: "carrier", host: "192.0.2.2", fromDomain: "carrier.example")
        )
        let placed = endpoint.callCommands(
            [Self.command(2, .place(caller: Self.alice, called: "+49301234#"))],
            now: .seconds(1)
        )
        let invite = try #require(Self.requests(placed).first)
        #expect(invite.method == .invite)
        #expect(invite.body.isEmpty)
        #expect(invite.uri.description == "sip:+49301234%23@carrier.example")
        let from = try invite.headers.from()
        #expect(from.displayName == "Alice Smith" && from.uri.user == "1001" && from.uri.host == "carrier.example")
        #expect(invite.headers[.pAssertedIdentity] == "\"Alice Smith\" <sip:1001@carrier.example>")

        let trying = endpoint.received(
            .response(Fixture.response(to: invite, 100, toTag: nil)),
            from: Self.trunkPeer,
            now: .seconds(1)
        )
        #expect(Self.events(trying).isEmpty)
        let ringing = endpoint.received(
            .response(Fixture.response(to: invite, 180)),
            from: Self.trunkPeer,
            now: .seconds(2)
        )
        #expect(Self.events(ringing) == [.trunkCallAlerting(Self.carrier, call: 2)])
        // 183 after 180: ring-back goes on, nothing new for the core.
        let progress = endpoint.received(
            .response(Fixture.response(to: invite, 183)),
            from: Self.trunkPeer,
            now: .seconds(2)
        )
        #expect(Self.events(progress).isEmpty)

        var ok = Fixture.response(to: invite, 200, extra: [("Contact", "<sip:far@192.0.2.2:5060>")])
        ok.headers.append(.contentType, "application/sdp")
        ok.body = Self.sdp(formats: ["0", "8", "101"])
        let answered = endpoint.received(.response(ok), from: Self.trunkPeer, now: .seconds(5))
        #expect(
            Self.events(answered) == [
                .trunkTelephoneEvents(Self.carrier, call: 2, payloadType: 101),
                .trunkMediaAddress(Self.carrier, call: 2, Self.farMedia, codecs: [.g711ulaw, .g711alaw]),
                .trunkCallAnswered(Self.carrier, call: 2),
            ]
        )
        // No ACK yet: it carries the answer, which needs the phone's address.
        #expect(Self.requests(answered).isEmpty)
        let opened = endpoint.callCommands(
            [Self.command(2, .indicate(.connected(remote: Self.alice))), Self.command(2, .openMedia(Self.ulaw))],
            now: .seconds(5)
        )
        #expect(
            Self.events(opened) == [
                .trunkMediaAddress(Self.carrier, call: 2, Self.farMedia, codecs: [.g711ulaw, .g711alaw])
            ]
        )
        let started = endpoint.callCommands(
            [Self.command(2, .startMedia(remote: Self.phoneMedia, Self.ulaw))],
            now: .seconds(5)
        )
        let ack = try #require(Self.requests(started).first)
        #expect(ack.method == .ack)
        #expect(ack.uri.description == "sip:far@192.0.2.2:5060")
        #expect(try ack.headers.cseq().sequence == 1)
        let answer = try Self.audio(ack.body)
        #expect(answer.address == "10.0.0.5" && answer.port == 20_000 && answer.codecs == [.pcmu])
        // A retransmitted 200 gets the same ACK again.
        #expect(Self.requests(endpoint.received(.response(ok), from: Self.trunkPeer, now: .seconds(6))) == [ack])

        let hungUp = endpoint.callCommands(
            [Self.command(2, .closeMedia), Self.command(2, .indicate(.cleared))],
            now: .seconds(30)
        )
        let bye = try #require(Self.requests(hungUp).first)
        #expect(bye.method == .bye)
        #expect(try bye.headers.cseq().sequence == 2)
        #expect(endpoint.callCount == 1)
        _ = endpoint.received(
            .response(SIPResponse(replyingTo: bye, statusCode: 200)),
            from: Self.trunkPeer,
            now: .seconds(30)
        )
        #expect(endpoint.callCount == 0)
    }

    @Test(arguments: [
        (486, TrunkEndCause.busy), (600, .busy), (404, .invalidNumber), (484, .invalidNumber), (480, .unavailable),
        (503, .unavailable), (403, .rejected), (603, .rejected),
    ])
    func aFailureEndsTheCallWithItsCause(_ status: Int, _ cause: TrunkEndCause) throws {
        var (endpoint, _) = Self.endpoint()
        let placed = endpoint.callCommands(
            [Self.command(2, .place(caller: Self.alice, called: "0301234"))],
            now: .seconds(1)
        )
        let invite = try #require(Self.requests(placed).first)
        let refused = endpoint.received(
            .response(Fixture.response(to: invite, status)),
            from: Self.trunkPeer,
            now: .seconds(2)
        )
        // The transaction ACKs the failure; the core hears why.
        #expect(Self.requests(refused).map(\.method) == [.ack])
        #expect(Self.events(refused) == [.trunkCallEnded(Self.carrier, call: 2, cause, sipStatus: status)])
        #expect(endpoint.callCount == 0)
    }

    /// A carrier that challenges the INVITE (407) gets it again with Proxy-Authorization, once.
    @Test func aDigestChallengeOnTheInviteIsAnswered() throws {
        let credentials = DigestCredentials(username: "4930123", password: "s3cret")
        var (endpoint, _) = Self.endpoint(
            SIPTrunkConfiguration(name: "carrier", host: "192.0.2.2", credentials: credentials)
        )
        let placed = endpoint.callCommands(
            [Self.command(2, .place(caller: Self.alice, called: "0301234"))],
            now: .seconds(1)
        )
        let invite = try #require(Self.requests(placed).first { $0.method == .invite })
        let challenge = Fixture.response(
            to: invite,
            407,
            extra: [("Proxy-Authenticate", "Digest realm=\"carrier\", nonce=\"abc\", algorithm=MD5, qop=\"auth\"")]
        )
        let retried = endpoint.received(.response(challenge), from: Self.trunkPeer, now: .seconds(1))
        #expect(Self.requests(retried).map(\.method) == [.ack, .invite])
        let second = try #require(Self.requests(retried).last)
        #expect(try second.headers.cseq().sequence == 2)
        #expect(try second.headers.callID() == invite.headers.callID())
        #expect(try second.headers.from().tag == invite.headers.from().tag)
        #expect(try second.headers.topVia().branch != invite.headers.topVia().branch)
        let authorization = try #require(second.headers[.proxyAuthorization])
        #expect(authorization.contains("username=\"4930123\"") && authorization.contains("realm=\"carrier\""))
        #expect(Self.events(retried).isEmpty)
        // A second challenge means the credentials are wrong: the call fails.
        let again = endpoint.received(
            .response(Fixture.response(to: second, 407)),
            from: Self.trunkPeer,
            now: .seconds(2)
        )
        #expect(Self.events(again) == [.trunkCallEnded(Self.carrier, call: 2, .rejected, sipStatus: 407)])
    }

    /// The caller hangs up while the far end rings: CANCEL, and the INVITE's 487 ends the call without a word to
    /// the core (it cleared the leg itself).
    @Test func theCallerHangsUpWhileTheFarEndRings() throws {
        var (endpoint, _) = Self.endpoint()
        let placed = endpoint.callCommands(
            [Self.command(2, .place(caller: Self.alice, called: "0301234"))],
            now: .seconds(1)
        )
        let invite = try #require(Self.requests(placed).first)
        _ = endpoint.received(.response(Fixture.response(to: invite, 180)), from: Self.trunkPeer, now: .seconds(1))
        let cleared = endpoint.callCommands([Self.command(2, .indicate(.cleared))], now: .seconds(3))
        let cancel = try #require(Self.requests(cleared).first)
        #expect(cancel.method == .cancel)
        #expect(try cancel.headers.topVia() == invite.headers.topVia())
        #expect(try cancel.headers.cseq() == SIPCSeq(1, .cancel))
        _ = endpoint.received(.response(Fixture.response(to: cancel, 200)), from: Self.trunkPeer, now: .seconds(3))
        let terminated = endpoint.received(
            .response(Fixture.response(to: invite, 487)),
            from: Self.trunkPeer,
            now: .seconds(3)
        )
        #expect(Self.requests(terminated).map(\.method) == [.ack])
        #expect(Self.events(terminated).isEmpty)
        #expect(endpoint.callCount == 0)
    }

    /// Hung up before any provisional: the CANCEL waits for the first 1xx (RFC 3261 §9.1).
    @Test func aCancelWaitsForTheFirstProvisional() throws {
        var (endpoint, _) = Self.endpoint()
        let placed = endpoint.callCommands(
            [Self.command(2, .place(caller: Self.alice, called: "0301234"))],
            now: .seconds(1)
        )
        let invite = try #require(Self.requests(placed).first)
        #expect(Self.requests(endpoint.callCommands([Self.command(2, .indicate(.cleared))], now: .seconds(1))).isEmpty)
        let trying = endpoint.received(
            .response(Fixture.response(to: invite, 100, toTag: nil)),
            from: Self.trunkPeer,
            now: .seconds(1)
        )
        #expect(Self.requests(trying).map(\.method) == [.cancel])
        #expect(Self.events(trying).isEmpty)
    }

    // MARK: - Hold, resume, transfer

    /// The phone holds: re-INVITE `sendonly`; it resumes: re-INVITE `sendrecv` with its new receive address.
    @Test func thePhoneHoldsAndResumesByReinvite() throws {
        var (endpoint, _) = Self.endpoint()
        _ = try Self.answeredInbound(&endpoint)
        let held = endpoint.callCommands(
            [Self.command(1, .closeMedia), Self.command(1, .indicate(.remoteHold))],
            now: .seconds(10)
        )
        let hold = try #require(Self.requests(held).first)
        #expect(hold.method == .invite)
        #expect(try Self.audio(hold.body).direction == .sendonly)
        #expect(try hold.headers.cseq().sequence == 1)
        var ok = SIPResponse(replyingTo: hold, statusCode: 200)
        ok.headers.append(.contentType, "application/sdp")
        ok.body = Self.sdp(formats: ["8", "101"], direction: "recvonly")
        let accepted = endpoint.received(.response(ok), from: Self.trunkPeer, now: .seconds(10))
        #expect(Self.requests(accepted).map(\.method) == [.ack])
        #expect(Self.events(accepted).isEmpty)

        // Resume: the core opens media again; nothing is offered until the phone's new address is known.
        let resuming = endpoint.callCommands(
            [Self.command(1, .indicate(.connected(remote: Self.bob))), Self.command(1, .openMedia(Self.alaw))],
            now: .seconds(20)
        )
        #expect(Self.requests(resuming).isEmpty)
        #expect(
            Self.events(resuming) == [.trunkMediaAddress(Self.carrier, call: 1, Self.farMedia, codecs: [.g711alaw])]
        )
        let resumed = endpoint.callCommands(
            [Self.command(1, .startMedia(remote: Self.phoneMediaAfterResume, Self.alaw))],
            now: .seconds(20)
        )
        let resume = try #require(Self.requests(resumed).first)
        let described = try Self.audio(resume.body)
        #expect(described.direction == .sendrecv && described.port == 20_002 && described.codecs == [.pcma])
        #expect(try resume.headers.cseq().sequence == 2)
    }

    /// The far end holds (`sendonly`): answered `recvonly`, and the core hears of it; what the core then does to the
    /// leg (close media, `hold`) sends nothing back. Its resume is answered, and the phone's new address follows in
    /// a re-INVITE of this side's.
    @Test func theFarEndHoldsAndResumes() throws {
        var (endpoint, _) = Self.endpoint()
        let ok = try Self.answeredInbound(&endpoint)
        let hold = try Self.inDialog(
            .invite,
            after: ok,
            cseq: 2,
            body: Self.sdp(direction: "sendonly"),
            branch: "z9hG4bKh"
        )
        let held = endpoint.received(.request(hold), from: Self.trunkPeer, now: .seconds(10))
        let answer = try #require(Self.responses(held).first { $0.statusCode == 200 })
        #expect(try Self.audio(answer.body).direction == .recvonly)
        #expect(Self.events(held) == [.trunkHoldChanged(Self.carrier, call: 1, isHeld: true)])
        _ = endpoint.received(
            .request(try Self.inDialog(.ack, after: ok, cseq: 2, branch: "z9hG4bKha")),
            from: Self.trunkPeer,
            now: .seconds(10)
        )
        let echoed = endpoint.callCommands(
            [Self.command(1, .closeMedia), Self.command(1, .indicate(.hold))],
            now: .seconds(10)
        )
        #expect(echoed.isEmpty)

        let resume = try Self.inDialog(.invite, after: ok, cseq: 3, body: Self.sdp(port: 30_010), branch: "z9hG4bKr")
        let resumed = endpoint.received(.request(resume), from: Self.trunkPeer, now: .seconds(20))
        #expect(
            try Self.audio(try #require(Self.responses(resumed).first { $0.statusCode == 200 }).body).direction
                == .sendrecv
        )
        #expect(Self.events(resumed) == [.trunkHoldChanged(Self.carrier, call: 1, isHeld: false)])
        let opened = endpoint.callCommands(
            [Self.command(1, .indicate(.connected(remote: Self.bob))), Self.command(1, .openMedia(Self.alaw))],
            now: .seconds(20)
        )
        let moved = MediaEndpoint(address: .ipv4(0xC000_0202), port: 30_010)
        #expect(
            Self.events(opened) == [.trunkMediaAddress(Self.carrier, call: 1, moved, codecs: [.g711alaw, .g711ulaw])]
        )
        // The phone's new address waits for the ACK of the far end's re-INVITE (one INVITE at a time, §14.1).
        let started = endpoint.callCommands(
            [Self.command(1, .startMedia(remote: Self.phoneMediaAfterResume, Self.alaw))],
            now: .seconds(20)
        )
        #expect(Self.requests(started).isEmpty)
        let acked = endpoint.received(
            .request(try Self.inDialog(.ack, after: ok, cseq: 3, branch: "z9hG4bKra")),
            from: Self.trunkPeer,
            now: .seconds(20)
        )
        let reinvite = try #require(Self.requests(acked).first)
        #expect(reinvite.method == .invite)
        #expect(try Self.audio(reinvite.body).port == 20_002)
    }

    /// A transfer by the phone: the trunk leg is connected to a new party, whose address goes out in a re-INVITE.
    @Test func aTransferReinvitesWithTheNewPartysAddress() throws {
        var (endpoint, _) = Self.endpoint()
        _ = try Self.answeredInbound(&endpoint)
        // Bob presses Transfer: the far end is held.
        let held = endpoint.callCommands(
            [Self.command(1, .closeMedia), Self.command(1, .indicate(.remoteHold))],
            now: .seconds(10)
        )
        let hold = try #require(Self.requests(held).first)
        var ok = SIPResponse(replyingTo: hold, statusCode: 200)
        ok.headers.append(.contentType, "application/sdp")
        ok.body = Self.sdp(direction: "recvonly")
        _ = endpoint.received(.response(ok), from: Self.trunkPeer, now: .seconds(10))
        // The transfer completes to Carol, whose phone takes µ-law only.
        let carol = Party(name: "Carol", number: "1003")
        let carolMedia = MediaEndpoint(address: .ipv4(0x0A00_0007), port: 24_000)
        _ = endpoint.callCommands(
            [Self.command(1, .indicate(.connected(remote: carol))), Self.command(1, .openMedia(Self.ulaw))],
            now: .seconds(15)
        )
        let transferred = endpoint.callCommands(
            [Self.command(1, .startMedia(remote: carolMedia, Self.ulaw))],
            now: .seconds(15)
        )
        let reinvite = try #require(Self.requests(transferred).first)
        let offer = try Self.audio(reinvite.body)
        #expect(offer.address == "10.0.0.7" && offer.port == 24_000 && offer.codecs == [.pcmu])
        #expect(offer.direction == .sendrecv)
    }

    /// Glare: the far end's re-INVITE while this side's is out gets 491; this side's own 491 is retried later.
    @Test func crossingReinvitesAreSortedOutWith491() throws {
        var (endpoint, _) = Self.endpoint()
        let ok = try Self.answeredInbound(&endpoint)
        let held = endpoint.callCommands(
            [Self.command(1, .closeMedia), Self.command(1, .indicate(.remoteHold))],
            now: .seconds(10)
        )
        let hold = try #require(Self.requests(held).first)
        let theirs = try Self.inDialog(.invite, after: ok, cseq: 2, body: Self.sdp(), branch: "z9hG4bKg")
        #expect(
            Self.responses(endpoint.received(.request(theirs), from: Self.trunkPeer, now: .seconds(10))).map(
                \.statusCode
            ) == [100, 491]
        )
        let pending = endpoint.received(
            .response(SIPResponse(replyingTo: hold, statusCode: 491)),
            from: Self.trunkPeer,
            now: .seconds(10)
        )
        let retry = try #require(
            pending.compactMap { action -> SIPInstant? in
                if case .schedule(.call(_, .reinviteRetry), let at) = action { return at }
                return nil
            }.first
        )
        // Strowger answered the INVITE, so the far end owns the Call-ID: 0–2 s.
        #expect(retry >= .seconds(10) && retry < .seconds(12))
        let again = try #require(
            pending.compactMap { action -> SIPTrunkCall.ID? in
                if case .schedule(.call(let id, .reinviteRetry), _) = action { return id }
                return nil
            }.first
        )
        let retried = endpoint.timerFired(.call(again, .reinviteRetry), now: retry)
        #expect(try Self.requests(retried).map { try Self.audio($0.body).direction } == [.sendonly])
    }

    // MARK: - Removal

    /// A trunk removed with a call up: BYE, and the core is told the trunk is gone.
    @Test func removingATrunkEndsItsCalls() throws {
        var (endpoint, _) = Self.endpoint()
        _ = try Self.answeredInbound(&endpoint)
        let removed = endpoint.trunksChanged([], addresses: [:], now: .seconds(10))
        #expect(Self.requests(removed).map(\.method) == [.bye])
        #expect(Self.events(removed) == [.trunkDetached(Self.carrier)])
        #expect(endpoint.callCount == 0)
    }

    @Test func sdpAddressesParse() {
        #expect(
            TrunkCallMedia.endpoint(address: "10.0.0.5", port: 20_000)
                == MediaEndpoint(address: .ipv4(0x0A00_0005), port: 20_000)
        )
        #expect(TrunkCallMedia.endpoint(address: "0.0.0.0", port: 20_000) == nil)
        #expect(TrunkCallMedia.endpoint(address: "sip.example", port: 20_000) == nil)
        #expect(TrunkCallMedia.endpoint(address: "10.0.0.256", port: 20_000) == nil)
        #expect(
            TrunkCallMedia.endpoint(address: "2001:db8::1", port: 4_000)
                == MediaEndpoint(address: .ipv6(high: 0x2001_0DB8_0000_0000, low: 1), port: 4_000)
        )
        #expect(
            TrunkCallMedia.endpoint(address: "::ffff:10.0.0.5", port: 4_000)
                == MediaEndpoint(address: .ipv6(high: 0, low: 0x0000_FFFF_0A00_0005), port: 4_000)
        )
        #expect(TrunkCallMedia.endpoint(address: "1::2::3", port: 4_000) == nil)
        #expect(TrunkCallMedia.endpoint(address: "10.0.0.5", port: 0) == nil)
    }
}
