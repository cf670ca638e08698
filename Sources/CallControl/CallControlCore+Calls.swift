/// Call handling: going off-hook, dialling, routing, answering, hold, hang-up and timers.
extension CallControlCore {
    /// The longest number the core collects. Longer input (a stuck key, a hostile device) is an invalid number; 32
    /// keys is more than any DN field of the protocol carries (25 bytes at SCCP v18).
    static let maximumDialedDigits = 32

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

    func callCount(on line: LineInstance, of device: RegisteredDevice) -> Int {
        device.legs.reduce(0) { count, reference in legs[reference]?.line == line ? count + 1 : count }
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
        guard let active = activeLeg(of: device) else { return }
        release(active, reason: .hangUp)
    }

    mutating func digit(_ device: DeviceName, line: LineInstance?, call: CallReference?, key: Character) {
        guard devices[device] != nil else { return }
        let target: CallReference?
        if let leg = leg(call, of: device), case .dialing = leg.state {
            target = leg.reference
        } else if let active = activeLeg(of: device) {
            guard case .dialing = legs[active]?.state else { return }  // DTMF in a conversation, or a failed call
            target = active
        } else {
            target = startOutgoing(device, line: line)
        }
        guard let target else { return }
        collect(key, on: target)
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
            case .failed, .ringingOut, .ringingIn:
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
        if !valid {
            legs[target]?.state = .dialing(digits)
            cancelTimer(of: target)
            numberComplete(target, digits)
            fail(target, .invalidNumber)
            return
        }
        legs[target]?.state = .dialing(digits)
        finishDialing(target, end: .endOfDialing)
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
            case .ringingOut, .ringingIn:
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
                guard case .connected = legs[active]?.state, outgoingLine(of: device, requested: line) != nil else {
                    return
                }
                hold(active, refreshRinging: false)
            }
            startOutgoing(device, line: line)
        case .redial:
            guard let number = lastDialed[device] else { return }
            dialComplete(device, line: line, number: number)
        case .endCall:
            guard let target = named?.reference ?? activeLeg(of: device), legs[target]?.isRinging == false else {
                return
            }
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
        case .transfer, .directTransfer, .park, .pickUp, .groupPickUp, .doNotDisturb:
            break
        }
    }

    // MARK: - Dialling

    /// Opens a new outgoing leg in the dialling state on `line` (else the first line with room) and starts the
    /// off-hook timer. The caller must have dealt with any active leg. Returns nil if no line has room.
    @discardableResult
    mutating func startOutgoing(_ name: DeviceName, line requested: LineInstance?) -> CallReference? {
        guard let appearance = outgoingLine(of: name, requested: requested) else { return nil }

        let reference = allocateCallReference()
        let leg = Leg(
            reference: reference,
            device: name,
            line: appearance.instance,
            party: Party(name: appearance.displayName, number: appearance.number),
            state: .dialing(""),
            draft: CallDraft(setupTime: now)
        )
        insertLeg(leg)
        devices[name]?.legs.append(reference)
        callCount += 1
        indicate(leg, .offHook)
        startTimer(for: reference, .offHook, after: directory.settings.offHookTimeout)
        return reference
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
        switch directory.analyze(digits, end: .stillDialing) {
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
        guard case .dialing(let digits) = legs[reference]?.state else { return }
        cancelTimer(of: reference)
        switch directory.analyze(digits, end: end) {
        case .route(let target):
            route(reference, target: target)
        case .noMatch, .wait:
            numberComplete(reference, digits)
            fail(reference, .invalidNumber)
        }
    }

    /// Records a complete number: for Redial and for the call record.
    mutating func numberComplete(_ reference: CallReference, _ digits: String) {
        guard let leg = legs[reference] else { return }
        legs[reference]?.draft?.dialedNumber = digits
        lastDialed[leg.device] = digits
    }

    mutating func route(_ reference: CallReference, target: RouteTarget) {
        guard let caller = legs[reference], case .dialing(let digits) = caller.state else { return }
        numberComplete(reference, digits)
        indicate(caller, .proceeding(dialed: digits))
        switch target {
        case .blocked:
            fail(reference, .blocked)
        case .directoryNumber(let number):
            legs[reference]?.draft?.calledNumber = number
            ring(number, from: reference)
        }
    }

    /// Offers the call to the first registered device carrying `number`, following the line's forwards: Forward
    /// All before anything else, Forward Busy instead of busy tone, and Forward No Answer once the call has rung
    /// for the line's no-answer timeout.
    mutating func ring(_ number: DirectoryNumber, from reference: CallReference) {
        let configuration = directory.lineConfiguration(for: number)
        if let target = configuration.forwardAll, forward(reference, from: number, to: target) {
            return
        }
        let carriers = directory.devices(carrying: number)
        guard !carriers.isEmpty else {
            fail(reference, .invalidNumber)
            return
        }
        guard let caller = legs[reference] else { return }
        var found: (name: DeviceName, device: RegisteredDevice, appearance: LineAppearance)?
        for name in carriers {
            if let device = devices[name], let appearance = device.profile.lines.first(where: { $0.number == number }) {
                found = (name, device, appearance)
                break
            }
        }
        guard let (calleeName, callee, appearance) = found else {
            fail(reference, .unavailable)
            return
        }
        // A device calling itself would make one answer clear the other leg of the same call: refuse it.
        guard calleeName != caller.device else {
            fail(reference, .busy)
            return
        }
        guard callCount(on: appearance.instance, of: callee) < min(configuration.busyTrigger, configuration.maxCalls)
        else {
            if let target = configuration.forwardBusy, forward(reference, from: number, to: target) { return }
            fail(reference, .busy)
            return
        }

        let activeOnCallee = activeLeg(of: calleeName)
        let calleeReference = allocateCallReference()
        let calleeLeg = Leg(
            reference: calleeReference,
            device: calleeName,
            line: appearance.instance,
            party: Party(name: appearance.displayName, number: appearance.number),
            state: .ringingIn(peer: reference, callWaiting: activeOnCallee != nil)
        )
        insertLeg(calleeLeg)
        devices[calleeName]?.legs.append(calleeReference)
        legs[reference]?.state = .ringingOut(peer: calleeReference)
        legs[reference]?.draft?.calledDevice = calleeName
        legs[reference]?.draft?.calledReference = calleeReference

        indicate(caller, .ringOut(callee: calleeLeg.party))
        indicate(calleeLeg, .ringIn(caller: caller.party, isCallWaiting: activeOnCallee != nil))
        if let activeOnCallee, let active = legs[activeOnCallee] {
            indicate(active, .callWaiting(caller: caller.party))
        }
        if let target = configuration.forwardNoAnswer, forwardDecision(reference, from: number, to: target) != nil {
            startTimer(for: reference, .noAnswer, after: configuration.noAnswerTimeout)
        }
    }

    // MARK: - Call forwarding

    /// CUCM's "Max Forward Hops to DN": a call is forwarded at most this many times.
    static let maximumForwardHops = 12

    /// Where a forward from `number` to `target` would send the call, or nil when it must not be forwarded: the
    /// target leads back to a number the call was already forwarded from (a loop), or the hop limit is reached.
    func forwardDecision(
        _ reference: CallReference,
        from number: DirectoryNumber,
        to target: String
    ) -> RouteDecision? {
        guard let draft = legs[reference]?.draft, draft.forwardedFrom.count < Self.maximumForwardHops else {
            return nil
        }
        let digits = target.hasSuffix("#") ? String(target.dropLast()) : target
        switch directory.analyze(digits, end: .endOfDialing) {
        case .route(.directoryNumber(let next)):
            guard next != number, !draft.forwardedFrom.contains(next) else { return nil }
            return .ring(next)
        case .route(.blocked):
            return .fail(.blocked)
        case .noMatch, .wait:
            return .fail(.invalidNumber)
        }
    }

    /// Sends the caller's call on from `number` to the forward `target`; false (nothing done) when it must not be
    /// forwarded. A target that is blocked or dials nothing fails the call as dialling it would.
    mutating func forward(_ reference: CallReference, from number: DirectoryNumber, to target: String) -> Bool {
        guard let decision = forwardDecision(reference, from: number, to: target) else { return false }
        legs[reference]?.draft?.forwardedFrom.append(number)
        switch decision {
        case .ring(let next):
            legs[reference]?.draft?.calledNumber = next
            ring(next, from: reference)
        case .fail(let failure):
            fail(reference, failure)
        }
        return true
    }

    /// The no-answer timer of a ringing call expired: withdraw the offer from the callee and forward the call.
    mutating func noAnswerTimeout(_ reference: CallReference) {
        guard let caller = legs[reference], case .ringingOut(let peer) = caller.state,
            let number = caller.draft?.calledNumber,
            let target = directory.lineConfiguration(for: number).forwardNoAnswer,
            forwardDecision(reference, from: number, to: target) != nil
        else { return }
        if let callee = legs[peer] {
            cancelTimer(of: peer)
            indicate(callee, .cleared)
            legs[peer] = nil
            devices[callee.device]?.legs.removeAll { $0 == peer }
            refreshRinging(callee.device)
        }
        legs[reference]?.draft?.calledDevice = nil
        legs[reference]?.draft?.calledReference = nil
        _ = forward(reference, from: number, to: target)
    }

    /// What a forward does with the call.
    enum RouteDecision: Hashable {
        case ring(DirectoryNumber)
        case fail(CallFailure)
    }

    /// The call failed for the caller: show why and start the failed-call timer.
    mutating func fail(_ reference: CallReference, _ failure: CallFailure) {
        guard let leg = legs[reference] else { return }
        legs[reference]?.state = .failed(failure)
        indicate(leg, failure.indication)
        startTimer(for: reference, .failedCall, after: directory.settings.failedCallTimeout)
    }

    // MARK: - Answer, hold, resume

    /// Makes room on the device for `reference` to become active: holds a connected call, clears anything else.
    mutating func deactivateOthers(on device: DeviceName, except reference: CallReference) {
        guard let active = activeLeg(of: device), active != reference, let leg = legs[active] else { return }
        switch leg.state {
        case .connected:
            hold(active, refreshRinging: false)
        case .dialing, .failed, .ringingOut, .ringingIn:
            release(active, reason: .hangUp, refreshOwnDevice: false)
        }
    }

    mutating func answer(_ reference: CallReference) {
        guard let leg = legs[reference], case .ringingIn(let peer, _) = leg.state else { return }
        deactivateOthers(on: leg.device, except: reference)
        // Clearing another call cannot end this one (a device never calls itself), but check rather than assume.
        guard let callee = legs[reference], case .ringingIn = callee.state, let caller = legs[peer] else { return }
        legs[reference]?.state = .connected(peer: peer)
        legs[peer]?.state = .connected(peer: reference)
        legs[peer]?.draft?.answerTime = now
        cancelTimer(of: peer)  // the no-answer timer, if the line forwards on no answer
        indicate(callee, .connected(remote: caller.party))
        indicate(caller, .connected(remote: callee.party))
        startMedia(reference, peer)
    }

    /// Puts `reference` on hold. `refreshRinging` is false when another call becomes active at once, so that a
    /// waiting call does not start ringing for an instant.
    mutating func hold(_ reference: CallReference, refreshRinging refresh: Bool = true) {
        guard let leg = legs[reference], case .connected(let peer) = leg.state, !leg.isHeld else { return }
        legs[reference]?.isHeld = true
        stopMedia(reference)
        stopMedia(peer)
        indicate(leg, .hold)
        if let other = legs[peer], !other.isHeld { indicate(other, .remoteHold) }
        if refresh { refreshRinging(leg.device) }
    }

    mutating func resume(_ reference: CallReference) {
        guard let leg = legs[reference], case .connected(let peer) = leg.state, leg.isHeld else { return }
        deactivateOthers(on: leg.device, except: reference)
        guard let other = legs[peer] else { return }
        legs[reference]?.isHeld = false
        if other.isHeld {
            indicate(leg, .remoteHold)
        } else {
            indicate(leg, .connected(remote: other.party))
            indicate(other, .connected(remote: leg.party))
            startMedia(reference, peer)
        }
    }

    /// Calls that rang as call waiting ring normally once their device has no active call.
    mutating func refreshRinging(_ device: DeviceName) {
        guard let references = devices[device]?.legs, activeLeg(of: device) == nil else { return }
        for reference in references {
            guard let leg = legs[reference], case .ringingIn(let peer, true) = leg.state,
                let caller = legs[peer]
            else { continue }
            legs[reference]?.state = .ringingIn(peer: peer, callWaiting: false)
            indicate(leg, .ringIn(caller: caller.party, isCallWaiting: false))
        }
    }

    // MARK: - Release: the one cleanup path

    /// Ends the call `reference` belongs to: stops media and timers on both legs, tells both devices (unless gone),
    /// writes the call record and forgets both legs.
    /// `refreshOwnDevice` is false when another call of the same device becomes active at once.
    mutating func release(_ reference: CallReference, reason: ReleaseReason, refreshOwnDevice: Bool = true) {
        guard let leg = legs[reference] else { return }
        let peer = leg.state.peer.flatMap { legs[$0] }
        let involved = [leg] + (peer.map { [$0] } ?? [])

        for party in involved {
            stopMedia(party.reference)
            cancelTimer(of: party.reference)
        }
        for party in involved {
            indicate(party, .cleared)
        }
        if let caller = involved.first(where: \.isCaller), let draft = caller.draft,
            let dialed = draft.dialedNumber
        {
            let releasedBy: ReleasingParty
            switch reason {
            case .timeout: releasedBy = .system
            case .hangUp, .deviceLost: releasedBy = leg.isCaller ? .caller : .callee
            }
            let cause: CallEndCause
            if case .failed(let failure) = caller.state {
                cause = failure.endCause
            } else if reason == .deviceLost {
                cause = .deviceLost
            } else {
                cause = draft.answerTime == nil ? .abandoned : .normalClearing
            }
            emit(
                .callRecord(
                    CallRecord(
                        callingDevice: caller.device,
                        callingNumber: caller.party.number,
                        callingReference: caller.reference,
                        dialedNumber: dialed,
                        calledNumber: draft.calledNumber,
                        calledDevice: draft.calledDevice,
                        calledReference: draft.calledReference,
                        setupTime: draft.setupTime,
                        answerTime: draft.answerTime,
                        endTime: now,
                        endCause: cause,
                        releasedBy: releasedBy,
                        codec: draft.codec
                    )
                )
            )
        }
        for party in involved {
            removeLeg(party.reference)
            devices[party.device]?.legs.removeAll { $0 == party.reference }
            if party.isCaller { callCount -= 1 }
        }
        for party in involved where refreshOwnDevice || party.device != leg.device {
            refreshRinging(party.device)
        }
    }

    // MARK: - Media

    /// Opens a receive channel on both devices with the negotiated codec.
    mutating func startMedia(_ first: CallReference, _ second: CallReference) {
        guard let a = legs[first], let b = legs[second] else { return }
        let codec = Codec.negotiate(
            devices[a.device]?.capabilities.codecs ?? [],
            devices[b.device]?.capabilities.codecs ?? []
        )
        let parameters = MediaParameters(codec: codec, packetMilliseconds: directory.settings.packetMilliseconds)
        for leg in [a, b] {
            if leg.isCaller { legs[leg.reference]?.draft?.codec = codec }
            stopMedia(leg.reference)
            let id = allocatePassThroughPartyID()
            legs[leg.reference]?.stream = MediaStream(id: id, parameters: parameters)
            streams[id] = leg.reference
            if devices[leg.device] != nil {
                emit(.openReceiveChannel(leg.device, call: leg.reference, passThroughPartyID: id, media: parameters))
            }
        }
    }

    mutating func stopMedia(_ reference: CallReference) {
        guard let leg = legs[reference], let stream = leg.stream else { return }
        legs[reference]?.stream = nil
        streams[stream.id] = nil
        if devices[leg.device] != nil {
            emit(.closeMedia(leg.device, call: reference, passThroughPartyID: stream.id))
        }
    }

    /// A device listens at `endpoint`: tell the other device of the call to transmit there.
    mutating func receiveChannelOpened(
        _ device: DeviceName,
        call: CallReference?,
        passThroughPartyID: PassThroughPartyID,
        endpoint: MediaEndpoint
    ) {
        guard let reference = streams[passThroughPartyID], let leg = legs[reference], leg.device == device,
            call == nil || call == reference, let stream = leg.stream, stream.id == passThroughPartyID,
            stream.receiveEndpoint != endpoint
        else { return }
        legs[reference]?.stream?.receiveEndpoint = endpoint
        guard case .connected(let peer) = leg.state, let other = legs[peer], let otherStream = other.stream,
            devices[other.device] != nil
        else { return }
        emit(
            .startMediaTransmission(
                other.device,
                call: peer,
                passThroughPartyID: otherStream.id,
                remote: endpoint,
                media: otherStream.parameters
            )
        )
    }

    // MARK: - Timers

    mutating func timerFired(_ id: TimerID) {
        guard let reference = timers.removeValue(forKey: id), let leg = legs[reference], leg.timer == id else {
            return
        }
        legs[reference]?.timer = nil
        switch (id.purpose, leg.state) {
        case (.offHook, .dialing):
            fail(reference, .offHookTimeout)
        case (.interdigit, .dialing):
            finishDialing(reference, end: .interdigitTimeout)
        case (.failedCall, .failed):
            release(reference, reason: .timeout)
        case (.noAnswer, .ringingOut):
            noAnswerTimeout(reference)
        case (.offHook, _), (.interdigit, _), (.failedCall, _), (.noAnswer, _):
            // Every state change cancels or replaces the leg's timer, so this cannot happen; ignore rather than trap.
            break
        }
    }
}
