/// Transfer (blind and consulted, from the phone) and direct transfer of two calls; the decisions are the
/// consultation leg's ``TransferStateMachine``, the moves of legs between calls are here.
extension CallControlCore {
    /// The Transfer softkey on `device`, on the call it names (else the active one).
    mutating func transferPressed(_ device: DeviceName, named: CallReference?) {
        // A consultation in progress: on it, or on the call it holds, Transfer completes (or gives up).
        let consultation = devices[device]?.legs.first { reference in
            guard let transfer = legs[reference]?.transfer else { return false }
            return named == nil || named == reference || named == transfer.heldLeg
        }
        if let consultation, let leg = legs[consultation], let transfer = leg.transfer {
            carryOut(
                transfer.transferPressed(consultation: consultationPhase(of: leg)),
                consultation: consultation,
                transfer: transfer
            )
            return
        }
        // Otherwise Transfer on a connected call starts a consultation on the same line.
        guard let target = named ?? activeLeg(of: device), let leg = legs[target], leg.device == device,
            leg.state == .connected, !leg.isHeld, conversationPeer(of: target) != nil,
            outgoingLine(of: device, requested: leg.line) != nil
        else { return }
        hold(target, refreshRinging: false)
        guard let consultationLeg = startOutgoing(device, line: leg.line) else { return }
        legs[consultationLeg]?.transfer = TransferStateMachine(heldLeg: target)
        if let started = legs[consultationLeg] { indicate(started, .transferConsultation) }
    }

    /// Where a consultation call stands, for its transfer machine.
    func consultationPhase(of leg: Leg) -> TransferStateMachine.ConsultationPhase {
        switch leg.state {
        case .dialing: .dialing
        case .ringingOut: .ringing
        case .connected: .answered
        case .failed, .ringingIn, .inUseRemote: .failed
        }
    }

    /// Carries out what the transfer machine decided.
    mutating func carryOut(
        _ action: TransferStateMachine.Action,
        consultation: CallReference,
        transfer: TransferStateMachine
    ) {
        switch action {
        case .none:
            return
        case .endConsultation:
            release(consultation, reason: .hangUp)
        case .returnHeldParty:
            guard let device = legs[consultation]?.device else { return }
            release(consultation, reason: .hangUp, refreshOwnDevice: false)
            if legs[transfer.heldLeg] != nil { resume(transfer.heldLeg) }
            emit(.notify(device, .transferFailed))
        case .completeBlind:
            completeBlindTransfer(consultation: consultation, held: transfer.heldLeg)
        case .completeConsulted:
            join(transfer.heldLeg, consultation)
        }
    }

    /// The target still rings: the held party takes the consultation's place as the caller of the consultation
    /// call and hears it ring; the transferrer drops out of both calls.
    private mutating func completeBlindTransfer(consultation: CallReference, held: CallReference) {
        guard let consultationLeg = legs[consultation], let heldLeg = legs[held],
            let transferred = conversationPeer(of: held), let transferredLeg = legs[transferred],
            let heldCall = calls[heldLeg.call], let consultationCall = calls[consultationLeg.call]
        else {
            // The held party already left: nothing to transfer, the consultation goes on as a call of its own.
            legs[consultation]?.transfer = nil
            return
        }
        // Records: the transferrer's conversation with the held party, and its consultation, end here.
        closeDraft(heldCall.id, leaving: held)
        closeDraft(consultationCall.id, leaving: consultation)

        // The held party moves into the consultation call as its caller, taking over the caller's timer (no-answer
        // forward or hunt).
        calls[heldCall.id]?.parties.removeAll { $0 == transferred }
        legs[transferred]?.call = consultationCall.id
        legs[transferred]?.state = .ringingOut
        legs[transferred]?.isHeld = false
        cancelTimer(of: transferred)
        if let timer = consultationLeg.timer {
            legs[consultation]?.timer = nil
            legs[transferred]?.timer = timer
            timers[timer] = transferred
        }
        calls[consultationCall.id]?.parties = [transferred]
        var draft = CallDraft(setupTime: now, calling: transferredLeg)
        draft.dialedNumber = consultationCall.draft.dialedNumber
        draft.calledNumber = consultationCall.draft.calledNumber
        draft.calledDevice = consultationCall.draft.calledDevice
        draft.calledReference = consultationCall.draft.calledReference
        draft.originalCalledNumber = consultationCall.draft.originalCalledNumber
        draft.forwardedFrom = consultationCall.draft.forwardedFrom
        draft.redirect = CallRedirect(.transfer, by: consultationLeg.party.number)
        calls[consultationCall.id]?.draft = draft

        // The transferrer's two legs go; shadows of the transferred party's line follow it.
        regroupShadows(from: heldCall.id, into: consultationCall.id, keeping: [transferred])
        dropTransferrer(held: held, consultation: consultation)

        // The transferred party's music stops: it hears the target ring; the target sees who is calling now.
        stopMedia(transferred)
        if let first = calls[consultationCall.id]?.offered.first, let target = legs[first] {
            indicate(transferredLeg, .ringOut(callee: target.party))
        }
        reannounceOffer(consultationCall.id, caller: transferredLeg.party)
    }

    /// Joins the other parties of two calls of one device (the held call and the consultation, or two calls for
    /// Direct Transfer) into one call and drops the device out of both: a consulted transfer.
    mutating func join(_ first: CallReference, _ second: CallReference) {
        guard let firstLeg = legs[first], let secondLeg = legs[second],
            let a = conversationPeer(of: first), let b = conversationPeer(of: second),
            let aLeg = legs[a], let bLeg = legs[b], firstLeg.call != secondLeg.call
        else { return }
        closeDraft(firstLeg.call, leaving: first)
        closeDraft(secondLeg.call, leaving: second)
        for reference in [first, second, a, b] { stopMedia(reference) }

        // The first call goes on with its other party and the second call's other party.
        let joined = firstLeg.call
        calls[joined]?.parties = [a, b]
        calls[secondLeg.call]?.parties.removeAll { $0 == b }
        legs[b]?.call = joined
        legs[a]?.isHeld = false
        legs[b]?.isHeld = false
        var draft = CallDraft(setupTime: now, calling: aLeg)
        draft.dialedNumber = calls[secondLeg.call]?.draft.dialedNumber ?? bLeg.party.number.rawValue
        draft.calledNumber = bLeg.party.number
        draft.calledDevice = bLeg.device
        draft.calledReference = b
        draft.answerTime = now
        draft.redirect = CallRedirect(.transfer, by: firstLeg.party.number)
        calls[joined]?.draft = draft

        // Shadows of the parties that stay follow them; those of the transferrer's line go.
        regroupShadows(from: secondLeg.call, into: joined, keeping: [a, b])
        regroupShadows(from: joined, into: joined, keeping: [a, b])
        dropTransferrer(held: first, consultation: second)

        indicate(aLeg, .connected(remote: bLeg.party))
        indicate(bLeg, .connected(remote: aLeg.party))
        startMedia(a, b)
    }

    /// Clears the transferrer's two legs and forgets them, and the calls they leave empty.
    private mutating func dropTransferrer(held: CallReference, consultation: CallReference) {
        let device = legs[held]?.device ?? legs[consultation]?.device
        for reference in [held, consultation] {
            guard let leg = legs[reference] else { continue }
            stopMedia(reference)
            cancelTimer(of: reference)
            indicate(leg, .cleared)
            calls[leg.call]?.parties.removeAll { $0 == reference }
            forgetLeg(reference)
            if let call = calls[leg.call], call.parties.isEmpty, call.offered.isEmpty {
                regroupShadows(from: call.id, into: call.id, keeping: [])
                calls[leg.call] = nil
            }
        }
        if let device { refreshRinging(device) }
    }

    /// Direct Transfer on `device`: joins the named (or active) call with the device's other call on the same line.
    mutating func directTransfer(_ device: DeviceName, named: CallReference?) {
        guard let registered = devices[device] else { return }
        let candidates = registered.legs.filter { reference in
            legs[reference]?.state == .connected && conversationPeer(of: reference) != nil
        }
        guard let first = named ?? activeLeg(of: device) ?? candidates.last, candidates.contains(first),
            let line = legs[first]?.line,
            let second = candidates.last(where: { $0 != first && legs[$0]?.line == line })
        else { return }
        join(second, first)
    }
}
