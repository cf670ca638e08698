/// A point on a monotonic clock, as the host reads it: time is an input of every SIPSession machine, never read
/// inside one, so tests drive timers with a mock clock.
public struct SIPInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since an origin the host chooses (its start, for a real clock).
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = SIPInstant(nanoseconds: 0)

    public static func seconds(_ seconds: Double) -> SIPInstant {
        SIPInstant(nanoseconds: Int64(seconds * 1_000_000_000))
    }

    public static func < (lhs: SIPInstant, rhs: SIPInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: SIPInstant, rhs: Duration) -> SIPInstant {
        SIPInstant(nanoseconds: lhs.nanoseconds &+ rhs.sipNanoseconds)
    }

    public static func - (lhs: SIPInstant, rhs: SIPInstant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    public var description: String {
        "\(Double(nanoseconds) / 1_000_000_000) s"
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    public var sipNanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}

/// The transaction timers' base values (RFC 3261 §17.1.1.1, table 4). Every other timer derives from them.
public struct SIPTimerSettings: Hashable, Sendable {
    /// RTT estimate; 500 ms by default. The first retransmission interval over UDP.
    public var t1: Duration
    /// The longest retransmit interval for non-INVITE requests and INVITE responses; 4 s.
    public var t2: Duration
    /// How long the network may hold a message; 5 s.
    public var t4: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    /// Timers B, F, H, J (and RFC 6026's L and M): 64·T1, how long a transaction waits before giving up.
    public var transactionTimeout: Duration { t1 * 64 }

    /// Timer D: how long an INVITE client transaction absorbs retransmitted final responses; "at least 32 s" over
    /// UDP, 0 over reliable transports.
    public func timerD(reliable: Bool) -> Duration { reliable ? .zero : max(.seconds(32), t1 * 64) }
}
