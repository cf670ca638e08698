import SIPWire

/// What Strowger knows of a trunk now: whether the peer answers its OPTIONS, the last answer, and the registration.
public struct SIPTrunkStatus: Hashable, Sendable {
    public enum Reachability: String, Hashable, Sendable {
        /// No OPTIONS answered or timed out yet.
        case unknown
        /// The last OPTIONS got a response (any response: the peer is there and speaks SIP, as Asterisk's
        /// qualify counts it).
        case up
        /// The last OPTIONS timed out (64·T1) or could not be sent.
        case down
    }

    public enum Registration: Hashable, Sendable {
        /// The trunk has no credentials: no registration.
        case disabled
        /// A REGISTER is on its way (maybe after a challenge).
        case registering
        /// Registered until this instant; refreshed before it.
        case registered(until: SIPInstant)
        /// The last attempt failed with this status (408 for a timeout); retried at `retryAt`.
        case failed(statusCode: Int, reason: String, retryAt: SIPInstant)
    }

    public var reachability: Reachability = .unknown
    /// The status code and reason phrase of the last OPTIONS response; nil before the first (or after a timeout).
    public var lastResponse: (code: Int, reason: String)? {
        get { lastResponseCode.map { ($0, lastResponseReason) } }
        set {
            lastResponseCode = newValue?.code
            lastResponseReason = newValue?.reason ?? ""
        }
    }
    public private(set) var lastResponseCode: Int?
    public private(set) var lastResponseReason: String = ""
    /// When the last OPTIONS was answered or gave up.
    public var lastCheck: SIPInstant?
    /// When ``reachability`` last changed.
    public var since: SIPInstant?
    public var registration: Registration

    public init(registration: Registration) {
        self.registration = registration
    }
}
