/// Hold and resume.
extension CallControlCore {
    /// Puts `reference` on hold. `refreshRinging` is false when another call becomes active at once, so that a
    /// waiting call does not start ringing for an instant.
    /// The held party hears music on hold (`playMusic`), unless the far end of a trunk holds: its own system plays
    /// to the phone then. In a conference the holder just leaves the bridge until it resumes.
    mutating func hold(_ reference: CallReference, refreshRinging refresh: Bool = true, playMusic: Bool = true) {
        guard let leg = legs[reference], leg.state == .connected, !leg.isHeld else { return }
        legs[reference]?.isHeld = true
        stopMedia(reference)
        let peer = conversationPeer(of: reference)
        if let peer { stopMedia(peer) }
        indicate(leg, .hold)
        if let peer, let other = legs[peer], !other.isHeld {
            indicate(other, .remoteHold)
            if playMusic { startMusicOnHold(peer, chosenBy: leg) }
        }
        if refresh { refreshRinging(leg.device) }
    }

    mutating func resume(_ reference: CallReference) {
        guard let leg = legs[reference], leg.state == .connected, leg.isHeld else { return }
        deactivateOthers(on: leg.device, except: reference)
        guard legs[reference] != nil else { return }
        legs[reference]?.isHeld = false
        if let call = calls[leg.call], call.conference != nil {
            // Back on the conference's bridge.
            addToBridge(reference)
            if let resumed = legs[reference] { indicate(resumed, .conference(participants: call.parties.count)) }
            return
        }
        guard let peer = conversationPeer(of: reference), let other = legs[peer] else {
            // Parked, or the other party is on its way out: nothing to talk to.
            indicate(leg, .remoteHold)
            return
        }
        if other.isHeld {
            indicate(leg, .remoteHold)
            startMusicOnHold(reference, chosenBy: other)
        } else {
            indicate(leg, .connected(remote: other.party))
            indicate(other, .connected(remote: leg.party))
            startMedia(reference, peer)
        }
    }
}
