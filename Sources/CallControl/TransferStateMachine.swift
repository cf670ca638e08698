/// A transfer in progress, held on its consultation leg: a pure sub-machine (style.md §2.9) that decides what
/// pressing Transfer, hanging up or the held party leaving means. The core carries the decision out.
///
/// CUCM's transfer from the phone: Transfer on a connected call holds it and opens a consultation call on the same
/// line; the user dials the target. Transfer again while the target rings is a blind (early) transfer: the held
/// party takes the consultation's place and hears the target ring. Transfer again once the target answered is a
/// consulted transfer: the held party and the target talk. Transfer on a consultation that failed (busy, invalid
/// number) gives the held party back to the transferrer. Hanging up the consultation completes the transfer only
/// with "Transfer On-hook Enabled"; otherwise it ends the consultation and the first call stays on hold.
struct TransferStateMachine: Hashable, Sendable {
    /// What the core should do.
    enum Action: Hashable, Sendable {
        /// The target still rings: the held party takes over the consultation call.
        case completeBlind
        /// The target answered: join the held party and the target.
        case completeConsulted
        /// The consultation failed: end it and resume the held call.
        case returnHeldParty
        /// End the consultation only; the held call stays held.
        case endConsultation
        /// Nothing to do yet (the number is still being dialled).
        case none
    }

    /// Where the consultation call stands, as far as a transfer cares.
    enum ConsultationPhase: Hashable, Sendable {
        case dialing
        case ringing
        case answered
        case failed
    }

    /// The held call (the transferrer's leg) that the transfer moves.
    let heldLeg: CallReference

    init(heldLeg: CallReference) {
        self.heldLeg = heldLeg
    }

    /// The transferrer pressed Transfer again (on the consultation or the held call).
    func transferPressed(consultation: ConsultationPhase) -> Action {
        switch consultation {
        case .dialing: .none
        case .ringing: .completeBlind
        case .answered: .completeConsulted
        case .failed: .returnHeldParty
        }
    }

    /// The transferrer hung up the consultation.
    func consultationHungUp(_ consultation: ConsultationPhase, transferOnHook: Bool) -> Action {
        guard transferOnHook else { return .endConsultation }
        switch consultation {
        case .dialing, .failed: return .endConsultation
        case .ringing: return .completeBlind
        case .answered: return .completeConsulted
        }
    }
}
