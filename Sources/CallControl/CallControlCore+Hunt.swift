/// Hunt groups: a call to a pilot is offered to the members by the group's ``HuntStateMachine``.
extension CallControlCore {
    /// The call of `callID` reached `group`'s pilot.
    mutating func startHunt(_ callID: CallID, group: HuntGroup) {
        guard let caller = calls[callID]?.parties.first, let callerDevice = legs[caller]?.device else { return }
        calls[callID]?.draft.redirect = CallRedirect(.hunt, by: group.pilot)
        var machine = HuntStateMachine(group: group, order: huntOrder(group))
        let action = machine.start { self.isHuntMemberAvailable($0, callerDevice: callerDevice) }
        calls[callID]?.hunt = machine
        carryOut(action, hunt: callID)
    }

    /// The members offered the call did not answer in time, or all went away: the hunt moves on.
    mutating func huntOfferEnded(_ callID: CallID) {
        guard var machine = calls[callID]?.hunt, !machine.isFinished, let caller = calls[callID]?.parties.first,
            let callerDevice = legs[caller]?.device
        else { return }
        let action = machine.offerEnded { self.isHuntMemberAvailable($0, callerDevice: callerDevice) }
        calls[callID]?.hunt = machine
        carryOut(action, hunt: callID)
    }

    private mutating func carryOut(_ action: HuntStateMachine.Action, hunt callID: CallID) {
        guard let call = calls[callID], let caller = call.parties.first, let group = call.hunt?.group else { return }
        switch action {
        case .offer(let members):
            var targets: [(DeviceName, LineAppearance)] = []
            for member in members {
                if case .available(let devices) = availability(
                    of: member,
                    callerDevice: legs[caller]?.device,
                    skippingDoNotDisturb: true
                ) {
                    targets += devices
                }
            }
            if let last = members.last { huntCursor[group.pilot] = last }
            offer(callID, to: targets)
            startTimer(for: caller, .huntNoAnswer, after: group.noAnswerTimeout)
        case .finalDestination(let destination):
            calls[callID]?.hunt = nil
            if !forward(callID, from: group.pilot, to: destination, reason: .hunt) {
                fail(caller, .busy)
            }
        case .exhausted:
            calls[callID]?.hunt = nil
            fail(caller, .busy)
        }
    }

    /// The order in which `group`'s members are tried.
    func huntOrder(_ group: HuntGroup) -> [DirectoryNumber] {
        switch group.algorithm {
        case .topDown, .broadcast:
            return group.members
        case .circular:
            guard let last = huntCursor[group.pilot], let index = group.members.firstIndex(of: last) else {
                return group.members
            }
            let next = group.members.index(after: index)
            return Array(group.members[next...] + group.members[..<next])
        case .longestIdle:
            // Idle longest first; a number never seen busy first of all; ties keep the list order.
            return group.members.enumerated()
                .sorted { lhs, rhs in
                    let left = idleSince[lhs.element]
                    let right = idleSince[rhs.element]
                    switch (left, right) {
                    case (nil, nil): return lhs.offset < rhs.offset
                    case (nil, _): return true
                    case (_, nil): return false
                    case (let l?, let r?): return l != r ? l < r : lhs.offset < rhs.offset
                    }
                }
                .map(\.element)
        }
    }

    /// A member can take a hunted call: some registered device carries it, is not the caller, is not in
    /// do-not-disturb and has room below the line's busy trigger.
    func isHuntMemberAvailable(_ member: DirectoryNumber, callerDevice: DeviceName) -> Bool {
        if case .available = availability(of: member, callerDevice: callerDevice, skippingDoNotDisturb: true) {
            return true
        }
        return false
    }
}
