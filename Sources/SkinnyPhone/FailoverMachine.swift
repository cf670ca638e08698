/// The decisions of a phone with a list of call managers (a CallManager group), without sockets or clocks: the
/// `FailoverPhone` feeds it what happened and the time, and does what it says.
///
/// Modelled on a Cisco phone (CUCM's "CallManager group"): the phone registers with the first call manager it can
/// reach, keeps an unregistered *standby* connection to the next one and sends it KeepAlives, fails over to the
/// standby when its registered connection closes or `maximumUnansweredKeepAlives` KeepAlives in a row go unanswered,
/// and, while registered with a backup, probes the call managers above it every `fallbackProbeInterval`; when one
/// answers and the phone is idle it unregisters from the backup and registers there (re-homing, "fallback").
public struct FailoverMachine: Sendable {
    /// Why the phone registered where it did.
    public enum Reason: Hashable, Sendable {
        /// The first registration.
        case initial
        /// The registered call manager was lost.
        case failover
        /// A call manager higher in the list answered again while the phone was idle.
        case fallback
    }

    /// How many call managers the list holds (at least one).
    public let count: Int
    /// KeepAlives in a row without a KeepAliveAck after which the registered call manager counts as lost (3 on a
    /// Cisco phone).
    public let maximumUnansweredKeepAlives: Int
    /// How often a phone registered with a backup tries the call managers above it.
    public let fallbackProbeInterval: Duration
    /// The index (in the list) of the call manager the phone is registered with; nil before the first registration
    /// and while it looks for one.
    public private(set) var registered: Int?
    /// Failovers so far: registrations after a lost call manager.
    public private(set) var failovers = 0
    /// Fallbacks so far: registrations back on a call manager higher in the list.
    public private(set) var fallbacks = 0
    /// When the next fallback probe is due, while registered with a backup.
    public private(set) var nextProbe: ContinuousClock.Instant?

    public init(count: Int, maximumUnansweredKeepAlives: Int = 3, fallbackProbeInterval: Duration) {
        self.count = max(count, 1)
        self.maximumUnansweredKeepAlives = max(maximumUnansweredKeepAlives, 1)
        self.fallbackProbeInterval = fallbackProbeInterval
    }

    /// The call manager that gets the standby connection: the next one in the list after the registered one (none
    /// while on the last, or while unregistered).
    public var standby: Int? {
        guard let registered, registered + 1 < self.count else { return nil }
        return registered + 1
    }

    /// Whether the registered connection is lost: closed, or too many KeepAlives unanswered.
    public func isLost(connectionClosed: Bool, keepAlivesSent: Int, keepAliveAcks: Int) -> Bool {
        connectionClosed || keepAlivesSent - keepAliveAcks >= self.maximumUnansweredKeepAlives
    }

    /// The phone lost call manager `lost`. Returns where to try to register, in order: the standby first, then the
    /// others in list order after `lost` (wrapping), `lost` itself last (it may come back at once).
    public mutating func lost(_ lost: Int) -> [Int] {
        let standby = self.standby
        self.registered = nil
        self.nextProbe = nil
        var order: [Int] = []
        if let standby { order.append(standby) }
        for step in 1...self.count {
            let index = (lost + step) % self.count
            if !order.contains(index) { order.append(index) }
        }
        return order
    }

    /// The phone registered with call manager `index`, for `reason`, at `now`.
    public mutating func registered(on index: Int, reason: Reason, now: ContinuousClock.Instant) {
        self.registered = index
        switch reason {
        case .initial: break
        case .failover: self.failovers += 1
        case .fallback: self.fallbacks += 1
        }
        self.nextProbe = index > 0 ? now.advanced(by: self.fallbackProbeInterval) : nil
    }

    /// Whether a fallback probe is due at `now`: returns the call managers to try (those above the registered one,
    /// best first) and schedules the next probe; nil when none is due or the phone is on its first call manager.
    public mutating func probe(now: ContinuousClock.Instant) -> [Int]? {
        guard let registered, registered > 0, let nextProbe, now >= nextProbe else { return nil }
        self.nextProbe = now.advanced(by: self.fallbackProbeInterval)
        return Array(0..<registered)
    }

    /// Whether the phone should re-home to a call manager that answered a probe: only when it is idle (no live call),
    /// so that no call is cut by the move.
    public func shouldFallBack(isIdle: Bool) -> Bool { isIdle }
}
