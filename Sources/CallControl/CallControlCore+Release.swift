/// Release: the one cleanup path, and call records.
extension CallControlCore {
    /// Releases `reference`. A party leaving ends its call: media and timers stop on every leg, every device is told
    /// (unless gone), the record is written and every leg is forgotten. A ringing leg leaving (its device went away)
    /// only withdraws that offer, unless it was the last one: then the call ends as well, or a hunt moves on. A
    /// shadow leaving ends nothing. `refreshOwnDevice` is false when another call of the same device becomes active
    /// at once.
    mutating func release(_ reference: CallReference, reason: ReleaseReason, refreshOwnDevice: Bool = true) {
        guard let leg = legs[reference], let call = calls[leg.call] else { return }
        if call.offered.contains(reference), call.offered.count > 1 || call.hunt?.isFinished == false {
            removeOffered(reference)
            if calls[call.id]?.offered.isEmpty == true { huntOfferEnded(call.id) }
            return
        }
        if call.conference != nil, call.parties.contains(reference) {
            leaveConference(reference, reason: reason)
            return
        }
        if call.shadows.contains(reference) {
            calls[call.id]?.shadows.removeAll { $0 == reference }
            indicate(leg, .cleared)
            forgetLeg(reference)
            return
        }
        let involved = ([reference] + call.allLegs.filter { $0 != reference }).compactMap { legs[$0] }

        for party in involved {
            stopMedia(party.reference)
            cancelTimer(of: party.reference)
        }
        for party in involved {
            indicate(party, .cleared)
        }
        recordCall(call.id, releasedBy: leg, reason: reason)
        for party in involved {
            forgetLeg(party.reference)
            dropTransfers(onto: party)
        }
        if let slot = call.park?.slot { parkedCalls[slot] = nil }
        calls[call.id] = nil
        for party in involved where refreshOwnDevice || party.device != leg.device {
            refreshRinging(party.device)
        }
    }

    /// A leg that a consultation on the same device meant to transfer is gone: the consultation becomes an ordinary
    /// call.
    mutating func dropTransfers(onto leg: Leg) {
        guard let device = leg.device else { return }
        for reference in devices[device]?.legs ?? [] {
            if legs[reference]?.transfer?.heldLeg == leg.reference { legs[reference]?.transfer = nil }
            if legs[reference]?.conferenceHeldLeg == leg.reference { legs[reference]?.conferenceHeldLeg = nil }
        }
    }

    /// Writes the record of the call's current draft, if its number was complete.
    mutating func recordCall(_ callID: CallID, releasedBy leaving: Leg, reason: ReleaseReason) {
        guard let call = calls[callID], let dialed = call.draft.dialedNumber else { return }
        let draft = call.draft
        let releasedBy: ReleasingParty
        switch reason {
        case .timeout: releasedBy = .system
        case .hangUp, .deviceLost: releasedBy = leaving.reference == draft.callingReference ? .caller : .callee
        }
        let cause: CallEndCause
        if let caller = legs[draft.callingReference], case .failed(let failure) = caller.state {
            cause = failure.endCause
        } else if reason == .deviceLost {
            cause = .deviceLost
        } else {
            cause = draft.answerTime == nil ? .abandoned : .normalClearing
        }
        emitRecord(draft, dialed: dialed, callID: callID, cause: cause, releasedBy: releasedBy)
    }

    /// Ends the current draft of a call that goes on elsewhere (transfer, park) with a record of cause
    /// ``CallEndCause/redirected``, released by `leaving`.
    mutating func closeDraft(_ callID: CallID, leaving: CallReference) {
        guard let draft = calls[callID]?.draft, let dialed = draft.dialedNumber else { return }
        let releasedBy: ReleasingParty = leaving == draft.callingReference ? .caller : .callee
        emitRecord(draft, dialed: dialed, callID: callID, cause: .redirected, releasedBy: releasedBy)
    }

    private mutating func emitRecord(
        _ draft: CallDraft,
        dialed: String,
        callID: CallID,
        cause: CallEndCause,
        releasedBy: ReleasingParty
    ) {
        let original = draft.originalCalledNumber == draft.calledNumber ? nil : draft.originalCalledNumber
        emit(
            .callRecord(
                CallRecord(
                    callingDevice: draft.callingDevice,
                    callingNumber: draft.callingNumber,
                    callingReference: draft.callingReference,
                    dialedNumber: dialed,
                    calledNumber: draft.calledNumber,
                    calledDevice: draft.calledDevice,
                    calledReference: draft.calledReference,
                    setupTime: draft.setupTime,
                    answerTime: draft.answerTime,
                    endTime: now,
                    endCause: cause,
                    releasedBy: releasedBy,
                    codec: draft.codec,
                    callID: callID,
                    originalCalledNumber: original,
                    redirect: draft.redirect,
                    trunk: draft.trunk,
                    sipStatus: draft.sipStatus
                )
            )
        )
    }
}
