public import NIOCore

/// The rates at which devices the server does not know may auto-register (SECURITY.md), per source address and
/// from everyone together.
public struct AutoRegistrationLimits: Hashable, Sendable {
    /// New devices per source address; exempt networks are not limited per source.
    public var perSource = RateLimit(
        events: GuardLimits.autoRegistrationsPerSource,
        per: GuardLimits.autoRegistrationSourceWindow
    )
    /// New devices from everyone together.
    public var total = RateLimit(
        events: GuardLimits.autoRegistrationsTotal,
        per: GuardLimits.autoRegistrationTotalWindow
    )
    /// Sources exempt from ``perSource`` (a NAT gateway in front of many phones): the SCCP guards' exempt networks.
    public var exemptNetworks: SourceAllowList = .none
    /// Source addresses tracked at once; past it, new sources are refused until entries expire.
    public var maximumTrackedSources = GuardLimits.maximumTrackedSources
    /// How long a new device's RegisterAck may wait for its save.
    public var saveDeadline = GuardLimits.autoRegistrationSaveDeadline
    /// How long new devices are refused after a save failed for good.
    public var pauseAfterSaveFailure = GuardLimits.autoRegistrationPauseAfterFailure

    public init() {}
}

/// Decides, without I/O, whether a Register for a device the server does not know may go on to auto-registration:
/// a sliding window per source address and one for everyone. Time is an input.
struct AutoRegistrationLimiter: Sendable {
    enum Decision: Hashable, Sendable {
        case allow
        /// The source auto-registered ``AutoRegistrationLimits/perSource`` devices within the window.
        case sourceRateExceeded
        /// Everyone together auto-registered ``AutoRegistrationLimits/total`` devices within the window.
        case totalRateExceeded
    }

    let limits: AutoRegistrationLimits
    private var total: SlidingWindowCounter
    private var sources: [SourceAddress: SlidingWindowCounter] = [:]
    private var lastPrune: NIODeadline?

    init(limits: AutoRegistrationLimits) {
        self.limits = limits
        self.total = SlidingWindowCounter(window: limits.total.window)
    }

    /// Source addresses tracked now.
    var trackedSources: Int { self.sources.count }

    /// A Register of an unknown device arrived from `source`. An allowed attempt counts against both windows; a
    /// refused one counts against neither, so a flood cannot push the window ahead of itself.
    mutating func attempt(from source: SourceAddress, now: NIODeadline) -> Decision {
        guard self.total.count(now: now) < self.limits.total.events else { return .totalRateExceeded }
        if !self.limits.exemptNetworks.allows(source) {
            self.pruneIfDue(now: now)
            var counter: SlidingWindowCounter
            if let existing = self.sources[source] {
                counter = existing
            } else {
                guard self.sources.count < self.limits.maximumTrackedSources else { return .sourceRateExceeded }
                counter = SlidingWindowCounter(window: self.limits.perSource.window)
            }
            guard counter.count(now: now) < self.limits.perSource.events else {
                self.sources[source] = counter
                return .sourceRateExceeded
            }
            _ = counter.record(now: now)
            self.sources[source] = counter
        }
        _ = self.total.record(now: now)
        return .allow
    }

    /// Forgets sources whose window is empty, once per window while the table is large.
    private mutating func pruneIfDue(now: NIODeadline) {
        guard self.sources.count > 1_024 else { return }
        if let last = self.lastPrune, now - last < self.limits.perSource.window { return }
        self.lastPrune = now
        self.sources = self.sources.filter { _, counter in
            var counter = counter
            return counter.count(now: now) > 0
        }
    }
}
