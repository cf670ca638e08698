/// Call pickup: PickUp answers a call ringing on another number of the device's own pickup group; GPickUp, then a
/// group's number, one ringing in that group. The picked call is offered to the picking phone and answered at once
/// (CUCM's "auto call pickup"), which withdraws it from the phones where it rang.
extension CallControlCore {
    /// PickUp on `device`: the group of `line` (else of the first of the device's lines that is in a group).
    mutating func pickUp(_ device: DeviceName, line: LineInstance?) {
        guard let registered = devices[device] else { return }
        let lines = line.flatMap { registered.appearance($0) }.map { [$0] } ?? registered.profile.lines
        var found: (LineAppearance, PickupGroup)?
        for appearance in lines {
            if let group = directory.pickupGroup(ofMember: appearance.number) {
                found = (appearance, group)
                break
            }
        }
        guard let (appearance, group) = found else {
            emit(.notify(device, .noCallForPickup))
            return
        }
        pickUp(from: group, device: device, line: appearance.instance)
    }

    /// GPickUp on `device`: go off-hook to dial a pickup group's number.
    mutating func groupPickUp(_ device: DeviceName, line: LineInstance?) {
        guard devices[device] != nil else { return }
        if let active = activeLeg(of: device), let leg = legs[active] {
            switch leg.state {
            case .dialing(let digits) where digits.isEmpty:
                // Pressed on the dial-tone screen: that leg dials the group.
                legs[active]?.dialPurpose = .groupPickup
                return
            case .connected:
                hold(active, refreshRinging: false)
            case .dialing, .failed, .ringingOut, .ringingIn, .inUseRemote:
                return
            }
        }
        startOutgoing(device, line: line, purpose: .groupPickup)
    }

    /// The group number after GPickUp was dialled on `reference`.
    mutating func groupPickUpDialed(_ reference: CallReference, group number: DirectoryNumber) {
        guard let leg = legs[reference] else { return }
        guard let group = directory.pickupGroups[number] else {
            fail(reference, .invalidNumber)
            return
        }
        guard let device = leg.device, let line = leg.line else { return }
        if !pickUp(from: group, device: device, line: line) {
            release(reference, reason: .hangUp)
        }
    }

    /// Picks up the oldest call ringing on a member of `group` (not one ringing on `device` itself) onto `line` of
    /// `device`. Returns false, after telling the user, when there is none.
    @discardableResult
    mutating func pickUp(from group: PickupGroup, device: DeviceName, line: LineInstance) -> Bool {
        var best: (call: CallID, setup: Timestamp, ringing: DirectoryNumber)?
        for member in group.members {
            for reference in numberLegs[member] ?? [] {
                guard let leg = legs[reference], leg.isRinging, leg.device != device, let call = calls[leg.call],
                    !call.offered.contains(where: { self.legs[$0]?.device == device }),
                    let callerDevice = call.parties.first.flatMap({ self.legs[$0]?.device }), callerDevice != device
                else { continue }
                let setup = call.draft.setupTime
                if best == nil || (setup, call.id) < (best?.setup ?? setup, best?.call ?? call.id) {
                    best = (call.id, setup, member)
                }
            }
        }
        guard let best, let registered = devices[device],
            let appearance = registered.appearance(line).flatMap({ hasRoom($0, on: registered) ? $0 : nil })
                ?? registered.profile.lines.first(where: { hasRoom($0, on: registered) })
        else {
            emit(.notify(device, .noCallForPickup))
            return false
        }
        // Offer the call to the picking phone, then answer it there: the answer withdraws it everywhere else.
        calls[best.call]?.hunt = nil
        calls[best.call]?.draft.redirect = CallRedirect(.pickup, by: best.ringing)
        calls[best.call]?.draft.reached(appearance.number)
        let reference = allocateCallReference()
        let leg = Leg(
            reference: reference,
            call: best.call,
            endpoint: .phone(device, line: appearance.instance),
            party: Party(name: appearance.displayName, number: appearance.number),
            state: .ringingIn(callWaiting: true)
        )
        insertLeg(leg)
        devices[device]?.legs.append(reference)
        calls[best.call]?.offered.append(reference)
        if let caller = calls[best.call]?.parties.first.flatMap({ legs[$0] }) {
            indicate(leg, .ringIn(caller: caller.party, isCallWaiting: true))
        }
        answer(reference)
        return true
    }
}
