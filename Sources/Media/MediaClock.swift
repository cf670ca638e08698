/// The engine's 20 ms tick, drift-free: tick `n` is due at `origin + n × period`, computed by multiplication from
/// the origin every time, never by adding periods to the previous deadline, so that no rounding or scheduling
/// error accumulates however long the engine runs (after 24 hours tick 4,320,000 is due at exactly 24 h).
///
/// Pure: the time is an input (nanoseconds of a monotonic clock); the caller sleeps until ``nextDeadline`` and
/// asks ``dueTicks(now:)`` which ticks to run.
public struct MediaClock: Hashable, Sendable {
    /// The most ticks run to catch up after a stall (a suspended process, a long pause of the host), unless the
    /// clock is given another bound: 5. Older ticks are skipped, so that a stall does not turn into a burst that
    /// floods every phone with packets it would drop as late anyway; streams account for the skipped time in their
    /// RTP timestamps.
    public static let maximumCatchUp: UInt64 = 5

    /// When tick 0 is due.
    public let origin: UInt64
    /// The tick period in nanoseconds.
    public let period: UInt64
    /// The next tick not yet run.
    public private(set) var nextTick: UInt64 = 0
    /// Ticks skipped after stalls, in all.
    public private(set) var skippedTicks: UInt64 = 0
    /// This clock's bound on the ticks run at once after a stall.
    public let catchUpLimit: UInt64

    public init(
        origin: UInt64,
        period: UInt64 = MediaTiming.frameNanoseconds,
        catchUpLimit: UInt64 = Self.maximumCatchUp
    ) {
        precondition(period > 0 && catchUpLimit > 0, "a clock period or catch-up of 0")
        self.origin = origin
        self.period = period
        self.catchUpLimit = catchUpLimit
    }

    /// When tick `tick` is due.
    public func deadline(of tick: UInt64) -> UInt64 {
        self.origin &+ tick &* self.period
    }

    /// When the next tick is due.
    public var nextDeadline: UInt64 { self.deadline(of: self.nextTick) }

    /// Moves the clock past every tick due at `now` without running or counting them: the owner slept because
    /// there was nothing to serve, which is not a stall.
    public mutating func resume(now: UInt64) {
        guard now >= self.nextDeadline else { return }
        self.nextTick = (now - self.origin) / self.period + 1
    }

    /// The ticks due at `now`, marked as run: empty before the next deadline, usually one tick, at most
    /// ``catchUpLimit`` after a stall (the ones before them are skipped and counted in ``skippedTicks``).
    public mutating func dueTicks(now: UInt64) -> Range<UInt64> {
        guard now >= self.nextDeadline else { return self.nextTick..<self.nextTick }
        let last = (now - self.origin) / self.period
        var first = self.nextTick
        if last - first + 1 > self.catchUpLimit {
            let newFirst = last + 1 - self.catchUpLimit
            self.skippedTicks += newFirst - first
            first = newFirst
        }
        self.nextTick = last + 1
        return first..<(last + 1)
    }
}
