/// Conferences on the media server's bridge: ad hoc (Confrn, dial, talk, Confrn again; Join of two calls), meet-me
/// rooms (dial a meet-me number), RmLstC and ConfList. Each party's endpoint sends its RTP to the bridge and receives
/// the mix of everyone but itself. A party that leaves leaves the others talking; an ad hoc conference down to two
/// falls back to a direct call between them; a meet-me room lasts while anyone is in it.
extension CallControlCore {
    // MARK: - Ad hoc

    /// Confrn on `device`: completes a conference consultation, or starts one on a connected call.
    mutating func conferencePressed(_ device: DeviceName, named: CallReference?) {
        let consultation = devices[device]?.legs.first { reference in
            guard let held = legs[reference]?.conferenceHeldLeg else { return false }
            return named == nil || named == reference || named == held
        }
        if let consultation, let leg = legs[consultation], let held = leg.conferenceHeldLeg {
            switch leg.state {
            case .connected:
                buildConference(keeping: held, absorbing: consultation)
            case .failed:
                release(consultation, reason: .hangUp, refreshOwnDevice: false)
                if legs[held] != nil { resume(held) }
            case .dialing, .ringingOut, .ringingIn, .inUseRemote:
                // The new party must answer first (CUCM's Confrn joins a consultation that is talking).
                return
            }
            return
        }
        guard let target = named ?? activeLeg(of: device), let leg = legs[target], leg.device == device,
            leg.state == .connected, !leg.isHeld, let call = calls[leg.call],
            conversationPeer(of: target) != nil || call.conference != nil
        else { return }
        guard let maximum = mediaServerMaximumParticipants else {
            emit(.notify(device, .noConferenceBridge))
            return
        }
        guard call.parties.count < maximum else {
            emit(.notify(device, .conferenceFull))
            return
        }
        guard let line = leg.line, outgoingLine(of: device, requested: line) != nil else { return }
        hold(target, refreshRinging: false)
        guard let consultationLeg = startOutgoing(device, line: line) else { return }
        legs[consultationLeg]?.conferenceHeldLeg = target
        if let started = legs[consultationLeg] { indicate(started, .conferenceConsultation) }
    }

    /// Join on `device`: the named (or active) call and the device's other connected or held call on the same line
    /// become one conference.
    mutating func joinPressed(_ device: DeviceName, named: CallReference?) {
        guard let registered = devices[device] else { return }
        let candidates = registered.legs.filter { reference in
            guard let leg = legs[reference], leg.state == .connected, let call = calls[leg.call] else { return false }
            return conversationPeer(of: reference) != nil || call.conference != nil
        }
        guard let first = named ?? activeLeg(of: device) ?? candidates.last, candidates.contains(first),
            let line = legs[first]?.line,
            let second = candidates.last(where: { $0 != first && legs[$0]?.line == line })
        else { return }
        guard mediaServerMaximumParticipants != nil else {
            emit(.notify(device, .noConferenceBridge))
            return
        }
        // The call that is a conference already keeps going; else the one pressed on.
        if calls[legs[second]?.call ?? CallID(0)]?.conference != nil {
            buildConference(keeping: second, absorbing: first)
        } else {
            buildConference(keeping: first, absorbing: second)
        }
    }

    /// `kept`'s call becomes (or stays) a conference and takes in the other parties of `absorbed`'s call; the
    /// device's `absorbed` leg is dropped. `kept`'s device controls the conference.
    mutating func buildConference(keeping kept: CallReference, absorbing absorbed: CallReference) {
        guard let maximum = mediaServerMaximumParticipants, let keptLeg = legs[kept],
            let absorbedLeg = legs[absorbed], keptLeg.call != absorbedLeg.call,
            let call = calls[keptLeg.call], let other = calls[absorbedLeg.call]
        else { return }
        let newcomers = other.parties.filter { $0 != absorbed }
        guard !newcomers.isEmpty else { return }
        guard call.parties.count + newcomers.count <= maximum else {
            if let device = keptLeg.device { emit(.notify(device, .conferenceFull)) }
            return
        }
        // Records: the pairs that were talking end here; each party's conference record starts now.
        if call.conference == nil { closeDraft(call.id, leaving: kept) }
        closeDraft(other.id, leaving: absorbed)
        calls[call.id]?.draft.dialedNumber = nil
        calls[other.id]?.draft.dialedNumber = nil

        if call.conference == nil {
            let id = allocateConferenceID()
            conferences[id] = call.id
            calls[call.id]?.conference = ConferenceState(id: id, controller: kept, joinOrder: call.parties)
            emit(.media(.createConference(id, maximumParticipants: maximum)))
        }
        for newcomer in newcomers {
            calls[other.id]?.parties.removeAll { $0 == newcomer }
            legs[newcomer]?.call = call.id
            calls[call.id]?.parties.append(newcomer)
            calls[call.id]?.conference?.joinOrder.append(newcomer)
        }
        regroupShadows(from: other.id, into: call.id, keeping: newcomers)
        calls[call.id]?.conference?.controller = kept

        // The device's second leg goes, and with it its call.
        stopMedia(absorbed)
        cancelTimer(of: absorbed)
        indicate(absorbedLeg, .cleared)
        calls[other.id]?.parties.removeAll { $0 == absorbed }
        forgetLeg(absorbed)
        if let rest = calls[other.id], rest.parties.isEmpty, rest.offered.isEmpty {
            regroupShadows(from: rest.id, into: rest.id, keeping: [])
            calls[other.id] = nil
        }

        // Everyone not on the bridge yet goes there (the held controller too).
        for party in calls[call.id]?.parties ?? [] where legs[party]?.onBridge == nil {
            addToBridge(party)
        }
        announceConference(call.id)
        refreshRinging(keptLeg.device)
    }

    /// Puts `reference` on its call's bridge: its endpoint opens a new stream to it.
    mutating func addToBridge(_ reference: CallReference) {
        guard let leg = legs[reference], let conference = calls[leg.call]?.conference else { return }
        stopMedia(reference)
        legs[reference]?.isHeld = false
        legs[reference]?.state = .connected
        legs[reference]?.onBridge = conference.id
        if leg.joinedConferenceAt == nil { legs[reference]?.joinedConferenceAt = now }
        let parameters = resourceParameters(for: leg)
        emit(.media(.addParticipant(reference, conference: conference.id, codec: parameters.codec)))
        openStream(reference, parameters)
    }

    /// Tells every party of the conference how many are in it.
    mutating func announceConference(_ callID: CallID) {
        guard let call = calls[callID], call.conference != nil else { return }
        for party in call.parties {
            guard let leg = legs[party], !leg.isHeld else { continue }
            indicate(leg, .conference(participants: call.parties.count))
        }
    }

    /// RmLstC on `device`: the conference's controller removes the party that joined last (not itself).
    mutating func removeLastParticipant(_ device: DeviceName, named: CallReference?) {
        guard let target = named ?? activeLeg(of: device), let leg = legs[target], leg.device == device,
            let conference = calls[leg.call]?.conference, conference.controller == target,
            let last = conference.joinOrder.last(where: { $0 != target })
        else { return }
        release(last, reason: .hangUp)
    }

    /// ConfList on `device`: who is in its conference.
    mutating func conferenceList(_ device: DeviceName, named: CallReference?) {
        guard let target = named ?? activeLeg(of: device), let leg = legs[target], leg.device == device,
            let conference = calls[leg.call]?.conference
        else { return }
        emit(.notify(device, .conferenceParticipants(conference.joinOrder.compactMap { legs[$0]?.party })))
    }

    // MARK: - Leaving

    /// `reference` leaves its conference (it hung up, was removed, or its endpoint went): the others go on; an ad
    /// hoc conference down to two falls back to a direct call, and one party alone ends it.
    mutating func leaveConference(_ reference: CallReference, reason: ReleaseReason) {
        guard let leg = legs[reference], let call = calls[leg.call], let conference = call.conference else { return }
        stopMedia(reference)
        cancelTimer(of: reference)
        indicate(leg, .cleared)
        recordConferenceParticipant(leg, reason: reason)
        calls[call.id]?.parties.removeAll { $0 == reference }
        calls[call.id]?.conference?.joinOrder.removeAll { $0 == reference }
        if conference.controller == reference, let next = calls[call.id]?.parties.first {
            calls[call.id]?.conference?.controller = next
        }
        regroupShadows(from: call.id, into: call.id, keeping: calls[call.id]?.parties ?? [])
        forgetLeg(reference)
        dropTransfers(onto: leg)
        refreshRinging(leg.device)

        let remaining = calls[call.id]?.parties ?? []
        switch remaining.count {
        case 0:
            closeConference(call.id)
            calls[call.id] = nil
        case 1 where !isMeetMe(call):
            // Alone in an ad hoc conference: the call ends for the last party too.
            if let last = remaining.first {
                release(last, reason: .hangUp)
            }
        case 2 where !isMeetMe(call):
            fallBackToDirect(call.id)
        default:
            announceConference(call.id)
        }
    }

    /// Two parties left of an ad hoc conference talk directly again; the bridge closes.
    mutating func fallBackToDirect(_ callID: CallID) {
        guard let call = calls[callID], call.parties.count == 2, let aLeg = legs[call.parties[0]],
            let bLeg = legs[call.parties[1]]
        else { return }
        for leg in [aLeg, bLeg] {
            recordConferenceParticipant(leg, reason: .hangUp)
            stopMedia(leg.reference)
            legs[leg.reference]?.joinedConferenceAt = nil
        }
        closeConference(callID)
        var draft = CallDraft(setupTime: now, calling: aLeg)
        draft.dialedNumber = bLeg.party.number.rawValue
        draft.calledNumber = bLeg.party.number
        draft.calledDevice = bLeg.device
        draft.calledReference = bLeg.reference
        draft.answerTime = now
        calls[callID]?.draft = draft
        for leg in [aLeg, bLeg] where leg.isHeld {
            legs[leg.reference]?.isHeld = false
        }
        indicate(aLeg, .connected(remote: bLeg.party))
        indicate(bLeg, .connected(remote: aLeg.party))
        startMedia(aLeg.reference, bLeg.reference)
    }

    /// Closes the call's bridge (and forgets its meet-me room).
    mutating func closeConference(_ callID: CallID) {
        guard let conference = calls[callID]?.conference else { return }
        calls[callID]?.conference = nil
        conferences[conference.id] = nil
        for (room, id) in meetMeRooms where id == callID { meetMeRooms[room] = nil }
        if mediaServerMaximumParticipants != nil { emit(.media(.destroyConference(conference.id))) }
    }

    /// The record of one party's time in a conference: "connected to conference N" (or the meet-me number).
    mutating func recordConferenceParticipant(_ leg: Leg, reason: ReleaseReason) {
        guard let joined = leg.joinedConferenceAt, let call = calls[leg.call], let conference = call.conference
        else { return }
        var draft = CallDraft(setupTime: joined, calling: leg)
        draft.answerTime = joined
        draft.codec = leg.stream?.parameters.codec
        let room = meetMeRooms.first { $0.value == call.id }?.key
        draft.calledNumber = room
        let dialed = room?.rawValue ?? "conference \(conference.id)"
        let releasedBy: ReleasingParty = reason == .timeout ? .system : .caller
        emit(
            .callRecord(
                CallRecord(
                    callingDevice: draft.callingDevice,
                    callingNumber: draft.callingNumber,
                    callingReference: draft.callingReference,
                    dialedNumber: dialed,
                    calledNumber: draft.calledNumber,
                    calledDevice: nil,
                    calledReference: nil,
                    setupTime: draft.setupTime,
                    answerTime: draft.answerTime,
                    endTime: now,
                    endCause: reason == .deviceLost ? .deviceLost : .normalClearing,
                    releasedBy: releasedBy,
                    codec: draft.codec,
                    callID: call.id,
                    trunk: draft.trunk
                )
            )
        )
        legs[leg.reference]?.joinedConferenceAt = nil
    }

    // MARK: - Meet-me

    func isMeetMe(_ call: Call) -> Bool {
        meetMeRooms.values.contains(call.id)
    }

    /// `caller` (a leg that dialled meet-me number `room`) joins that room, opening it if nobody is there yet.
    mutating func joinMeetMe(_ room: DirectoryNumber, by caller: CallReference) {
        guard let maximum = mediaServerMaximumParticipants, let callerLeg = legs[caller] else {
            if let device = legs[caller]?.device { emit(.notify(device, .noConferenceBridge)) }
            fail(caller, .unavailable)
            return
        }
        cancelTimer(of: caller)
        let ownCall = callerLeg.call
        calls[ownCall]?.draft.dialedNumber = nil
        if let roomCall = meetMeRooms[room], let call = calls[roomCall] {
            guard call.parties.count < maximum else {
                if let device = callerLeg.device { emit(.notify(device, .conferenceFull)) }
                fail(caller, .busy)
                return
            }
            calls[ownCall] = nil
            legs[caller]?.call = roomCall
            calls[roomCall]?.parties.append(caller)
            calls[roomCall]?.conference?.joinOrder.append(caller)
            addToBridge(caller)
            announceConference(roomCall)
            return
        }
        let id = allocateConferenceID()
        conferences[id] = ownCall
        meetMeRooms[room] = ownCall
        calls[ownCall]?.conference = ConferenceState(id: id, controller: caller, joinOrder: [caller])
        emit(.media(.createConference(id, maximumParticipants: maximum)))
        addToBridge(caller)
        announceConference(ownCall)
    }

    mutating func allocateConferenceID() -> ConferenceID {
        while true {
            let candidate = ConferenceID(nextConferenceID)
            nextConferenceID = nextConferenceID == UInt32.max ? 1 : nextConferenceID + 1
            if conferences[candidate] == nil { return candidate }
        }
    }
}
