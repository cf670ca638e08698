/// Music on hold: a party held by the other side (Hold, a transfer or conference consultation, park) hears music
/// streamed by the media server, from the source the holding line (else its device) names, else the built-in one.
/// Without a media server, or when it has no port left, the held party hears silence, as before.
extension CallControlCore {
    /// The media server is there.
    mutating func mediaServerAttached(maximumParticipants: Int) {
        mediaServerMaximumParticipants = max(2, maximumParticipants)
    }

    /// The media server is gone: music stops (the held parties hear silence) and every conference ends or, with two
    /// parties left in an ad hoc conference, falls back to a direct call.
    mutating func mediaServerDetached() {
        guard mediaServerMaximumParticipants != nil else { return }
        mediaServerMaximumParticipants = nil
        for reference in legs.keys.sorted() {
            guard let leg = legs[reference] else { continue }
            if leg.musicOnHold { legs[reference]?.musicOnHold = false }
            if leg.tone != nil { legs[reference]?.tone = nil }
            if leg.onBridge != nil { legs[reference]?.onBridge = nil }
        }
        for (_, callID) in conferences.sorted(by: { $0.key < $1.key }) {
            guard let call = calls[callID] else { continue }
            if call.parties.count == 2, !isMeetMe(call) {
                fallBackToDirect(callID)
                continue
            }
            // Parties leave one by one; an ad hoc conference falls back to a direct call once two are left.
            while let current = calls[callID], current.conference != nil, let first = current.parties.first {
                release(first, reason: .deviceLost)
            }
        }
    }

    /// The source the holder's line names, else its device's, else nil (the built-in source).
    func musicSource(chosenBy holder: Leg?) -> String? {
        guard let holder, case .phone(let device, _) = holder.endpoint else { return nil }
        return directory.lineConfiguration(for: holder.party.number).musicSource
            ?? directory.devices[device]?.musicSource
    }

    /// Plays music to `reference`, whose endpoint then only receives; nothing without a media server.
    mutating func startMusicOnHold(_ reference: CallReference, chosenBy holder: Leg?) {
        guard mediaServerMaximumParticipants != nil, let leg = legs[reference], isReachable(leg) else { return }
        stopMedia(reference)
        let source = musicSource(chosenBy: holder)
        legs[reference]?.musicOnHold = true
        legs[reference]?.musicSource = source
        openStream(reference, resourceParameters(for: leg))
    }

    /// The media server's end of a new stream: a conference participant's endpoint sends there; a music or tone
    /// listener's phone sends nothing, and a trunk's far end is given it for its SDP.
    ///
    /// A phone is told to transmit to the bridge only once the bridge knows the phone's address (its receive channel
    /// acknowledged, ``MediaResourceCommand/setRemote(_:_:)`` sent first): the bridge drops and counts RTP from an
    /// address it was not given, and a phone starts sending as soon as it is told.
    mutating func mediaResourceReady(_ reference: CallReference, endpoint: MediaEndpoint) {
        guard let leg = legs[reference], let stream = leg.stream,
            leg.onBridge != nil || leg.musicOnHold || leg.tone != nil,
            isReachable(leg)
        else { return }
        legs[reference]?.stream?.resourceEndpoint = endpoint
        if case .phone = leg.endpoint {
            guard leg.onBridge != nil, stream.receiveEndpoint != nil else { return }
        }
        transmitToResource(reference, endpoint)
    }

    /// Tells `reference`'s endpoint to send its stream to the media server at `endpoint`.
    mutating func transmitToResource(_ reference: CallReference, _ endpoint: MediaEndpoint) {
        guard let leg = legs[reference], let stream = leg.stream else { return }
        switch leg.endpoint {
        case .phone(let device, _):
            emit(
                .startMediaTransmission(
                    device,
                    call: reference,
                    passThroughPartyID: stream.id,
                    remote: endpoint,
                    media: stream.parameters
                )
            )
        case .trunk(let trunk):
            emit(.trunk(trunk, call: reference, .startMedia(remote: endpoint, stream.parameters)))
        }
    }

    /// The media server refused a resource: music and tones fall back to silence; a conference participant it could
    /// not take is told "No Conference Bridge" and leaves the conference (the others go on, or fall back to a direct
    /// call).
    mutating func mediaResourceFailed(_ reference: CallReference, _ failure: MediaResourceFailure) {
        guard let leg = legs[reference] else { return }
        if leg.musicOnHold {
            legs[reference]?.musicOnHold = false
            stopMedia(reference)
            return
        }
        if leg.tone != nil {
            // No tone: the leg hears silence, and a failed call is still cleared by its timer.
            legs[reference]?.tone = nil
            stopMedia(reference)
            return
        }
        guard leg.onBridge != nil else { return }
        legs[reference]?.onBridge = nil
        if let device = leg.device {
            emit(.notify(device, failure == .conferenceFull ? .conferenceFull : .noConferenceBridge))
        }
        release(reference, reason: .hangUp)
    }
}
