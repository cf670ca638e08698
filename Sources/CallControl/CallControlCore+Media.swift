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
        guard let leg = legs[reference], let stream = leg.stream else { return }
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
        guard leg.stream != nil else { return }
        receiveAddressKnown(reference, endpoint)
    }

    /// `reference`'s endpoint receives at `endpoint`: the other party transmits there (again, if it moved).
    private mutating func receiveAddressKnown(_ reference: CallReference, _ endpoint: MediaEndpoint) {
        guard let stream = legs[reference]?.stream, stream.receiveEndpoint != endpoint else { return }
        legs[reference]?.stream?.receiveEndpoint = endpoint
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
}
