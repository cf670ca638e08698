/// Media between the two parties of a call: each side opens its receive channel (a phone acknowledges an open
/// receive channel; a trunk reports the far end's address from its SDP), and each is told to transmit to the other's
/// receive address once the other's is known (call-flows §4). Media runs directly between the two endpoints.
extension CallControlCore {
    /// The codecs a leg's endpoint can use: a phone's reported capabilities, a trunk call's far end's offer.
    func codecs(of leg: Leg) -> [Codec] {
        switch leg.endpoint {
        case .phone(let device, _): devices[device]?.capabilities.codecs ?? []
        case .trunk: leg.codecs
        }
    }

    /// Whether the leg's endpoint is still there to be told anything.
    func isReachable(_ leg: Leg) -> Bool {
        switch leg.endpoint {
        case .phone(let device, _): devices[device] != nil
        case .trunk(let trunk): trunks[trunk] != nil
        }
    }

    /// Opens a new stream for `reference` alone, with `parameters`: its endpoint's receive channel (the other end is a
    /// media resource, told when the receive address is known).
    mutating func openStream(_ reference: CallReference, _ parameters: MediaParameters) {
        guard let leg = legs[reference] else { return }
        let id = allocatePassThroughPartyID()
        legs[reference]?.stream = MediaStream(id: id, parameters: parameters)
        streams[id] = reference
        guard isReachable(leg) else { return }
        switch leg.endpoint {
        case .phone(let device, _):
            emit(.openReceiveChannel(device, call: reference, passThroughPartyID: id, media: parameters))
        case .trunk(let trunk):
            emit(.trunk(trunk, call: reference, .openMedia(parameters)))
        }
    }

    /// The G.711 law a media resource uses with `leg`: µ-law, unless its endpoint has A-law and not µ-law. The media
    /// server mixes and streams G.711 only.
    func resourceParameters(for leg: Leg) -> MediaParameters {
        let available = codecs(of: leg)
        let codec: Codec = available.contains(.g711alaw) && !available.contains(.g711ulaw) ? .g711alaw : .g711ulaw
        // The media server handles 20 ms packets only (docs/media.md), whatever the calls between phones use.
        return MediaParameters(codec: codec, packetMilliseconds: 20)
    }

    /// Opens a receive channel on both legs with the negotiated codec.
    mutating func startMedia(_ first: CallReference, _ second: CallReference) {
        guard let a = legs[first], let b = legs[second] else { return }
        let codec = Codec.negotiate(codecs(of: a), codecs(of: b))
        let parameters = MediaParameters(codec: codec, packetMilliseconds: directory.settings.packetMilliseconds)
        calls[a.call]?.draft.codec = codec
        for leg in [a, b] {
            stopMedia(leg.reference)
            let id = allocatePassThroughPartyID()
            legs[leg.reference]?.stream = MediaStream(id: id, parameters: parameters)
            streams[id] = leg.reference
            guard isReachable(leg) else { continue }
            switch leg.endpoint {
            case .phone(let device, _):
                emit(.openReceiveChannel(device, call: leg.reference, passThroughPartyID: id, media: parameters))
            case .trunk(let trunk):
                emit(.trunk(trunk, call: leg.reference, .openMedia(parameters)))
            }
        }
    }

    mutating func stopMedia(_ reference: CallReference) {
        guard let leg = legs[reference] else { return }
        if leg.onBridge != nil {
            legs[reference]?.onBridge = nil
            if mediaServerMaximumParticipants != nil { emit(.media(.removeParticipant(reference))) }
        }
        if leg.musicOnHold {
            legs[reference]?.musicOnHold = false
            if mediaServerMaximumParticipants != nil { emit(.media(.stopMusicOnHold(reference))) }
        }
        guard let stream = leg.stream else { return }
        legs[reference]?.stream = nil
        streams[stream.id] = nil
        guard isReachable(leg) else { return }
        switch leg.endpoint {
        case .phone(let device, _):
            emit(.closeMedia(device, call: reference, passThroughPartyID: stream.id))
        case .trunk(let trunk):
            emit(.trunk(trunk, call: reference, .closeMedia))
        }
    }

    /// A phone listens at `endpoint`: tell the other party of the call to transmit there.
    mutating func receiveChannelOpened(
        _ device: DeviceName,
        call: CallReference?,
        passThroughPartyID: PassThroughPartyID,
        endpoint: MediaEndpoint
    ) {
        guard let reference = streams[passThroughPartyID], let leg = legs[reference], leg.device == device,
            call == nil || call == reference, let stream = leg.stream, stream.id == passThroughPartyID
        else { return }
        receiveAddressKnown(reference, endpoint)
    }

    /// A trunk call's far end listens at `endpoint` (its SDP), with these codecs.
    mutating func trunkMediaAddress(
        _ trunk: TrunkName,
        call reference: CallReference,
        endpoint: MediaEndpoint,
        codecs: [Codec]
    ) {
        guard let leg = legs[reference], leg.trunk == trunk else { return }
        if !codecs.isEmpty { legs[reference]?.codecs = codecs }
        guard let stream = leg.stream else { return }
        if let caller = earlyMediaCaller(of: leg), !codecs.isEmpty, !codecs.contains(stream.parameters.codec),
            codecs.contains(Codec.negotiate(self.codecs(of: caller), codecs))
        {
            // The far end answered the early offer with the phone's other codec: both streams start again with it
            // (the phone's new address goes to the far end in a re-INVITE once the call is answered).
            startMedia(caller.reference, reference)
            legs[reference]?.earlyOffer = .offered
        }
        receiveAddressKnown(reference, endpoint)
    }

    /// `reference`'s endpoint receives at `endpoint`: the other party transmits there (again, if it moved), or the
    /// media server (a conference bridge, music on hold) does.
    private mutating func receiveAddressKnown(_ reference: CallReference, _ endpoint: MediaEndpoint) {
        guard let leg = legs[reference], let stream = leg.stream, stream.receiveEndpoint != endpoint else { return }
        legs[reference]?.stream?.receiveEndpoint = endpoint
        if leg.onBridge != nil {
            emit(.media(.setRemote(reference, endpoint)))
            // The bridge's port was known first: the phone may send now that the bridge knows where it sends from
            // (a trunk's far end was given the bridge's port when it was known).
            if case .phone = leg.endpoint, stream.receiveEndpoint == nil, let bridge = stream.resourceEndpoint {
                transmitToResource(reference, bridge)
            }
            return
        }
        if leg.musicOnHold {
            emit(
                .media(
                    .startMusicOnHold(
                        reference,
                        source: leg.musicSource,
                        codec: stream.parameters.codec,
                        remote: endpoint
                    )
                )
            )
            return
        }
        if leg.state == .ringingOut, let trunkLeg = earlyOfferLeg(of: leg.call) {
            earlyOfferEndpointKnown(caller: reference, trunkLeg: trunkLeg, endpoint)
            return
        }
        if leg.isRinging, let caller = earlyMediaCaller(of: leg) {
            earlyMediaStarts(trunkLeg: leg, caller: caller, endpoint)
            return
        }
        guard let peer = conversationPeer(of: reference), let other = legs[peer], let otherStream = other.stream,
            isReachable(other)
        else { return }
        switch other.endpoint {
        case .phone(let device, _):
            emit(
                .startMediaTransmission(
                    device,
                    call: peer,
                    passThroughPartyID: otherStream.id,
                    remote: endpoint,
                    media: otherStream.parameters
                )
            )
        case .trunk(let trunk):
            emit(.trunk(trunk, call: peer, .startMedia(remote: endpoint, otherStream.parameters)))
        }
    }

    /// The calling phone of a call routed to a trunk receives at `endpoint`: the call is placed with it in the
    /// offer, or (the phone's channel was reopened for the codec the far end answered) the trunk is told the new
    /// address.
    private mutating func earlyOfferEndpointKnown(caller: CallReference, trunkLeg: Leg, _ endpoint: MediaEndpoint) {
        guard let callerLeg = legs[caller], let trunk = trunkLeg.trunk else { return }
        switch trunkLeg.earlyOffer {
        case .awaitingPhone:
            placeWithEarlyOffer(trunkLeg.reference, caller: callerLeg, endpoint: endpoint)
        case .offered:
            guard let stream = trunkLeg.stream, callerLeg.stream != nil else { return }
            emit(.trunk(trunk, call: trunkLeg.reference, .startMedia(remote: endpoint, stream.parameters)))
        case .none:
            break
        }
    }

    /// The far end answered the early offer before answering the call (a 183 or 180 with SDP): the calling phone
    /// sends to it and hears what it sends (announcements, its own ring-back) instead of the local ring-back.
    private mutating func earlyMediaStarts(trunkLeg: Leg, caller: Leg, _ endpoint: MediaEndpoint) {
        guard let device = caller.device, let stream = caller.stream, isReachable(caller) else { return }
        emit(
            .startMediaTransmission(
                device,
                call: caller.reference,
                passThroughPartyID: stream.id,
                remote: endpoint,
                media: stream.parameters
            )
        )
        if trunkLeg.farEndAlerted { indicate(caller, .earlyMedia(callee: trunkLeg.party)) }
    }
}
