/// Dialling: opening an outgoing leg, collecting keys, en bloc numbers, backspace, and deciding when a number is
/// complete.
extension CallControlCore {
    /// The longest number the core collects. Longer input (a stuck key, a hostile device) is an invalid number; 32
    /// keys is more than any DN field of the protocol carries (25 bytes at SCCP v18).
    static let maximumDialedDigits = 32

    /// Opens a new outgoing leg, in a call of its own, in the dialling state on `line` (else the first line with
    /// room) and starts the off-hook timer. The caller must have dealt with any active leg. Returns nil if no line
    /// has room.
    @discardableResult
    mutating func startOutgoing(
        _ name: DeviceName,
        line requested: LineInstance?,
        purpose: DialPurpose = .call
    ) -> CallReference? {
        guard let appearance = outgoingLine(of: name, requested: requested) else { return nil }

        let reference = allocateCallReference()
        let callID = allocateCallID()
        var leg = Leg(
            reference: reference,
            call: callID,
            endpoint: .phone(name, line: appearance.instance),
            party: Party(name: appearance.displayName, number: appearance.number),
            state: .dialing("")
        )
        leg.dialPurpose = purpose
        calls[callID] = Call(id: callID, parties: [reference], draft: CallDraft(setupTime: now, calling: leg))
        insertLeg(leg)
        devices[name]?.legs.append(reference)
        indicate(leg, .offHook)
        startTimer(for: reference, .offHook, after: directory.settings.offHookTimeout)
        return reference
    }

    /// A complete number from EnblocCall, Redial or a speed dial: uses the dialling leg if there is one, otherwise
    /// goes off-hook (holding a connected call first).
    mutating func dialComplete(_ device: DeviceName, line: LineInstance?, number: String) {
        guard devices[device] != nil else { return }
        let target: CallReference?
        if let active = activeLeg(of: device), let leg = legs[active] {
            switch leg.state {
            case .dialing:
                target = active
            case .connected:
                guard outgoingLine(of: device, requested: line) != nil else { return }
                hold(active, refreshRinging: false)
                target = startOutgoing(device, line: line)
            case .failed, .ringingOut, .ringingIn, .inUseRemote:
                return
            }
        } else {
            target = startOutgoing(device, line: line)
        }
        guard let target else { return }
        // An optional trailing `#` ends the number; anything undialable or too long makes it invalid.
        var keys = Substring(number)
        if keys.last == "#" { keys = keys.dropLast() }
        var digits = ""
        var count = 0
        var valid = !keys.isEmpty
        for key in keys {
            guard count < Self.maximumDialedDigits, let canonical = DialAlphabet.canonical(key) else {
                valid = false
                break
            }
            digits.append(canonical)
            count += 1
        }
        legs[target]?.state = .dialing(digits)
        if !valid {
            cancelTimer(of: target)
            numberComplete(target, digits)
            fail(target, .invalidNumber)
            return
        }
        finishDialing(target, end: .endOfDialing)
    }

    mutating func collect(_ key: Character, on reference: CallReference) {
        guard let leg = legs[reference], case .dialing(var digits) = leg.state else { return }
        if key == "#" {
            finishDialing(reference, end: .endOfDialing)
            return
        }
        guard let canonical = DialAlphabet.canonical(key) else { return }
        digits.append(canonical)
        legs[reference]?.state = .dialing(digits)
        indicate(leg, .digitsCollected(digits))
        if digits.count > Self.maximumDialedDigits {
            cancelTimer(of: reference)
            numberComplete(reference, digits)
            fail(reference, .invalidNumber)
            return
        }
        switch analyze(digits, for: leg.dialPurpose, end: .stillDialing) {
        case .route(let target):
            cancelTimer(of: reference)
            route(reference, target: target)
        case .noMatch:
            cancelTimer(of: reference)
            numberComplete(reference, digits)
            fail(reference, .invalidNumber)
        case .wait:
            startTimer(for: reference, .interdigit, after: directory.settings.interdigitTimeout)
        }
    }

    mutating func backSpace(_ reference: CallReference) {
        guard let leg = legs[reference], case .dialing(var digits) = leg.state, !digits.isEmpty else { return }
        digits.removeLast()
        legs[reference]?.state = .dialing(digits)
        indicate(leg, .digitRemoved(digits))
        if digits.isEmpty {
            startTimer(for: reference, .offHook, after: directory.settings.offHookTimeout)
        } else {
            startTimer(for: reference, .interdigit, after: directory.settings.interdigitTimeout)
        }
    }

    /// The number is complete (`#`, en bloc, or interdigit timeout): route the best match or reject it.
    mutating func finishDialing(_ reference: CallReference, end: DialingEnd) {
        guard let leg = legs[reference], case .dialing(let digits) = leg.state else { return }
        cancelTimer(of: reference)
        switch analyze(digits, for: leg.dialPurpose, end: end) {
        case .route(let target):
            route(reference, target: target)
        case .noMatch, .wait:
            numberComplete(reference, digits)
            fail(reference, .invalidNumber)
        }
    }

    /// Analyses `digits` as the leg's purpose needs: the dial plan for a call, the pickup group numbers after GPickUp.
    func analyze(_ digits: String, for purpose: DialPurpose, end: DialingEnd) -> DialAnalysis {
        switch purpose {
        case .call:
            return directory.analyze(digits, end: end)
        case .groupPickup:
            let exact = directory.pickupGroups[DirectoryNumber(digits)] != nil
            let longer = directory.pickupGroups.keys.contains {
                $0.rawValue.count > digits.count && $0.rawValue.hasPrefix(digits)
            }
            if exact && (!longer || end != .stillDialing) { return .route(.directoryNumber(DirectoryNumber(digits))) }
            if longer && end == .stillDialing { return .wait }
            return .noMatch
        }
    }

    /// Records a complete number: for Redial and for the call record. Group pickup numbers are neither.
    mutating func numberComplete(_ reference: CallReference, _ digits: String) {
        guard let leg = legs[reference], leg.dialPurpose == .call else { return }
        calls[leg.call]?.draft.dialedNumber = digits
        if let device = leg.device { lastDialed[device] = digits }
    }

    /// The call failed for the caller: show why and start the failed-call timer. A trunk caller whose call was not
    /// answered yet is refused in SIP (its far end plays the tone) and the call ends at once; one that was answered
    /// (transferred, then the target failed) hears the tone from the media server until the timer.
    mutating func fail(_ reference: CallReference, _ failure: CallFailure) {
        guard let leg = legs[reference] else { return }
        legs[reference]?.state = .failed(failure)
        indicate(leg, failure.indication)
        if leg.trunk != nil, legs[reference]?.tone == nil {
            // The far end was refused (a final response) or cannot be played the tone: nothing to wait for. A far end
            // that hears the tone from the media server hears it until the failed-call timer, as a phone does.
            release(reference, reason: .timeout)
            return
        }
        startTimer(for: reference, .failedCall, after: directory.settings.failedCallTimeout)
    }
}
