import SIPSession
import SIPWire
import Testing

/// Transcripts of the four transaction machines (RFC 3261 §17) on a mock clock.
@Suite struct TransactionTests {
    @Test func inviteClientRetransmitsOnTimerAAndTimesOutOnTimerB() {
        let invite = Fixture.request(.invite)
        var (transaction, actions) = InviteClientTransaction.start(
            invite,
            reliable: false,
            timers: Fixture.timers,
            now: .zero
        )
        #expect(
            actions == [.send(.request(invite)), .schedule(.a, at: Fixture.at(0.5)), .schedule(.b, at: Fixture.at(32))]
        )
        #expect(
            transaction.timerFired(.a, now: Fixture.at(0.5)) == [
                .send(.request(invite)), .schedule(.a, at: Fixture.at(1.5)),
            ]
        )
        #expect(
            transaction.timerFired(.a, now: Fixture.at(1.5)) == [
                .send(.request(invite)), .schedule(.a, at: Fixture.at(3.5)),
            ]
        )
        #expect(transaction.timerFired(.b, now: Fixture.at(32)) == [.timedOut, .terminated])
        #expect(transaction.timerFired(.a, now: Fixture.at(33)) == [])
    }

    @Test func inviteClientOverTCPNeverRetransmits() {
        let invite = Fixture.request(.invite)
        let (_, actions) = InviteClientTransaction.start(invite, reliable: true, timers: Fixture.timers, now: .zero)
        #expect(actions == [.send(.request(invite)), .schedule(.b, at: Fixture.at(32))])
    }

    /// A non-2xx final is ACKed by the transaction itself (same branch, To with tag, CSeq method ACK), and again for
    /// each retransmission until Timer D.
    @Test func inviteClientAcksANon2xxFinal() throws {
        let invite = Fixture.request(.invite)
        var (transaction, _) = InviteClientTransaction.start(
            invite,
            reliable: false,
            timers: Fixture.timers,
            now: .zero
        )
        let ringing = Fixture.response(to: invite, 180)
        #expect(transaction.responseReceived(ringing, now: Fixture.at(0.2)) == [.deliver(ringing)])
        // Proceeding: Timer A no longer retransmits.
        #expect(transaction.timerFired(.a, now: Fixture.at(0.5)) == [])
        let busy = Fixture.response(to: invite, 486)
        let actions = transaction.responseReceived(busy, now: Fixture.at(1))
        guard case .send(.request(let ack)) = actions.first else {
            Issue.record("no ACK: \(actions)")
            return
        }
        #expect(ack.method == .ack)
        #expect(ack.uri == invite.uri)
        #expect(ack.headers.lines(.via) == invite.headers.lines(.via))
        #expect(try ack.headers.cseq() == SIPCSeq(1, .ack))
        #expect(try ack.headers.to().tag == "tt")
        #expect(Array(actions.dropFirst()) == [.deliver(busy), .schedule(.d, at: Fixture.at(33))])
        #expect(transaction.responseReceived(busy, now: Fixture.at(2)) == [.send(.request(ack))])
        #expect(transaction.timerFired(.d, now: Fixture.at(33)) == [.terminated])
    }

    /// RFC 6026: after a 2xx the transaction passes retransmitted 2xx up (the dialog ACKs them) until Timer M.
    @Test func inviteClientPassesRetransmitted2xxUp() {
        let invite = Fixture.request(.invite)
        var (transaction, _) = InviteClientTransaction.start(
            invite,
            reliable: false,
            timers: Fixture.timers,
            now: .zero
        )
        let ok = Fixture.response(to: invite, 200)
        #expect(
            transaction.responseReceived(ok, now: Fixture.at(1)) == [.deliver(ok), .schedule(.m, at: Fixture.at(33))]
        )
        #expect(transaction.responseReceived(ok, now: Fixture.at(1.5)) == [.deliver(ok)])
        #expect(transaction.timerFired(.m, now: Fixture.at(33)) == [.terminated])
    }

    @Test func nonInviteClientBacksOffToT2() {
        let options = Fixture.request(.options)
        var (transaction, actions) = NonInviteClientTransaction.start(
            options,
            reliable: false,
            timers: Fixture.timers,
            now: .zero
        )
        #expect(
            actions == [
                .send(.request(options)), .schedule(.e, at: Fixture.at(0.5)), .schedule(.f, at: Fixture.at(32)),
            ]
        )
        var now = 0.5
        var expectedIntervals: [Double] = []
        for _ in 0..<5 {
            let fired = transaction.timerFired(.e, now: Fixture.at(now))
            guard case .schedule(.e, let next) = fired.last else {
                Issue.record("no reschedule")
                return
            }
            let interval = Double(next.nanoseconds) / 1e9 - now
            expectedIntervals.append(interval)
            now += interval
        }
        #expect(expectedIntervals == [1, 2, 4, 4, 4])
        let ok = Fixture.response(to: options, 200)
        #expect(
            transaction.responseReceived(ok, now: Fixture.at(20)) == [.deliver(ok), .schedule(.k, at: Fixture.at(25))]
        )
        #expect(transaction.responseReceived(ok, now: Fixture.at(21)) == [])
        #expect(transaction.timerFired(.k, now: Fixture.at(25)) == [.terminated])
    }

    @Test func nonInviteClientOverTCPEndsOnTheFinalResponse() {
        let options = Fixture.request(.options)
        var (transaction, actions) = NonInviteClientTransaction.start(
            options,
            reliable: true,
            timers: Fixture.timers,
            now: .zero
        )
        #expect(actions == [.send(.request(options)), .schedule(.f, at: Fixture.at(32))])
        let ok = Fixture.response(to: options, 200)
        #expect(transaction.responseReceived(ok, now: Fixture.at(1)) == [.deliver(ok), .terminated])
    }

    /// A non-2xx final is retransmitted on Timer G until the ACK, then retransmitted ACKs are absorbed until Timer I.
    @Test func inviteServerRetransmitsItsFinalResponseUntilTheAck() {
        let invite = Fixture.request(.invite)
        var (transaction, actions) = InviteServerTransaction.start(invite, reliable: false, timers: Fixture.timers)
        let trying = SIPResponse(replyingTo: invite, statusCode: 100)
        #expect(actions == [.send(.response(trying))])
        #expect(transaction.requestRetransmitted() == [.send(.response(trying))])
        let unavailable = Fixture.response(to: invite, 503)
        #expect(
            transaction.respond(unavailable, now: Fixture.at(1))
                == [
                    .send(.response(unavailable)), .schedule(.g, at: Fixture.at(1.5)),
                    .schedule(.h, at: Fixture.at(33)),
                ]
        )
        #expect(transaction.requestRetransmitted() == [.send(.response(unavailable))])
        #expect(
            transaction.timerFired(.g, now: Fixture.at(1.5))
                == [.send(.response(unavailable)), .schedule(.g, at: Fixture.at(2.5))]
        )
        #expect(
            transaction.ackReceived(Fixture.request(.ack), now: Fixture.at(2)) == [.schedule(.i, at: Fixture.at(7))]
        )
        #expect(transaction.timerFired(.g, now: Fixture.at(2.5)) == [])
        #expect(transaction.ackReceived(Fixture.request(.ack), now: Fixture.at(3)) == [])
        #expect(transaction.timerFired(.i, now: Fixture.at(7)) == [.terminated])
    }

    @Test func inviteServerGivesUpOnTimerH() {
        let invite = Fixture.request(.invite)
        var (transaction, _) = InviteServerTransaction.start(invite, reliable: true, timers: Fixture.timers)
        let busy = Fixture.response(to: invite, 486)
        #expect(transaction.respond(busy, now: .zero) == [.send(.response(busy)), .schedule(.h, at: Fixture.at(32))])
        #expect(transaction.timerFired(.h, now: Fixture.at(32)) == [.noAck, .terminated])
    }

    @Test func nonInviteServerAnswersRetransmissionsUntilTimerJ() {
        let options = Fixture.request(.options)
        var transaction = NonInviteServerTransaction(options, reliable: false, timers: Fixture.timers)
        #expect(transaction.requestRetransmitted() == [])
        let ok = Fixture.response(to: options, 200)
        #expect(transaction.respond(ok, now: .zero) == [.send(.response(ok)), .schedule(.j, at: Fixture.at(32))])
        #expect(transaction.requestRetransmitted() == [.send(.response(ok))])
        #expect(transaction.timerFired(.j, now: Fixture.at(32)) == [.terminated])
    }
}

@Suite struct TransactionLayerTests {
    /// A retransmitted request matches its transaction and is answered from it; the user sees it once.
    @Test func retransmissionsAreAbsorbed() throws {
        var layer = SIPTransactionLayer()
        let options = Fixture.request(.options)
        let first = layer.received(.request(options), from: Fixture.peer, now: .zero)
        guard case .requestReceived(_, let essentials, let source) = first.first else {
            Issue.record("not handed up: \(first)")
            return
        }
        let (id, _) = try layer.acceptRequest(options, essentials: essentials, from: source, now: .zero)
        let ok = Fixture.response(to: options, 200)
        #expect(layer.respond(id, with: ok, now: .zero).first == .send(.response(ok), to: Fixture.peer))
        #expect(
            layer.received(.request(options), from: Fixture.peer, now: Fixture.at(1)) == [
                .send(.response(ok), to: Fixture.peer)
            ]
        )
        #expect(layer.serverTransactionCount == 1)
        _ = layer.timerFired(SIPTransactionTimerID(transaction: .server(id), timer: .j), now: Fixture.at(32))
        #expect(layer.serverTransactionCount == 0)
    }

    /// Without rport the response goes to the source address at the Via's port (RFC 3261 §18.2.2).
    @Test func responsesFollowRport() {
        let via = try? SIPVia(parsing: "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKx")
        let source = SIPPeer(transport: .udp, host: "192.0.2.9", port: 40_000)
        #expect(
            SIPTransactionLayer.responseDestination(for: via!, source: source)
                == SIPPeer(transport: .udp, host: "192.0.2.9", port: 5070)
        )
        let withRport = try? SIPVia(parsing: "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKx;rport")
        #expect(SIPTransactionLayer.responseDestination(for: withRport!, source: source) == source)
    }

    /// §9.2: CANCEL of a pending INVITE: 200 for the CANCEL, and the user is told to answer the INVITE 487.
    @Test func cancelOfAPendingInvite() throws {
        var layer = SIPTransactionLayer()
        let invite = Fixture.request(.invite)
        guard
            case .requestReceived(_, let essentials, _) = layer.received(
                .request(invite),
                from: Fixture.peer,
                now: .zero
            ).first
        else {
            Issue.record("INVITE not handed up")
            return
        }
        let (inviteID, accepted) = try layer.acceptRequest(
            invite,
            essentials: essentials,
            from: Fixture.peer,
            now: .zero
        )
        #expect(accepted == [.send(.response(SIPResponse(replyingTo: invite, statusCode: 100)), to: Fixture.peer)])
        let cancel = Fixture.request(.cancel)
        let actions = layer.received(.request(cancel), from: Fixture.peer, now: Fixture.at(1))
        guard case .send(.response(let ok), _) = actions.first else {
            Issue.record("no 200: \(actions)")
            return
        }
        #expect(ok.statusCode == 200)
        #expect(try ok.headers.cseq().method == .cancel)
        #expect(actions.last == .cancelReceived(inviteID))
        // A CANCEL matching nothing: 481.
        let stray = Fixture.request(.cancel, branch: "z9hG4bKother")
        guard
            case .send(.response(let unknown), _) = layer.received(
                .request(stray),
                from: Fixture.peer,
                now: Fixture.at(2)
            ).first
        else {
            Issue.record("no 481")
            return
        }
        #expect(unknown.statusCode == 481)
    }

    @Test func aMalformedRequestIsAnswered400() {
        var layer = SIPTransactionLayer()
        var request = Fixture.request(.options)
        request.headers.set(.cseq, "99999999999 OPTIONS")
        let actions = layer.received(.request(request), from: Fixture.peer, now: .zero)
        guard case .send(.response(let response), let destination) = actions.first else {
            Issue.record("no 400: \(actions)")
            return
        }
        #expect(response.statusCode == 400)
        #expect(response.reasonPhrase.hasPrefix("Bad Request (CSeq"))
        #expect(destination == Fixture.peer)
        #expect(layer.serverTransactionCount == 0)
    }

    @Test func theTablesAreBounded() throws {
        var layer = SIPTransactionLayer(maximumTransactions: 2)
        for index in 0..<2 {
            _ = try layer.sendRequest(
                Fixture.request(.options, branch: "z9hG4bK\(index)"),
                to: Fixture.peer,
                now: .zero
            )
        }
        #expect(throws: SIPTransactionLayer.Refusal.tooManyTransactions) {
            _ = try layer.sendRequest(Fixture.request(.options, branch: "z9hG4bKx"), to: Fixture.peer, now: .zero)
        }
    }

    /// A full table still takes BYE and CANCEL, up to a reserve of an eighth: a refused BYE would leave its call up.
    @Test func byeAndCancelHaveAReserveOnAFullTable() throws {
        var layer = SIPTransactionLayer(maximumTransactions: 16)
        #expect(layer.endingReserve == 2)
        func accept(_ method: SIPMethod, _ branch: String) throws {
            let request = Fixture.request(method, branch: branch)
            guard
                case .requestReceived(_, let essentials, let source) = layer.received(
                    .request(request),
                    from: Fixture.peer,
                    now: .zero
                ).first
            else {
                Issue.record("not handed up")
                return
            }
            _ = try layer.acceptRequest(request, essentials: essentials, from: source, now: .zero)
        }
        for index in 0..<16 { try accept(.options, "z9hG4bKs\(index)") }
        #expect(throws: SIPTransactionLayer.Refusal.tooManyTransactions) { try accept(.options, "z9hG4bKs16") }
        try accept(.bye, "z9hG4bKb1")
        try accept(.bye, "z9hG4bKb2")
        #expect(throws: SIPTransactionLayer.Refusal.tooManyTransactions) { try accept(.bye, "z9hG4bKb3") }
        #expect(layer.serverTransactionCount == 18)

        for index in 0..<16 {
            _ = try layer.sendRequest(
                Fixture.request(.options, branch: "z9hG4bKo\(index)"),
                to: Fixture.peer,
                now: .zero
            )
        }
        #expect(throws: SIPTransactionLayer.Refusal.tooManyTransactions) {
            _ = try layer.sendRequest(Fixture.request(.invite, branch: "z9hG4bKi"), to: Fixture.peer, now: .zero)
        }
        _ = try layer.sendRequest(Fixture.request(.bye, branch: "z9hG4bKob"), to: Fixture.peer, now: .zero)
        _ = try layer.sendRequest(Fixture.request(.cancel, branch: "z9hG4bKoc"), to: Fixture.peer, now: .zero)
        #expect(throws: SIPTransactionLayer.Refusal.tooManyTransactions) {
            _ = try layer.sendRequest(Fixture.request(.cancel, branch: "z9hG4bKod"), to: Fixture.peer, now: .zero)
        }
        #expect(layer.clientTransactionCount == 18)
    }
}
