import NIOCore

/// Decides, without I/O, whether a listener takes a new connection: the allow-list, the per-source connection rate
/// with its ban (Kamailio pike's model), the per-source cap and the total cap. Time is an input.
///
/// The listener's accept handler calls ``connectionOpened(from:now:)`` for every accepted socket and closes the
/// ones refused, and ``connectionClosed(from:)`` when an admitted one closes.
struct ConnectionAdmission: Sendable {
    enum Decision: Hashable, Sendable {
        /// Take the connection; it now counts against its source's and the listener's caps.
        case accept
        /// Close it at once.
        case reject(GuardRejectionReason)
    }

    /// What the admission remembers about one source address.
    private struct Source: Sendable {
        /// Admitted connections from it that are still open.
        var open = 0
        /// Connection attempts over the last rate window.
        var attempts: SlidingWindowCounter
        /// Refused until then.
        var bannedUntil: NIODeadline?
    }

    let configuration: ConnectionGuardConfiguration
    private var sources: [SourceAddress: Source] = [:]
    private var lastPrune: NIODeadline?
    /// Admitted connections still open, exempt ones included.
    private(set) var openConnections = 0

    init(configuration: ConnectionGuardConfiguration) {
        self.configuration = configuration
    }

    /// Source addresses tracked now.
    var trackedSources: Int { self.sources.count }

    /// A new connection from `source`.
    mutating func connectionOpened(from source: SourceAddress, now: NIODeadline) -> Decision {
        guard self.configuration.allowedNetworks.allows(source) else { return .reject(.sourceNotAllowed) }
        if self.configuration.exemptNetworks.allows(source) {
            guard self.openConnections < self.configuration.maximumConnections else {
                return .reject(.totalConnectionLimit)
            }
            self.openConnections += 1
            return .accept
        }
        self.pruneIfDue(now: now, full: self.sources[source] == nil)
        var entry: Source
        if let existing = self.sources[source] {
            entry = existing
        } else {
            guard self.sources.count < self.configuration.maximumTrackedSources else {
                return .reject(.trackingTableFull)
            }
            entry = Source(attempts: SlidingWindowCounter(window: self.configuration.connectionRate.window))
        }
        defer { self.sources[source] = entry }
        if let until = entry.bannedUntil {
            if now < until { return .reject(.sourceBanned) }
            entry.bannedUntil = nil
        }
        if entry.attempts.record(now: now) > self.configuration.connectionRate.events {
            entry.bannedUntil = now + self.configuration.banDuration
            entry.attempts = SlidingWindowCounter(window: self.configuration.connectionRate.window)
            return .reject(.connectionRateExceeded)
        }
        guard entry.open < self.configuration.maximumConnectionsPerSource else {
            return .reject(.perSourceConnectionLimit)
        }
        guard self.openConnections < self.configuration.maximumConnections else {
            return .reject(.totalConnectionLimit)
        }
        entry.open += 1
        self.openConnections += 1
        return .accept
    }

    /// An admitted connection from `source` closed.
    mutating func connectionClosed(from source: SourceAddress) {
        self.openConnections = max(0, self.openConnections - 1)
        guard !self.configuration.exemptNetworks.allows(source), var entry = self.sources[source] else { return }
        entry.open = max(0, entry.open - 1)
        self.sources[source] = entry
    }

    /// Sources banned at `now`.
    func bannedSources(now: NIODeadline) -> Int {
        self.sources.values.reduce(0) { count, source in
            count + ((source.bannedUntil.map { now < $0 } ?? false) ? 1 : 0)
        }
    }

    /// Forgets sources with no open connection, no ban in force and no attempt within the rate window: once per
    /// rate window while the table is large, and at once when it is full and a new source arrives.
    private mutating func pruneIfDue(now: NIODeadline, full: Bool) {
        let isFull = full && self.sources.count >= self.configuration.maximumTrackedSources
        let isLarge = self.sources.count > 1_024
        guard isFull || isLarge else { return }
        if let last = self.lastPrune, now - last < self.configuration.connectionRate.window { return }
        self.lastPrune = now
        self.sources = self.sources.filter { _, source in
            var source = source
            if let until = source.bannedUntil, now < until { return true }
            return source.open > 0 || source.attempts.count(now: now) > 0
        }
    }
}
