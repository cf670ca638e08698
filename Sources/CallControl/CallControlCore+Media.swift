/// Media between the two parties of a call: each opens a receive channel, and each is told to transmit to the
/// other's receive address once the other acknowledged it (call-flows §4).
extension CallControlCore {
    /// Opens a receive channel on both legs with the negotiated codec.
    mutating func startMedia(_ first: CallReference, _ second: CallReference) {
        guard let a = legs[first], let b = legs[second] else { return }
        let codec = Codec.negotiate(
            devices[a.device]?.capabilities.codecs ?? [],
            devices[b.device]?.capabilities.codecs ?? []
        )
        let parameters = MediaParameters(codec: codec, packetMilliseconds: directory.settings.packetMilliseconds)
        calls[a.call]?.draft.codec = codec
        for leg in [a, b] {
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

    /// A device listens at `endpoint`: tell the other party of the call to transmit there.
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
        guard let peer = conversationPeer(of: reference), let other = legs[peer], let otherStream = other.stream,
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
}
