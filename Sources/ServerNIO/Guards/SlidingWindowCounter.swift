public import NIOCore

/// A rate: at most `events` per `window`.
public struct RateLimit: Hashable, Sendable, CustomStringConvertible {
    public var events: Int
    public var window: TimeAmount

    public init(events: Int, per window: TimeAmount) {
        self.events = events
        self.window = window
    }

    /// Parses `N/SECONDS` (`16/2`, `2000/5`); nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let events = Int(parts[0]), events > 0, let seconds = Double(parts[1]),
            seconds > 0, seconds <= 86_400
        else { return nil }
        self.init(events: events, per: .nanoseconds(Int64(seconds * 1_000_000_000)))
    }

    public var description: String {
        "\(self.events) per \(Double(self.window.nanoseconds) / 1_000_000_000) s"
    }
}

/// Counts events over the last `window`, in ten buckets of a tenth of the window each.
///
/// A fixed window would let a burst straddle two windows and pass with nearly twice the limit (2 × 1,999 messages
/// in five seconds against a ceiling of 2,000); the sliding sum over the last ten buckets misses at most one
/// bucket's worth. Time is an input (`now`), so tests drive it without a clock.
struct SlidingWindowCounter: Sendable {
    /// Buckets per window: the sum may be short by at most the events of one tenth of the window.
    static let bucketCount = 10

    private let bucketWidth: Int64
    private var buckets: [UInt32]
    private var current = 0
    private var currentStart: NIODeadline?
    /// The sum of `buckets`.
    private(set) var total = 0

    init(window: TimeAmount) {
        self.bucketWidth = max(1, window.nanoseconds / Int64(Self.bucketCount))
        self.buckets = Array(repeating: 0, count: Self.bucketCount)
    }

    /// Records one event at `now` and returns how many fell in the window, this one included.
    mutating func record(now: NIODeadline) -> Int {
        self.advance(to: now)
        if self.buckets[self.current] < UInt32.max {
            self.buckets[self.current] += 1
            self.total += 1
        }
        return self.total
    }

    /// How many events fell in the window ending at `now`.
    mutating func count(now: NIODeadline) -> Int {
        self.advance(to: now)
        return self.total
    }

    private mutating func advance(to now: NIODeadline) {
        guard let start = self.currentStart else {
            self.currentStart = now
            return
        }
        // A clock that goes backwards (it should not: NIODeadline is monotonic) counts in the current bucket.
        let elapsed = (now - start).nanoseconds
        guard elapsed >= self.bucketWidth else { return }
        let steps = elapsed / self.bucketWidth
        if steps >= Int64(Self.bucketCount) {
            for index in self.buckets.indices { self.buckets[index] = 0 }
            self.total = 0
            self.current = 0
        } else {
            for _ in 0..<steps {
                self.current = (self.current + 1) % Self.bucketCount
                self.total -= Int(self.buckets[self.current])
                self.buckets[self.current] = 0
            }
        }
        self.currentStart = start + .nanoseconds(steps * self.bucketWidth)
    }
}
