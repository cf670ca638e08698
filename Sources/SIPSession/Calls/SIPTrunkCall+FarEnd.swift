public import CallControl
public import SIPWire

/// What the far end does: responses to this side's requests, its own requests in the dialog, ACK and CANCEL, and
/// the call's timers.
extension SIPTrunkCall {
    // MARK: - Responses

    /// A response to one of this call's requests (provisional ones too, for the INVITE).
    public mutating func responseReceived(
        _ response: SIPResponse,
        to purpose: RequestPurpose,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch purpose {
        case .invite:
            return inviteResponse(response, now: now, generator: &generator)
        case .reinvite:
            return reinviteResponse(response, now: now, generator: &generator)
        case .bye:
            guard !response.isProvisional, phase == .terminating else { return [] }
            phase = .ended
            return finishedIfDone
        case .cancel:
            // The INVITE's own final response (487) ends the call.
            return []
        }
    }

    /// One of this call's requests got no final response (Timer B or F) or could not be sent: a 408 (§8.1.3.1).
    public mutating func requestTimedOut(
        _ purpose: RequestPurpose,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch (purpose, phase) {
        case (.invite, .outboundCalling), (.invite, .outboundCancelling):
            phase = .ended
            return reportEnd(.unavailable, status: 408) + finishedIfDone
        case (.reinvite, .confirmed):
            // §12.2.1.2: a 408 to a request in the dialog ends it.
            exchange = .idle
            return reportEnd(.unavailable, status: 408) + bye(generator: &generator)
        case (.bye, .terminating):
            phase = .ended
            return finishedIfDone
        case (.invite, _), (.reinvite, _), (.bye, _), (.cancel, _):
            return []
        }
    }

    private mutating func inviteResponse(
        _ response: SIPResponse,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch phase {
        case .outboundCalling(_, let alerted, let cancelWanted):
            if response.isProvisional {
                var actions: [Action] = []
                var alerted = alerted
                if response.statusCode != 100, let stream = answerStream(in: response), !cancelWanted {
                    // The answer to the early offer, in an unreliable provisional (RFC 3261 §13.2.1 allows it; no
                    // 100rel here): early media. The phone sends to the far end and hears it before the answer.
                    actions += answerReceived(stream)
                }
                if response.statusCode != 100, !alerted, let reference, !cancelWanted {
                    // 180 and 183 alike: the caller sees the call ring out, and hears ring-back unless the far end
                    // answered the early offer (a 183's SDP is ignored after a delayed offer: it cannot be an answer).
                    alerted = true
                    actions.append(.report(.trunkCallAlerting(trunk, call: reference)))
                }
                if cancelWanted {
                    phase = .outboundCancelling
                    return [.sendRequest(cancelRequest(), .cancel)]
                }
                phase = .outboundCalling(provisional: true, alerted: alerted, cancelWanted: false)
                return actions
            }
            if response.isSuccess {
                if cancelWanted { return endAnsweredAfterCancel(response, generator: &generator) }
                return answered(response, now: now, generator: &generator)
            }
            if response.statusCode == 401 || response.statusCode == 407, !answeredChallenge, !cancelWanted,
                let retried = authenticatedInvite(for: response, generator: &generator)
            {
                answeredChallenge = true
                invite = retried
                return [.sendRequest(retried, .invite)]
            }
            phase = .ended
            return reportEnd(Self.endCause(forStatus: response.statusCode), status: response.statusCode)
                + finishedIfDone
        case .outboundCancelling:
            if response.isProvisional { return [] }
            if response.isSuccess { return endAnsweredAfterCancel(response, generator: &generator) }
            phase = .ended
            return finishedIfDone
        case .confirmed, .terminating:
            // A retransmitted 2xx: its ACK went missing.
            if response.isSuccess, let lastAck, (try? response.headers.cseq().sequence) == Self.sequence(of: lastAck) {
                return [.sendAck(lastAck)]
            }
            return []
        case .inboundOffered, .inboundAnswering, .ended:
            return []
        }
    }

    /// The far end answered the INVITE (a delayed offer: its 2xx carries the offer). The core hears of the far end's
    /// codecs first (so that it picks one the far end has), then of the answer; the ACK waits for the phone.
    private mutating func answered(
        _ response: SIPResponse,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard let reference, let made = try? SIPDialog(asCaller: invite, response: response) else {
            phase = .ended
            return reportEnd(.rejected, status: nil) + finishedIfDone
        }
        dialog = made
        phase = .confirmed
        if earlyOffer != nil {
            return answeredEarlyOffer(response, reference: reference, now: now, generator: &generator)
        }
        let sequence = Self.sequence(of: invite)
        guard let offer = try? SessionDescription(parsing: response.body),
            let stream = AudioOfferAnswer.audioStream(of: offer), !stream.codecs.isEmpty,
            let endpoint = TrunkCallMedia.endpoint(address: stream.address, port: stream.port)
        else {
            // No usable offer in the 2xx: ACK it (refusing whatever it offered) and end the call.
            let body = (try? SessionDescription(parsing: response.body)).map { refusal(of: $0) }
            let request = ack(sequence: sequence, body: body, generator: &generator)
            lastAck = request
            return [.sendAck(request)] + reportEnd(.rejected, status: nil) + bye(generator: &generator)
        }
        media.remote = stream
        media.remoteEndpoint = endpoint
        exchange = .ackWaitingForMedia(sequence: sequence, offer: offer)
        let deadline = now + settings.coreTimeout
        coreDeadline = deadline
        return [
            .report(.trunkMediaAddress(trunk, call: reference, endpoint, codecs: media.remoteCodecs)),
            .report(.trunkCallAnswered(trunk, call: reference)),
            .schedule(.coreDeadline, at: deadline),
        ]
    }

    /// The far end answered an INVITE that carried this side's offer: the 2xx carries the answer (the same as an
    /// early one in a 183, or a new one, which supersedes it), and the ACK goes at once without a body. A 2xx without
    /// an answer is accepted only after an early one (strictly it must repeat it, §13.2.1); otherwise the call ends.
    private mutating func answeredEarlyOffer(
        _ response: SIPResponse,
        reference: CallReference,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        let request = ack(sequence: Self.sequence(of: invite), body: nil, generator: &generator)
        lastAck = request
        var actions: [Action] = [.sendAck(request)]
        if let stream = answerStream(in: response) {
            actions += answerReceived(stream)
        } else if !hasAnswer {
            return actions + reportEnd(.rejected, status: nil) + bye(generator: &generator)
        }
        actions.append(.report(.trunkCallAnswered(trunk, call: reference)))
        return actions + reconcile(now: now, generator: &generator)
    }

    /// The answer to this side's early offer in `response`; nil when there is none (no SDP, or SDP that does not
    /// answer the offer: no audio, no codec offered).
    func answerStream(in response: SIPResponse) -> AudioStream? {
        guard let earlyOffer, !response.body.isEmpty, let answer = try? SessionDescription(parsing: response.body),
            (try? AudioOfferAnswer.negotiate(offer: earlyOffer, answer: answer)) != nil,
            let stream = AudioOfferAnswer.audioStream(of: answer), !stream.codecs.isEmpty
        else { return nil }
        return stream
    }

    /// The far end answered the early offer: its address and codecs go to the core, unless they are what it said
    /// before (the 2xx repeating a 183's answer).
    mutating func answerReceived(_ stream: AudioStream) -> [Action] {
        hasAnswer = true
        guard media.answered(with: stream), let reference, !coreDone, media.isOpen,
            let endpoint = media.remoteEndpoint
        else { return [] }
        return [.report(.trunkMediaAddress(trunk, call: reference, endpoint, codecs: media.remoteCodecs))]
    }

    /// A 2xx that crossed this side's CANCEL: ACK it and end the dialog with BYE (§9.1).
    private mutating func endAnsweredAfterCancel(
        _ response: SIPResponse,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard let made = try? SIPDialog(asCaller: invite, response: response) else {
            phase = .ended
            return finishedIfDone
        }
        dialog = made
        phase = .confirmed
        // After an early offer the 2xx carries an answer, which needs none.
        let body = earlyOffer != nil ? nil : (try? SessionDescription(parsing: response.body)).map { refusal(of: $0) }
        return [.sendAck(ack(sequence: Self.sequence(of: invite), body: body, generator: &generator))]
            + bye(generator: &generator)
    }

    private mutating func reinviteResponse(
        _ response: SIPResponse,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard case .reinviting(let sequence, let offer, let local, let previous) = exchange else {
            // A retransmitted 2xx of an earlier re-INVITE.
            if response.isSuccess, let lastAck, (try? response.headers.cseq().sequence) == Self.sequence(of: lastAck) {
                return [.sendAck(lastAck)]
            }
            return []
        }
        if response.isProvisional { return [] }
        exchange = .idle
        if response.isSuccess {
            let request = ack(sequence: sequence, body: nil, generator: &generator)
            lastAck = request
            var actions: [Action] = [.sendAck(request)]
            if let answer = try? SessionDescription(parsing: response.body),
                (try? AudioOfferAnswer.negotiate(offer: offer, answer: answer)) != nil,
                let stream = AudioOfferAnswer.audioStream(of: answer)
            {
                actions += farEndDescribed(stream, isOffer: false)
            }
            if phase == .confirmed { actions += reconcile(now: now, generator: &generator) }
            return actions
        }
        switch response.statusCode {
        case 491:
            // Glare (§14.1): try again after a random wait, 2.1–4 s for the side that owns the Call-ID, else 0–2 s.
            retryPending = true
            media.announced = previous
            let ownsCallID = dialog?.isCaller ?? false
            let milliseconds = ownsCallID ? 2_100 + Int64(generator.next() % 1_900) : Int64(generator.next() % 2_000)
            return [.schedule(.reinviteRetry, at: now + .milliseconds(milliseconds))]
        case 408, 481:
            // §12.2.1.2: the dialog is gone.
            let actions = reportEnd(.normal, status: response.statusCode)
            if response.statusCode == 481 {
                phase = .ended
                return actions + finishedIfDone
            }
            return actions + bye(generator: &generator)
        default:
            // §14.1: the session goes on as before. What was asked for counts as said, so that the same re-INVITE is
            // not sent again and again.
            media.announced = local
            return []
        }
    }

    // MARK: - Requests from the far end

    /// A request in the dialog (it carried the dialog's tags), taken into server transaction `server`.
    public mutating func requestReceived(
        _ request: SIPRequest,
        server: SIPServerTransactionID,
        reliable: Bool,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard var dialog else {
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 481))]
        }
        do throws(SIPDialog.RequestError) {
            try dialog.receive(request)
        } catch .cseqOutOfOrder {
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 500))]
        } catch {
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 481))]
        }
        self.dialog = dialog
        switch request.method {
        case .bye:
            return byeReceived(request, server: server)
        case .invite:
            return reinviteReceived(request, server: server, reliable: reliable, now: now, generator: &generator)
        case .options, .info:
            // INFO carries nothing Strowger acts on (DTMF goes in RTP, RFC 4733): accepted so that the far end's
            // dialog is not hurt.
            var response = SIPResponse(replyingTo: request, statusCode: 200)
            response.headers.append(.allow, SIPEndpoint.allowedMethods)
            return [.respond(server, response)]
        default:
            var response = SIPResponse(replyingTo: request, statusCode: 405)
            response.headers.append(.allow, SIPEndpoint.allowedMethods)
            return [.respond(server, response)]
        }
    }

    private mutating func byeReceived(_ request: SIPRequest, server: SIPServerTransactionID) -> [Action] {
        var actions: [Action] = [.respond(server, SIPResponse(replyingTo: request, statusCode: 200))]
        switch phase {
        case .inboundOffered, .inboundAnswering:
            // A BYE in the early dialog (a caller should CANCEL, but some BYE): the INVITE ends with 487.
            if let inviteServer { actions.append(.respond(inviteServer, dialogResponse(to: invite, status: 487))) }
            actions += reportEnd(.normal, status: nil)
        case .confirmed, .outboundCalling, .outboundCancelling:
            actions += reportEnd(.normal, status: nil)
        case .terminating, .ended:
            break
        }
        phase = .ended
        exchange = .idle
        return actions + finishedIfDone
    }

    /// A re-INVITE: answered at once with what this side has now (the phone's address as last described, the
    /// direction the core wants); a hold or resume in it goes to the core, which may make this side re-INVITE in
    /// turn with the phone's new address.
    private mutating func reinviteReceived(
        _ request: SIPRequest,
        server: SIPServerTransactionID,
        reliable: Bool,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard phase == .confirmed, exchange == .idle, !byeWanted else {
            // §14.2: an offer while this side's own is out (glare), or the ACK is still owed: 491, try again.
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 491))]
        }
        guard let current = media.current else {
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 491))]
        }
        var response = dialogResponse(to: request, status: 200)
        response.headers.append(.contentType, "application/sdp")
        var actions: [Action] = []
        var ourOffer: SessionDescription?
        if request.body.isEmpty {
            let offer = media.offer(current, telephoneEvent: telephoneEvent)
            response.body = offer.serialized()
            ourOffer = offer
        } else {
            guard let offer = try? SessionDescription(parsing: request.body),
                let stream = AudioOfferAnswer.audioStream(of: offer), !stream.codecs.isEmpty,
                let answer = media.answer(to: offer, with: current, telephoneEvent: telephoneEvent)
            else {
                var refusal = SIPResponse(replyingTo: request, statusCode: 488)
                refusal.headers.append(.warning, "305 \(local.host) \"Incompatible media format: only PCMU and PCMA\"")
                return [.respond(server, refusal)]
            }
            response.body = answer.serialized()
            actions += farEndDescribed(stream, isOffer: true)
        }
        return [.respond(server, response)]
            + awaitAck(server: server, response: response, reliable: reliable, offer: ourOffer, now: now) + actions
    }

    /// The far end described its media (an offer or an answer): a new address goes to the core when media is open
    /// (or it asked), and a hold or resume in an offer becomes `trunkHoldChanged`.
    mutating func farEndDescribed(_ stream: AudioStream, isOffer: Bool) -> [Action] {
        let previous = media.remoteEndpoint
        media.remote = stream
        let endpoint = TrunkCallMedia.endpoint(address: stream.address, port: stream.port)
        if let endpoint { media.remoteEndpoint = endpoint }
        guard let reference, !coreDone else { return [] }
        var actions: [Action] = []
        if let current = media.remoteEndpoint, media.owesAddress || (media.isOpen && current != previous) {
            media.owesAddress = false
            actions.append(.report(.trunkMediaAddress(trunk, call: reference, current, codecs: media.remoteCodecs)))
        }
        if isOffer, stream.isHold != media.heldByFarEnd {
            media.heldByFarEnd = stream.isHold
            actions.append(.report(.trunkHoldChanged(trunk, call: reference, isHeld: stream.isHold)))
        }
        return actions
    }

    /// The ACK of a 2xx this side sent (it matched the dialog).
    public mutating func ackReceived(
        _ request: SIPRequest,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard case .awaitingAck(_, _, _, _, _, let offer) = exchange else { return [] }
        if var dialog {
            try? dialog.receive(request)
            self.dialog = dialog
        }
        exchange = .idle
        var actions: [Action] = []
        if let offer {
            // The 2xx carried this side's offer: the ACK must carry the answer (§13.2.1).
            guard let answer = try? SessionDescription(parsing: request.body),
                (try? AudioOfferAnswer.negotiate(offer: offer, answer: answer)) != nil,
                let stream = AudioOfferAnswer.audioStream(of: answer)
            else {
                return reportEnd(.rejected, status: nil) + bye(generator: &generator)
            }
            actions += farEndDescribed(stream, isOffer: false)
        }
        if byeWanted {
            byeWanted = false
            return actions + bye(generator: &generator)
        }
        return actions + reconcile(now: now, generator: &generator)
    }

    /// The far end cancelled its INVITE before the final response (the transaction layer answered the CANCEL 200).
    public mutating func cancelReceived() -> [Action] {
        switch phase {
        case .inboundOffered, .inboundAnswering:
            phase = .ended
            var actions: [Action] = []
            if let inviteServer { actions.append(.respond(inviteServer, dialogResponse(to: invite, status: 487))) }
            return actions + reportEnd(.normal, status: 487) + finishedIfDone
        case .outboundCalling, .outboundCancelling, .confirmed, .terminating, .ended:
            return []
        }
    }

    // MARK: - Timers

    public mutating func timerFired(
        _ timer: Timer,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch timer {
        case .answerRetransmit:
            guard
                case .awaitingAck(let server, let response, let retransmits, let interval, let giveUpAt, let offer) =
                    exchange
            else { return [] }
            if now >= giveUpAt {
                // §13.3.1.4: no ACK in 64·T1: the session ends with a BYE.
                exchange = .idle
                byeWanted = false
                return reportEnd(.unavailable, status: nil) + bye(generator: &generator)
            }
            let next = min(interval * 2, settings.timers.t2)
            exchange = .awaitingAck(
                server: server,
                response: response,
                retransmits: retransmits,
                interval: next,
                giveUpAt: giveUpAt,
                offer: offer
            )
            let at = retransmits ? min(now + next, giveUpAt) : giveUpAt
            return (retransmits ? [.respond(server, response)] : []) + [.schedule(.answerRetransmit, at: at)]
        case .coreDeadline:
            guard let deadline = coreDeadline, now >= deadline else { return [] }
            coreDeadline = nil
            return coreTimedOut(generator: &generator)
        case .reinviteRetry:
            retryPending = false
            return reconcile(now: now, generator: &generator)
        }
    }

    /// The core did not do its part in time.
    private mutating func coreTimedOut(generator: inout SIPIdentifierGenerator) -> [Action] {
        switch phase {
        case .inboundOffered where reference == nil:
            // Never bound: the core did not take the call (the trunk went away meanwhile).
            phase = .ended
            coreDone = true
            guard let inviteServer else { return [.finished] }
            return [.respond(inviteServer, dialogResponse(to: invite, status: 503)), .finished]
        case .ended where reference == nil:
            unreportedEnd = nil
            return [.finished]
        case .inboundAnswering:
            phase = .ended
            var actions = reportEnd(.unavailable, status: nil)
            if let inviteServer { actions.append(.respond(inviteServer, dialogResponse(to: invite, status: 480))) }
            return actions + finishedIfDone
        case .confirmed:
            guard case .ackWaitingForMedia(let sequence, let offer) = exchange else { return [] }
            exchange = .idle
            return [.sendAck(ack(sequence: sequence, body: refusal(of: offer), generator: &generator))]
                + reportEnd(.unavailable, status: nil) + bye(generator: &generator)
        case .inboundOffered, .outboundCalling, .outboundCancelling, .terminating, .ended:
            return []
        }
    }

    // MARK: - Causes

    /// Why a final status ended an outbound call, for the caller's tone: busy (486, 600), no such number (404,
    /// 410, 484, 604), not reachable now (408, 480, 487, 503, 504), refused (anything else: 403, 603 …).
    public static func endCause(forStatus status: Int) -> TrunkEndCause {
        switch status {
        case 486, 600: .busy
        case 404, 410, 484, 604: .invalidNumber
        case 408, 480, 487, 503, 504: .unavailable
        default: .rejected
        }
    }
}
