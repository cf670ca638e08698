/// Routing a complete number: to a line (every registered device that carries it, following the line's forwards), a
/// hunt pilot, a park slot, or a pickup group after GPickUp.
extension CallControlCore {
    mutating func route(_ reference: CallReference, target: RouteTarget) {
        guard let caller = legs[reference], case .dialing(let digits) = caller.state else { return }
        if caller.dialPurpose == .groupPickup, case .directoryNumber(let group) = target {
            groupPickUpDialed(reference, group: group)
            return
        }
        numberComplete(reference, digits)
        indicate(caller, .proceeding(dialed: digits))
        switch target {
        case .blocked:
            fail(reference, .blocked)
        case .directoryNumber(let number):
            calls[caller.call]?.draft.reached(number)
            deliver(caller.call, to: number, applyingForwards: true)
        case .trunk(let trunkRoute):
            let pattern = directory.analyzeWithPattern(digits, end: .endOfDialing).pattern
            let number = pattern?.outboundNumber(for: digits) ?? trunkRoute.prefix + digits
            offerToTrunk(caller.call, route: trunkRoute, number: number)
        }
    }

    /// Sends the call of `callID` (its first party waiting) to what `number` reaches.
    mutating func deliver(_ callID: CallID, to number: DirectoryNumber, applyingForwards: Bool) {
        guard let caller = calls[callID]?.parties.first else { return }
        switch directory.dialTarget(number) {
        case .line(let line):
            offerToLine(callID, number: line, applyingForwards: applyingForwards)
        case .huntPilot(let group):
            startHunt(callID, group: group)
        case .parkSlot(let slot):
            retrieveParked(slot, by: caller)
        case .meetMe(let room):
            joinMeetMe(room, by: caller)
        case nil:
            // A translation or forward to a number no device carries.
            if applyingForwards, let target = directory.lineConfiguration(for: number).forwardAll,
                forward(callID, from: number, to: target, reason: .forwardAll)
            {
                return
            }
            fail(caller, .invalidNumber)
        }
    }

    /// Devices that could ring for a call to `number` from `callerDevice`, with the appearance they would ring on.
    enum LineAvailability {
        /// No device carries the number.
        case noDevice
        /// No device that carries it is registered.
        case unregistered
        /// Every registered device is busy, in do-not-disturb with calls rejected, or is the caller itself.
        case busy
        case available([(DeviceName, LineAppearance)])
    }

    /// - Parameter skippingDoNotDisturb: leave out devices in do-not-disturb whatever the DND mode (hunting does).
    func availability(
        of number: DirectoryNumber,
        callerDevice: DeviceName?,
        skippingDoNotDisturb: Bool = false
    ) -> LineAvailability {
        let carriers = directory.devices(carrying: number)
        guard !carriers.isEmpty else { return .noDevice }
        let configuration = directory.lineConfiguration(for: number)
        let busyTrigger = min(configuration.busyTrigger, configuration.maxCalls)
        let rejectsInDoNotDisturb = skippingDoNotDisturb || directory.settings.doNotDisturbMode == .reject
        var registered = false
        var available: [(DeviceName, LineAppearance)] = []
        for name in carriers {
            guard let device = devices[name],
                let appearance = device.profile.lines.first(where: { $0.number == number })
            else { continue }
            registered = true
            // A device calling one of its own lines would make one answer clear the other leg: never offer it.
            guard name != callerDevice else { continue }
            guard !(device.doNotDisturb && rejectsInDoNotDisturb) else { continue }
            guard callCount(on: appearance.instance, of: device) < busyTrigger else { continue }
            available.append((name, appearance))
        }
        if !available.isEmpty { return .available(available) }
        return registered ? .busy : .unregistered
    }

    /// Offers the call to every registered device carrying `number`, following the line's forwards (unless
    /// `applyingForwards` is false: a hunt ignores its members' forwards): Forward All before anything else, Forward
    /// Busy instead of busy tone, and Forward No Answer once the call has rung for the line's no-answer timeout.
    mutating func offerToLine(_ callID: CallID, number: DirectoryNumber, applyingForwards: Bool) {
        let configuration = directory.lineConfiguration(for: number)
        if applyingForwards, let target = configuration.forwardAll,
            forward(callID, from: number, to: target, reason: .forwardAll)
        {
            return
        }
        guard let call = calls[callID], let caller = call.parties.first, let callerLeg = legs[caller] else { return }
        switch availability(of: number, callerDevice: callerLeg.device) {
        case .noDevice:
            fail(caller, .invalidNumber)
        case .unregistered:
            fail(caller, .unavailable)
        case .busy:
            if applyingForwards, let target = configuration.forwardBusy,
                forward(callID, from: number, to: target, reason: .forwardBusy)
            {
                return
            }
            fail(caller, .busy)
        case .available(let targets):
            offer(callID, to: targets)
            if applyingForwards, let target = configuration.forwardNoAnswer,
                forwardDecision(callID, from: number, to: target) != nil
            {
                startTimer(for: caller, .noAnswer, after: configuration.noAnswerTimeout)
            }
        }
    }

    // MARK: - Call forwarding

    /// CUCM's "Max Forward Hops to DN": a call is forwarded at most this many times.
    static let maximumForwardHops = 12

    /// What a forward does with the call.
    enum RouteDecision: Hashable {
        case deliver(DirectoryNumber)
        /// Out through a trunk, with the digits to send.
        case trunk(TrunkRoute, number: String)
        case fail(CallFailure)
    }

    /// Where a forward from `number` to `target` would send the call, or nil when it must not be forwarded: the
    /// target leads back to a number the call was already forwarded from (a loop), or the hop limit is reached.
    func forwardDecision(_ callID: CallID, from number: DirectoryNumber, to target: String) -> RouteDecision? {
        guard let draft = calls[callID]?.draft, draft.forwardedFrom.count < Self.maximumForwardHops else {
            return nil
        }
        let digits = target.hasSuffix("#") ? String(target.dropLast()) : target
        switch directory.analyze(digits, end: .endOfDialing) {
        case .route(.directoryNumber(let next)):
            guard next != number, !draft.forwardedFrom.contains(next) else { return nil }
            return .deliver(next)
        case .route(.blocked):
            return .fail(.blocked)
        case .route(.trunk(let route)):
            let pattern = directory.analyzeWithPattern(digits, end: .endOfDialing).pattern
            return .trunk(route, number: pattern?.outboundNumber(for: digits) ?? route.prefix + digits)
        case .noMatch, .wait:
            return .fail(.invalidNumber)
        }
    }

    /// Sends the call on from `number` to the forward `target`; false (nothing done) when it must not be forwarded.
    /// A target that is blocked or dials nothing fails the call as dialling it would.
    mutating func forward(
        _ callID: CallID,
        from number: DirectoryNumber,
        to target: String,
        reason: RedirectReason
    ) -> Bool {
        guard let decision = forwardDecision(callID, from: number, to: target),
            let caller = calls[callID]?.parties.first
        else { return false }
        calls[callID]?.draft.forwardedFrom.append(number)
        calls[callID]?.draft.redirect = CallRedirect(reason, by: number)
        switch decision {
        case .deliver(let next):
            calls[callID]?.draft.reached(next)
            deliver(callID, to: next, applyingForwards: true)
        case .trunk(let route, let outbound):
            offerToTrunk(callID, route: route, number: outbound)
        case .fail(let failure):
            fail(caller, failure)
        }
        return true
    }

    /// The no-answer timer of a ringing call expired: withdraw the offer and forward the call.
    mutating func noAnswerTimeout(_ caller: CallReference) {
        guard let leg = legs[caller], leg.state == .ringingOut, let call = calls[leg.call],
            let number = call.draft.calledNumber,
            let target = directory.lineConfiguration(for: number).forwardNoAnswer,
            forwardDecision(call.id, from: number, to: target) != nil
        else { return }
        withdrawOffer(call.id)
        calls[call.id]?.draft.calledDevice = nil
        calls[call.id]?.draft.calledReference = nil
        _ = forward(call.id, from: number, to: target, reason: .forwardNoAnswer)
    }
}
