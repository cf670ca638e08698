/// What presence needs from the core: line states per directory number and devices' registration.
///
/// Line states are derived, not tracked at each state change: every place that creates, changes or removes a leg
/// marks the leg's number (``insertLeg(_:)``, ``removeLeg(_:)``, ``indicate(_:_:)``), and after the event the core
/// recomputes each marked number from its live legs and reports those whose state differs from the last report. A
/// new feature that changes legs only has to show the change to the user (which it must anyway) to stay correct.
///
/// Cost: O(legs on the number) per marked number, a handful; nothing for numbers an event did not touch.
extension CallControlCore {
    /// Adds a new leg to the leg table and to its number's legs.
    /// A trunk leg's party number is the far end's, not one of ours: it has no line state.
    mutating func insertLeg(_ leg: Leg) {
        legs[leg.reference] = leg
        guard leg.trunk == nil else { return }
        numberLegs[leg.party.number, default: []].append(leg.reference)
        touchLineState(of: leg.party.number)
    }

    /// Removes a leg from the leg table and from its number's legs.
    mutating func removeLeg(_ reference: CallReference) {
        guard let leg = legs.removeValue(forKey: reference) else { return }
        guard leg.trunk == nil else { return }
        let number = leg.party.number
        if var references = numberLegs[number] {
            references.removeAll { $0 == reference }
            numberLegs[number] = references.isEmpty ? nil : references
        }
        touchLineState(of: number)
    }

    /// Marks `number` for a line-state check at the end of the event.
    mutating func touchLineState(of number: DirectoryNumber) {
        guard touchedNumberSet.insert(number).inserted else { return }
        touchedNumbers.append(number)
    }

    /// Emits ``CallCommand/lineStateChanged(_:_:)`` for every touched number whose state changed, in the order the
    /// numbers were first touched (deterministic, unlike iterating a set).
    mutating func reportLineStates() {
        guard !touchedNumbers.isEmpty else { return }
        for number in touchedNumbers {
            var state = LineState.idle
            for reference in numberLegs[number] ?? [] {
                if let leg = legs[reference] { state = max(state, leg.lineState) }
            }
            guard state != (lineStates[number] ?? .idle) else { continue }
            lineStates[number] = state == .idle ? nil : state
            if state == .idle { idleSince[number] = now }
            emit(.lineStateChanged(number, state))
        }
        touchedNumbers.removeAll(keepingCapacity: true)
        touchedNumberSet.removeAll(keepingCapacity: true)
    }

    /// New capabilities from a registered device: kept for codec choice, and reported to presence if they changed.
    mutating func capabilitiesChanged(_ name: DeviceName, _ capabilities: DeviceCapabilities) {
        guard let device = devices[name], device.capabilities != capabilities else { return }
        devices[name]?.capabilities = capabilities
        emit(.deviceStatusChanged(name, .registered(device.profile, capabilities)))
    }
}

extension CallControlCore.Leg {
    /// What this leg contributes to its number's ``LineState``.
    var lineState: LineState {
        switch state {
        case .ringingIn: .ringing
        case .connected: isHeld ? .held : .inUse
        case .dialing, .failed, .ringingOut: .inUse
        // The winner's own leg shows the number in use; its shadows add nothing.
        case .inUseRemote: .idle
        }
    }
}
