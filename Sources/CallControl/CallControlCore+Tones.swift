/// Call-progress tones from the media server, for endpoints that cannot play them themselves.
///
/// A phone plays every tone it is told to (SCCP StartTone). A SIP trunk's far end plays its caller's tones while the
/// call is set up, from what it is sent (180 Ringing, 486 Busy Here, 404 …). Once the trunk call was answered its
/// dialog is confirmed, and no SIP message makes the far end play a tone any more: a trunk caller that a phone
/// transfers to another phone that rings, whose transfer then fails, or whose park reverts, would hear silence or the
/// hold music go on. Then the core asks the media server for the tone on a stream of the leg's own (CUCM's
/// annunciator does this for SIP trunks): the far end is re-INVITEd to receive from the media server, as for music
/// on hold, and when the call goes on (the target answers) the media runs between the parties again.
///
/// Which indication means which tone is decided in one place (``resourceTone(for:_:)``); the tone stream is a media
/// resource like music on hold, opened with ``MediaResourceCommand/startTone(_:tone:codec:remote:)`` once the far
/// end's receive address is known and ended by ``stopMedia(_:)``, the one place every stream ends.
extension CallControlCore {
    /// The tone the media server must play for `indication` to `leg`, or nil when the leg's endpoint plays it itself
    /// (a phone; a trunk call not answered yet) or the indication is no tone.
    ///
    /// Invalid numbers get reorder, as on a Cisco phone in CUCM without announcements; a trunk call not yet answered
    /// is refused with its SIP status instead, and its far end plays the tone it chooses.
    func resourceTone(for leg: Leg, _ indication: Indication) -> CallProgressTone? {
        guard case .trunk = leg.endpoint, leg.wasAnswered else { return nil }
        switch indication {
        case .ringOut: return .ringback
        case .busy: return .busy
        case .invalidNumber, .reorder: return .reorder
        // `earlyMedia`: the caller hears the far end's own early media, directly. DTMF reaches a trunk's far end as
        // RFC 4733 events or SIP INFO (docs/sip.md), not as a tone from the server.
        case .offHook, .digitsCollected, .digitRemoved, .proceeding, .earlyMedia, .ringIn, .callWaiting, .connected,
            .hold, .remoteHold, .transferConsultation, .conferenceConsultation, .conference, .inUseRemote, .cleared,
            .dtmfTone, .dtmfToneEnded:
            return nil
        }
    }

    /// Plays `tone` to `reference` from the media server: its current stream ends and a receive-only one to the
    /// media server opens (or, if the leg hears a tone already, the tone changes on the same stream). Nothing
    /// without a media server: the leg then hears silence, as before.
    mutating func playResourceTone(_ reference: CallReference, _ tone: CallProgressTone) {
        guard mediaServerMaximumParticipants != nil, let leg = legs[reference], isReachable(leg),
            leg.tone != tone
        else { return }
        if leg.tone != nil, let stream = leg.stream {
            legs[reference]?.tone = tone
            // The tone stream runs already (its startTone went out with the far end's address): change what it
            // plays. Before that, the startTone carries the new tone.
            if stream.receiveEndpoint != nil { emit(.media(.changeTone(reference, tone: tone))) }
            return
        }
        stopMedia(reference)
        legs[reference]?.tone = tone
        openStream(reference, resourceParameters(for: leg))
    }
}
