import NIOCore

/// Decides which rejections are logged: the first for each (reason, source) pair, then at most one line per
/// interval that says how many were suppressed in between. A flood of bad packets costs a few log lines, never one
/// per packet (CVE-2017-9358 took Asterisk down through its own logging). A flood from many sources (spoofed UDP)
/// gets at most ``maximumSourcesPerReason`` lines of their own per reason and interval; the rest share one line.
/// Time is an input.
struct RejectionLogLimiter: Sendable {
    enum Decision: Hashable, Sendable {
        /// Log this one; `suppressed` were not logged since the last line for the same pair.
        case log(suppressed: Int)
        /// Count it towards the next line.
        case suppress
    }

    private struct Key: Hashable, Sendable {
        var reason: GuardRejectionReason
        var source: SourceAddress
    }

    private struct Entry: Sendable {
        var lastLogged: NIODeadline
        var suppressed: Int
    }

    /// Sources with a line of their own per reason and interval; further ones share the catch-all line.
    static let maximumSourcesPerReason = 16

    let interval: TimeAmount
    let maximumSources: Int
    private var entries: [Key: Entry] = [:]
    /// New sources given a line of their own, per reason, in the interval that started at `start`.
    private var newSources: [GuardRejectionReason: (start: NIODeadline, count: Int)] = [:]
    private var lastPrune: NIODeadline?

    init(interval: TimeAmount = GuardLimits.logInterval, maximumSources: Int = GuardLimits.maximumLoggedSources) {
        self.interval = interval
        self.maximumSources = max(1, maximumSources)
    }

    /// A rejection of `source` for `reason` at `now`. When the table is full, sources not in it share the entry of
    /// ``SourceAddress/unknown`` for that reason.
    mutating func rejection(_ reason: GuardRejectionReason, from source: SourceAddress, now: NIODeadline) -> Decision {
        var key = Key(reason: reason, source: source)
        if self.entries[key] == nil {
            if self.entries.count >= self.maximumSources {
                self.prune(now: now)
            }
            var window = self.newSources[reason] ?? (start: now, count: 0)
            if now - window.start >= self.interval {
                window = (start: now, count: 0)
            }
            if self.entries.count >= self.maximumSources || window.count >= Self.maximumSourcesPerReason {
                key.source = .unknown
            } else {
                window.count += 1
            }
            self.newSources[reason] = window
        }
        guard var entry = self.entries[key] else {
            self.entries[key] = Entry(lastLogged: now, suppressed: 0)
            return .log(suppressed: 0)
        }
        if now - entry.lastLogged < self.interval {
            entry.suppressed += 1
            self.entries[key] = entry
            return .suppress
        }
        let suppressed = entry.suppressed
        self.entries[key] = Entry(lastLogged: now, suppressed: 0)
        return .log(suppressed: suppressed)
    }

    /// Forgets pairs last logged an interval ago or more (their suppressed counts stay in the metrics), at most once
    /// per interval.
    private mutating func prune(now: NIODeadline) {
        if let last = self.lastPrune, now - last < self.interval { return }
        self.lastPrune = now
        self.entries = self.entries.filter { now - $0.value.lastLogged < self.interval }
    }
}
