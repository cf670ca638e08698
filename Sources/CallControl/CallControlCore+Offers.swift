/// Offers: one call ringing any number of legs at once (a shared line's devices, a broadcast hunt's members, a
/// park reverting to its parker). The first answer wins; legs on the same shared line as the winner show the call as
/// In Use Remote, the others are cleared (CUCM: "answered elsewhere").
extension CallControlCore {
    /// Rings `targets` for the call of `callID`, whose one party then hears ring-back.
    mutating func offer(_ callID: CallID, to targets: [(DeviceName, LineAppearance)]) {
        guard let call = calls[callID], let callerReference = call.parties.first, let caller = legs[callerReference],
            !targets.isEmpty
        else { return }
        var offered: [(leg: Leg, waitingOn: CallReference?)] = []
        for (name, appearance) in targets {
            let activeOnCallee = activeLeg(of: name)
            let reference = allocateCallReference()
            let leg = Leg(
                reference: reference,
                call: callID,
                endpoint: .phone(name, line: appearance.instance),
                party: Party(name: appearance.displayName, number: appearance.number),
                state: .ringingIn(callWaiting: activeOnCallee != nil)
            )
            insertLeg(leg)
            devices[name]?.legs.append(reference)
            calls[callID]?.offered.append(reference)
            offered.append((leg, activeOnCallee))
        }
        legs[callerReference]?.state = .ringingOut
        if let first = offered.first?.leg {
            calls[callID]?.draft.calledDevice = first.device
            calls[callID]?.draft.calledReference = first.reference
            indicate(caller, .ringOut(callee: first.party))
        }
        for (leg, activeOnCallee) in offered {
            indicate(leg, .ringIn(caller: caller.party, isCallWaiting: activeOnCallee != nil))
            if let activeOnCallee, let active = legs[activeOnCallee] {
                indicate(active, .callWaiting(caller: caller.party))
            }
        }
    }

    /// The first answer wins: `reference` (ringing) joins the call as its second party.
    mutating func answer(_ reference: CallReference) {
        guard let leg = legs[reference], leg.isRinging else { return }
        deactivateOthers(on: leg.device, except: reference)
        // Clearing another call cannot end this one (a device is never offered its own call), but check rather than
        // assume.
        guard let callee = legs[reference], callee.isRinging, let call = calls[callee.call],
            let callerReference = call.parties.first, call.parties.count == 1, let caller = legs[callerReference]
        else { return }
        // A trunk call placed with an early offer already has its media (the far end's answer came first).
        let keepsMedia = earlyMediaCaller(of: callee) != nil
        let losers = call.offered.filter { $0 != reference }
        calls[call.id]?.offered = []
        calls[call.id]?.parties.append(reference)
        calls[call.id]?.hunt?.answered()
        legs[reference]?.state = .connected
        legs[callerReference]?.state = .connected
        calls[call.id]?.draft.answerTime = now
        calls[call.id]?.draft.calledDevice = callee.device
        calls[call.id]?.draft.calledReference = reference
        if let calledNumber = call.draft.calledNumber, calledNumber != callee.party.number {
            calls[call.id]?.draft.reached(callee.party.number)
        }
        cancelTimer(of: callerReference)  // no-answer or hunt timer
        indicate(callee, .connected(remote: caller.party))
        indicate(caller, .connected(remote: callee.party))
        if keepsMedia {
            legs[reference]?.earlyOffer = .none
        } else {
            startMedia(reference, callerReference)
        }
        for loser in losers {
            guard let other = legs[loser] else { continue }
            if other.party.number == callee.party.number {
                legs[loser]?.state = .inUseRemote
                calls[call.id]?.shadows.append(loser)
                indicate(other, .inUseRemote)
            } else {
                removeOffered(loser)
            }
            refreshRinging(other.device)
        }
    }

    /// Withdraws the call from every leg it is offered to (a no-answer timeout, a hunt moving on, a pickup).
    mutating func withdrawOffer(_ callID: CallID) {
        guard let offered = calls[callID]?.offered else { return }
        calls[callID]?.offered = []
        for reference in offered {
            guard let leg = legs[reference] else { continue }
            removeOffered(reference)
            refreshRinging(leg.device)
        }
    }

    /// Clears one ringing leg and forgets it (the call itself goes on).
    mutating func removeOffered(_ reference: CallReference) {
        guard let leg = legs[reference] else { return }
        cancelTimer(of: reference)
        indicate(leg, .cleared)
        calls[leg.call]?.offered.removeAll { $0 == reference }
        forgetLeg(reference)
    }

    /// Removes a leg from the leg table, its device and its call's lists (not from `parties`; callers do that).
    mutating func forgetLeg(_ reference: CallReference) {
        guard let leg = legs[reference] else { return }
        // A ringing trunk leg placed with an early offer has a stream; the far end's refusal forgets it as it is.
        if let stream = leg.stream { streams[stream.id] = nil }
        removeLeg(reference)
        if let device = leg.device { devices[device]?.legs.removeAll { $0 == reference } }
    }

    /// Makes room on the device for `reference` to become active: holds a connected call, clears anything else.
    mutating func deactivateOthers(on device: DeviceName?, except reference: CallReference) {
        guard let device, let active = activeLeg(of: device), active != reference, let leg = legs[active] else {
            return
        }
        switch leg.state {
        case .connected:
            hold(active, refreshRinging: false)
        case .dialing, .failed, .ringingOut, .ringingIn, .inUseRemote:
            release(active, reason: .hangUp, refreshOwnDevice: false)
        }
    }

    /// Calls that rang as call waiting ring normally once their device has no active call.
    mutating func refreshRinging(_ device: DeviceName?) {
        guard let device, let references = devices[device]?.legs, activeLeg(of: device) == nil else { return }
        for reference in references {
            guard let leg = legs[reference], leg.state == .ringingIn(callWaiting: true),
                let callerReference = calls[leg.call]?.parties.first, let caller = legs[callerReference]
            else { continue }
            legs[reference]?.state = .ringingIn(callWaiting: false)
            indicate(leg, .ringIn(caller: caller.party, isCallWaiting: false))
        }
    }

    /// Moves the shadows of `source` that mirror one of the `keeping` parties (same number) into `destination`, and
    /// clears the others: a party that leaves a call takes its In Use Remote appearances with it.
    mutating func regroupShadows(from source: CallID, into destination: CallID, keeping: [CallReference]) {
        guard let shadows = calls[source]?.shadows, !shadows.isEmpty else { return }
        calls[source]?.shadows = []
        let numbers = Set(keeping.compactMap { legs[$0]?.party.number })
        for shadow in shadows {
            guard let leg = legs[shadow] else { continue }
            if numbers.contains(leg.party.number), calls[destination] != nil {
                legs[shadow]?.call = destination
                calls[destination]?.shadows.append(shadow)
            } else {
                indicate(leg, .cleared)
                forgetLeg(shadow)
            }
        }
    }

    /// Tells every leg the call is offered to that `party` is now the caller (after a blind transfer).
    mutating func reannounceOffer(_ callID: CallID, caller party: Party) {
        for reference in calls[callID]?.offered ?? [] {
            guard let leg = legs[reference], case .ringingIn(let waiting) = leg.state else { continue }
            indicate(leg, .ringIn(caller: party, isCallWaiting: waiting))
        }
    }
}
