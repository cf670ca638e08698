/// SIP trunks as endpoints of calls: a call arriving on a trunk is a leg that dials its called number at once; a call
/// routed to a trunk is offered to a new trunk leg, which the far end answers. Everything else (hold, transfer, park,
/// records) treats a trunk leg like a phone's.
extension CallControlCore {
    // MARK: - Attaching

    mutating func trunkAttached(_ trunk: TrunkName, isUp: Bool) {
        trunks[trunk] = isUp
    }

    mutating func trunkStatusChanged(_ trunk: TrunkName, isUp: Bool) {
        guard trunks[trunk] != nil else { return }
        trunks[trunk] = isUp
    }

    /// The trunk's session is gone: every call on it ends, as a phone's calls do when it unregisters. Nothing more is
    /// said to the trunk (it is removed first).
    mutating func trunkDetached(_ trunk: TrunkName) {
        guard trunks.removeValue(forKey: trunk) != nil else { return }
        let onTrunk = legs.values.filter { $0.trunk == trunk }.map(\.reference).sorted()
        for reference in onTrunk {
            release(reference, reason: .deviceLost)
        }
    }

    // MARK: - Inbound

    /// A call arrived on a trunk: a new leg, in a call of its own, dials `called` as a complete number (or, if that
    /// reaches nothing, the trunk's default number).
    mutating func trunkCallArrived(
        _ trunk: TrunkName,
        token: UInt64,
        caller: Party,
        called: String,
        codecs: [Codec],
        defaultNumber: String?
    ) {
        guard trunks[trunk] != nil else { return }
        let reference = allocateCallReference()
        let callID = allocateCallID()
        var leg = Leg(reference: reference, call: callID, endpoint: .trunk(trunk), party: caller, state: .dialing(""))
        leg.codecs = codecs
        calls[callID] = Call(id: callID, parties: [reference], draft: CallDraft(setupTime: now, calling: leg))
        insertLeg(leg)
        emit(.trunk(trunk, call: reference, .bound(token: token)))

        var number = Self.dialable(called)
        if let defaultNumber, case .noMatch = directory.analyze(number, end: .endOfDialing) {
            number = Self.dialable(defaultNumber)
        }
        legs[reference]?.state = .dialing(number)
        guard !number.isEmpty, number.count <= Self.maximumDialedDigits else {
            numberComplete(reference, number)
            fail(reference, .invalidNumber)
            return
        }
        finishDialing(reference, end: .endOfDialing)
    }

    /// The keys of `number` the dial plan understands, canonical (a trunk may send `+`, `*`, `#` …); anything else
    /// is dropped.
    static func dialable(_ number: String) -> String {
        var digits = ""
        for key in number where key != "#" {
            if let canonical = DialAlphabet.canonical(key) { digits.append(canonical) }
        }
        return digits
    }

    // MARK: - Outbound

    /// How long a call routed to a trunk waits for the calling phone to open its receive channel before it is placed
    /// without an offer. A phone answers OpenReceiveChannel in milliseconds; one that has not in a second is not going
    /// to soon, and the call must not wait on it.
    static let earlyOfferWait: Duration = .seconds(1)

    /// Routes the caller's call to `route`'s trunk with its digit manipulation applied to `dialed`. A phone caller's
    /// receive channel is opened first, so that the INVITE can offer its address (an early offer, as CUCM places
    /// calls from SCCP phones: the far end can then answer in a 183 and play early media); the call is placed when the
    /// phone acknowledges, or after ``earlyOfferWait`` without an offer.
    mutating func offerToTrunk(_ callID: CallID, route: TrunkRoute, number: String) {
        guard let callerReference = calls[callID]?.parties.first, let caller = legs[callerReference] else { return }
        let trunk = TrunkName(route.trunk)
        guard trunks[trunk] == true else {
            fail(callerReference, .unavailable)
            return
        }
        let reference = allocateCallReference()
        let leg = Leg(
            reference: reference,
            call: callID,
            endpoint: .trunk(trunk),
            party: Party(name: "", number: DirectoryNumber(number)),
            state: .ringingIn(callWaiting: false)
        )
        insertLeg(leg)
        calls[callID]?.offered.append(reference)
        calls[callID]?.draft.trunk = trunk
        calls[callID]?.draft.calledReference = reference
        calls[callID]?.draft.calledNumber = DirectoryNumber(number)
        legs[callerReference]?.state = .ringingOut
        guard case .phone = caller.endpoint, isReachable(caller) else {
            emit(.trunk(trunk, call: reference, .place(caller: caller.party, called: number)))
            return
        }
        legs[reference]?.earlyOffer = .awaitingPhone
        stopMedia(callerReference)
        openStream(callerReference, earlyOfferParameters(for: caller))
        startTimer(for: reference, .earlyOffer, after: Self.earlyOfferWait)
    }

    /// The codec a phone's receive channel is opened with for an early offer: the first G.711 law of the phone's (a
    /// trunk speaks G.711 only, docs/sip.md), at the configured packet time.
    func earlyOfferParameters(for caller: Leg) -> MediaParameters {
        let codec = Codec.negotiate(codecs(of: caller), Self.trunkCodecs)
        return MediaParameters(codec: codec, packetMilliseconds: directory.settings.packetMilliseconds)
    }

    /// The codecs a trunk call can use (TrunkCallMedia in SIPSession speaks G.711 only).
    static let trunkCodecs: [Codec] = [.g711ulaw, .g711alaw]

    /// The trunk leg of `callID` that is being placed with, or was placed with, an early offer, while it rings.
    func earlyOfferLeg(of callID: CallID) -> Leg? {
        guard let offered = calls[callID]?.offered, offered.count == 1, let leg = legs[offered[0]], leg.isRinging,
            leg.earlyOffer != .none
        else { return nil }
        return leg
    }

    /// The caller of a ringing trunk leg placed with an early offer, while it still has the stream the offer
    /// described (a transfer while the far end rings puts another party there, which has none).
    func earlyMediaCaller(of trunkLeg: Leg) -> Leg? {
        guard trunkLeg.earlyOffer == .offered, trunkLeg.isRinging, trunkLeg.stream != nil,
            let callerReference = calls[trunkLeg.call]?.parties.first, let caller = legs[callerReference],
            caller.state == .ringingOut, caller.stream != nil
        else { return nil }
        return caller
    }

    /// The calling phone acknowledged its receive channel at `endpoint`: the call goes out with it in its offer.
    /// The trunk leg gets its stream at once, with the phone's parameters (as if opened and started).
    mutating func placeWithEarlyOffer(_ reference: CallReference, caller: Leg, endpoint: MediaEndpoint) {
        guard let leg = legs[reference], let trunk = leg.trunk, leg.earlyOffer == .awaitingPhone,
            let parameters = caller.stream?.parameters
        else { return }
        cancelTimer(of: reference)
        legs[reference]?.earlyOffer = .offered
        let id = allocatePassThroughPartyID()
        legs[reference]?.stream = MediaStream(id: id, parameters: parameters)
        streams[id] = reference
        calls[leg.call]?.draft.codec = parameters.codec
        // The phone's other G.711 law (any, when its capabilities are not known yet: every SCCP phone has both).
        let known = codecs(of: caller)
        let alternatives = Self.trunkCodecs.filter { $0 != parameters.codec && (known.isEmpty || known.contains($0)) }
        let offer = TrunkOffer(endpoint: endpoint, media: parameters, alternatives: alternatives)
        emit(
            .trunk(
                trunk,
                call: reference,
                .place(caller: caller.party, called: leg.party.number.rawValue, offer: offer)
            )
        )
    }

    /// The calling phone did not open its receive channel in time: the call goes out without an offer, and the
    /// channel is closed (media starts at the answer, as for a delayed offer).
    mutating func earlyOfferTimedOut(_ reference: CallReference) {
        guard let leg = legs[reference], let trunk = leg.trunk, leg.earlyOffer == .awaitingPhone, leg.isRinging,
            let caller = calls[leg.call]?.parties.first.flatMap({ legs[$0] })
        else { return }
        legs[reference]?.earlyOffer = .none
        stopMedia(caller.reference)
        emit(.trunk(trunk, call: reference, .place(caller: caller.party, called: leg.party.number.rawValue)))
    }

    /// The far end rings: the caller hears ring-back, or the far end's early media when it already answered the early
    /// offer.
    mutating func trunkCallAlerting(_ trunk: TrunkName, call reference: CallReference) {
        guard let leg = legs[reference], leg.trunk == trunk, leg.isRinging,
            let caller = calls[leg.call]?.parties.first.flatMap({ legs[$0] }), caller.state == .ringingOut
        else { return }
        legs[reference]?.farEndAlerted = true
        if earlyMediaCaller(of: leg) != nil, leg.stream?.receiveEndpoint != nil {
            indicate(caller, .earlyMedia(callee: leg.party))
        } else {
            indicate(caller, .ringOut(callee: leg.party))
        }
    }

    /// The far end answered. A call placed with an early offer keeps the media it has (the phone already sends to
    /// the far end's answer); any other starts media as a call between phones does.
    mutating func trunkCallAnswered(_ trunk: TrunkName, call reference: CallReference) {
        guard let leg = legs[reference], leg.trunk == trunk, leg.isRinging else { return }
        answer(reference)
    }

    /// The far end ended the call, or refused it before answering: a refusal fails the call for the caller with the
    /// matching tone; an end after the answer is a hang-up.
    mutating func trunkCallEnded(
        _ trunk: TrunkName,
        call reference: CallReference,
        cause: TrunkEndCause,
        sipStatus: Int?
    ) {
        guard let leg = legs[reference], leg.trunk == trunk, let call = calls[leg.call] else { return }
        calls[call.id]?.draft.sipStatus = sipStatus
        if leg.isRinging, let caller = call.parties.first, call.offered == [reference] {
            // The far end refused the call we placed: the caller hears why (its early media, if any, stops).
            calls[call.id]?.offered = []
            cancelTimer(of: reference)
            forgetLeg(reference)
            stopMedia(caller)
            calls[call.id]?.draft.calledReference = nil
            let failure: CallFailure
            switch cause {
            case .busy: failure = .busy
            case .invalidNumber: failure = .invalidNumber
            case .normal, .unavailable, .rejected: failure = .unavailable
            }
            fail(caller, failure)
            return
        }
        // The far end hung up (its session ignores the `cleared` it is sent for a dialog that is over).
        release(reference, reason: .hangUp)
    }

    /// The far end held or resumed: as if its user pressed Hold or Resume.
    mutating func trunkHoldChanged(_ trunk: TrunkName, call reference: CallReference, isHeld: Bool) {
        guard let leg = legs[reference], leg.trunk == trunk else { return }
        // The far end's own system plays its callers music: no music from here.
        if isHeld { hold(reference, playMusic: false) } else { resume(reference) }
    }
}
