/// Who keeps an endpoint when a second session registers a name that is already registered (take-over).
///
/// A phone that lost its connection without a FIN (a pulled cable, a NAT that forgot it, a power cut) registers again
/// on a new connection while the server still holds the old one. CUCM lets the new registration in once the old one
/// has gone silent; a connection that is still heard keeps its name, so that a second device configured with the
/// same name (a mistake, or someone impersonating a phone) cannot knock a working phone off. "Silent" is measured
/// against the keepalive interval the phones are given: a phone that keeps its cadence is always heard within one
/// interval, and the half interval more absorbs a late keepalive.
///
/// Pure: time comes in as the owner's silence, so the rule is tested without clocks. The runtime carries out the
/// decision (``CallControlHost``).
public struct TakeOverPolicy: Hashable, Sendable {
    /// The keepalive interval phones are given (SCCP RegisterAck).
    public var keepAliveInterval: Duration

    public init(keepAliveInterval: Duration) {
        self.keepAliveInterval = keepAliveInterval
    }

    /// How long a current owner may be silent and still keep its name: 1.5 × the keepalive interval.
    public var aliveWindow: Duration {
        self.keepAliveInterval * 3 / 2
    }

    /// Decides a registration of a name given who owns it now.
    public func decide(_ ownership: Ownership) -> TakeOverDecision {
        switch ownership {
        case .unowned:
            .accept
        case .ownedByClaimant:
            .reregister
        case .ownedByAnother(let silence):
            silence <= self.aliveWindow ? .refuse : .takeOver
        }
    }

    /// Who owns the name when a session claims it.
    public enum Ownership: Hashable, Sendable {
        /// No session speaks for the name.
        case unowned
        /// The claiming session speaks for it already (it registers again on the same connection); nothing to take.
        case ownedByClaimant
        /// Another session speaks for it, and was last heard `silence` ago.
        case ownedByAnother(silence: Duration)
    }
}

/// What happens to a registration of a name (``TakeOverPolicy/decide(_:)``).
public enum TakeOverDecision: Hashable, Sendable {
    /// The claimant gets the name; the core decides on the registration itself.
    case accept
    /// The current owner is alive and keeps the name: the claimant is told the device is already registered
    /// (``CallControl/RegistrationRejection/alreadyRegistered``) and the core never hears of it.
    case refuse
    /// The current owner is silent: it is closed, the core unregisters the device (its calls end), and the claimant's
    /// registration goes to the core as a fresh one.
    case takeOver
    /// The claimant already speaks for the name and registers again on the same session: the core forgets the old
    /// registration (its calls end) and handles this one as fresh, so that the core and the registry never disagree
    /// on who is registered. (SCCP never gets here: SkinnySession closes a connection that sends a second Register.)
    case reregister
}
