/// What a device does: lifting the handset, keys, line and softkey buttons. Each routes to the feature it concerns.
extension CallControlCore {
    // MARK: - Lookups

    /// The leg the user is busy with on `device` (dialling, failed, ringing out, or connected and not held).
    func activeLeg(of device: DeviceName) -> CallReference? {
        devices[device]?.legs.first { legs[$0]?.isActive == true }
    }

    /// A ringing leg on `device`: on `line` if one rings there, else the oldest.
    func ringingLeg(of device: DeviceName, preferring line: LineInstance? = nil) -> CallReference? {
        guard let references = devices[device]?.legs else { return nil }
        let ringing = references.filter { legs[$0]?.isRinging == true }
        if let line, let onLine = ringing.first(where: { legs[$0]?.line == line }) { return onLine }
        return ringing.first
    }

    /// `call` if it is a leg of `device`.
    func leg(_ call: CallReference?, of device: DeviceName) -> Leg? {
        guard let call, let leg = legs[call], leg.device == device else { return nil }
        return leg
    }

    /// Calls on `line` of `device` that count against its limits (shadows of calls answered elsewhere do not).
    func callCount(on line: LineInstance, of device: RegisteredDevice) -> Int {
        device.legs.reduce(0) { count, reference in
            guard let leg = legs[reference], leg.line == line, leg.state != .inUseRemote else { return count }
            return count + 1
        }
    }

    /// Whether another call fits on `appearance` (below the line's maximum number of calls).
    func hasRoom(_ appearance: LineAppearance, on device: RegisteredDevice) -> Bool {
        callCount(on: appearance.instance, of: device) < directory.lineConfiguration(for: appearance.number).maxCalls
    }

    /// The line a new outgoing call would use: `requested` if it exists and has room, else (with no request) the
    /// first line with room, as a phone's primary line is used first.
    func outgoingLine(of name: DeviceName, requested: LineInstance?) -> LineAppearance? {
        guard let device = devices[name] else { return nil }
        if let requested {
            return device.appearance(requested).flatMap { hasRoom($0, on: device) ? $0 : nil }
        }
        return device.profile.lines.first { hasRoom($0, on: device) }
    }

    /// The other party of a connected leg.
    func conversationPeer(of reference: CallReference) -> CallReference? {
        guard let leg = legs[reference], leg.state == .connected else { return nil }
        return calls[leg.call]?.peer(of: reference)
    }

    // MARK: - Device actions

    mutating func offHook(_ device: DeviceName, line: LineInstance?, call: CallReference?) {
        guard devices[device] != nil else { return }
        if let leg = leg(call, of: device), leg.isRinging {
            answer(leg.reference)
            return
        }
        guard activeLeg(of: device) == nil else { return }
        if let ringing = ringingLeg(of: device, preferring: line) {
            answer(ringing)
            return
        }
        startOutgoing(device, line: line)
    }

    mutating func onHook(_ device: DeviceName) {
        guard let active = activeLeg(of: device), let leg = legs[active] else { return }
        if let transfer = leg.transfer {
            let action = transfer.consultationHungUp(
                consultationPhase(of: leg),
                transferOnHook: directory.settings.transferOnHook
            )
            carryOut(action, consultation: active, transfer: transfer)
            return
        }
        release(active, reason: .hangUp)
    }

    mutating func digit(_ device: DeviceName, line: LineInstance?, call: CallReference?, key: Character) {
        guard devices[device] != nil else { return }
        let target: CallReference?
        if let leg = leg(call, of: device), case .dialing = leg.state {
            target = leg.reference
        } else if let active = activeLeg(of: device) {
            guard case .dialing = legs[active]?.state else {
                // DTMF in a conversation (out of band to a trunk if need be), or a key in a failed call.
                relayDigit(active, key: key)
                return
            }
            target = active
        } else {
            target = startOutgoing(device, line: line)
        }
        guard let target else { return }
        collect(key, on: target)
    }

    mutating func lineButton(_ device: DeviceName, line: LineInstance) {
        guard let registered = devices[device], registered.appearance(line) != nil else { return }
        if let ringing = registered.legs.first(where: { legs[$0]?.isRinging == true && legs[$0]?.line == line }) {
            answer(ringing)
            return
        }
        if let active = activeLeg(of: device), let leg = legs[active] {
            switch leg.state {
            case .dialing, .failed:
                guard leg.line != line, outgoingLine(of: device, requested: line) != nil else { return }
                release(active, reason: .hangUp, refreshOwnDevice: false)
            case .connected:
                guard outgoingLine(of: device, requested: line) != nil else { return }
                hold(active, refreshRinging: false)
            case .ringingOut, .ringingIn, .inUseRemote:
                return
            }
        }
        startOutgoing(device, line: line)
    }

    mutating func softKey(_ device: DeviceName, key: SoftKey, line: LineInstance?, call: CallReference?) {
        guard devices[device] != nil else { return }
        // A softkey names its call when the device says which; the call must then be in a state the key applies to.
        // Without a (known) call the key applies to the obvious one.
        let named = leg(call, of: device)
        switch key {
        case .newCall:
            if let active = activeLeg(of: device) {
                guard legs[active]?.state == .connected, outgoingLine(of: device, requested: line) != nil else {
                    return
                }
                hold(active, refreshRinging: false)
            }
            startOutgoing(device, line: line)
        case .redial:
            guard let number = lastDialed[device] else { return }
            dialComplete(device, line: line, number: number)
        case .endCall:
            guard let target = named?.reference ?? activeLeg(of: device), let leg = legs[target], !leg.isRinging,
                leg.state != .inUseRemote
            else { return }
            // On a consultation this ends the consultation only: the held call stays held.
            release(target, reason: .hangUp)
        case .answer:
            guard let target = named?.reference ?? ringingLeg(of: device, preferring: line) else { return }
            answer(target)
        case .hold:
            guard let target = named?.reference ?? activeLeg(of: device) else { return }
            hold(target)
        case .resume:
            guard
                let target = named?.reference
                    ?? devices[device]?.legs.first(where: { legs[$0]?.isHeld == true })
            else { return }
            resume(target)
        case .backSpace:
            guard let target = named?.reference ?? activeLeg(of: device) else { return }
            backSpace(target)
        case .transfer:
            transferPressed(device, named: named?.reference)
        case .directTransfer:
            directTransfer(device, named: named?.reference)
        case .park:
            park(device, named: named?.reference)
        case .pickUp:
            pickUp(device, line: line ?? named?.line)
        case .groupPickUp:
            groupPickUp(device, line: line ?? named?.line)
        case .doNotDisturb:
            toggleDoNotDisturb(device)
        case .conference:
            conferencePressed(device, named: named?.reference)
        case .join:
            joinPressed(device, named: named?.reference)
        case .removeLastParticipant:
            removeLastParticipant(device, named: named?.reference)
        case .conferenceList:
            conferenceList(device, named: named?.reference)
        }
    }
}
