/// Call park: Park puts the other party of a connected call in the first free slot of the park range; dialling the
/// slot retrieves it; a call nobody retrieves rings the parker again after the reversion time.
extension CallControlCore {
    /// The Park softkey on `device`, on the call it names (else the active one).
    mutating func park(_ device: DeviceName, named: CallReference?) {
        guard let target = named ?? activeLeg(of: device), let parker = legs[target], parker.device == device,
            parker.state == .connected, let parked = conversationPeer(of: target), let parkedLeg = legs[parked]
        else { return }
        guard let slot = freeParkSlot() else {
            emit(.notify(device, .noParkSlotAvailable))
            return
        }
        let callID = parker.call
        closeDraft(callID, leaving: target)
        stopMedia(target)
        stopMedia(parked)

        // The parked party waits alone in the call; its record now starts at the park.
        calls[callID]?.parties = [parked]
        calls[callID]?.park = ParkedCall(slot: slot, parkerNumber: parker.party.number, parkerParty: parker.party)
        var draft = CallDraft(setupTime: now, calling: parkedLeg)
        draft.dialedNumber = slot.rawValue
        draft.redirect = CallRedirect(.park, by: parker.party.number)
        calls[callID]?.draft = draft
        parkedCalls[slot] = callID
        legs[parked]?.isHeld = false
        regroupShadows(from: callID, into: callID, keeping: [parked])

        cancelTimer(of: target)
        indicate(parker, .cleared)
        forgetLeg(target)
        dropTransfers(onto: parker)
        emit(.notify(device, .callParked(slot: slot)))
        refreshRinging(device)

        indicate(parkedLeg, .remoteHold)
        startMusicOnHold(parked, chosenBy: parker)
        startTimer(for: parked, .parkReversion, after: directory.settings.park.reversionTimeout)
    }

    /// The lowest slot of the range that holds no call; nil when all are taken or park is off.
    func freeParkSlot() -> DirectoryNumber? {
        guard let slots = directory.settings.park.slots else { return nil }
        let last = min(slots.upperBound, slots.lowerBound &+ Directory.maximumParkSlots &- 1)
        guard last >= slots.lowerBound else { return nil }
        for value in slots.lowerBound...last {
            let slot = DirectoryNumber(String(value))
            if parkedCalls[slot] == nil, directory.dialTarget(slot) == .parkSlot(slot) { return slot }
        }
        return nil
    }

    /// `retriever` (a leg that dialled `slot`) takes the call parked there; an empty slot is reorder.
    mutating func retrieveParked(_ slot: DirectoryNumber, by retriever: CallReference) {
        guard let callID = parkedCalls[slot], let call = calls[callID], let parked = call.parties.first,
            let parkedLeg = legs[parked], let retrieverLeg = legs[retriever]
        else {
            fail(retriever, .unavailable)
            return
        }
        // The retriever's own dialling call ends without a record: the parked call's record tells the story.
        let ownCall = retrieverLeg.call
        cancelTimer(of: retriever)
        cancelTimer(of: parked)
        calls[ownCall] = nil
        legs[retriever]?.call = callID
        legs[retriever]?.state = .connected
        legs[parked]?.state = .connected
        parkedCalls[slot] = nil
        calls[callID]?.park = nil
        calls[callID]?.parties = [parked, retriever]
        calls[callID]?.draft.calledNumber = retrieverLeg.party.number
        calls[callID]?.draft.calledDevice = retrieverLeg.device
        calls[callID]?.draft.calledReference = retriever
        calls[callID]?.draft.answerTime = now
        indicate(retrieverLeg, .connected(remote: parkedLeg.party))
        indicate(parkedLeg, .connected(remote: retrieverLeg.party))
        startMedia(parked, retriever)
    }

    /// Nobody retrieved the parked call in time: it rings the parker's line again (every device of it); if none can
    /// ring now, it stays parked for another reversion period.
    mutating func parkReversionDue(_ callID: CallID) {
        guard let call = calls[callID], let park = call.park, let parked = call.parties.first,
            let parkedLeg = legs[parked]
        else { return }
        guard case .available(let targets) = availability(of: park.parkerNumber, callerDevice: parkedLeg.device)
        else {
            startTimer(for: parked, .parkReversion, after: directory.settings.park.reversionTimeout)
            return
        }
        parkedCalls[park.slot] = nil
        calls[callID]?.park = nil
        calls[callID]?.draft.calledNumber = park.parkerNumber
        stopMedia(parked)
        offer(callID, to: targets)
    }
}
