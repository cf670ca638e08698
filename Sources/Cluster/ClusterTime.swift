/// A point on a monotonic clock, as the host reads it. The membership machine never reads a clock: every input
/// carries the time, so tests drive heartbeats and timeouts with made-up instants.
public struct ClusterInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since an origin the host chooses (its start, for a real clock).
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = ClusterInstant(nanoseconds: 0)

    public static func < (lhs: ClusterInstant, rhs: ClusterInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: ClusterInstant, rhs: Duration) -> ClusterInstant {
        ClusterInstant(nanoseconds: lhs.nanoseconds &+ rhs.clusterNanoseconds)
    }

    public static func - (lhs: ClusterInstant, rhs: ClusterInstant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    public var description: String { "\(Double(self.nanoseconds) / 1_000_000_000) s" }
}

/// A wall-clock time: milliseconds since 1970-01-01 UTC, as carried in every datagram. Wall time, not monotonic
/// time, because it is compared between machines; the receiver passes its own wall clock in when it decodes.
public struct ClusterTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch.
    public let milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: ClusterTimestamp, rhs: ClusterTimestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The distance between two timestamps, however far apart (saturating rather than trapping on a forged
    /// timestamp near `Int64.min` or `.max`).
    func distance(to other: ClusterTimestamp) -> Duration {
        let (difference, overflow) = other.milliseconds.subtractingReportingOverflow(self.milliseconds)
        if overflow {
            return other.milliseconds > self.milliseconds ? .milliseconds(Int64.max) : .milliseconds(Int64.min)
        }
        return .milliseconds(difference)
    }

    public var description: String { "\(self.milliseconds) ms" }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var clusterNanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = product.addingReportingOverflow(attoseconds / 1_000_000_000)
        if sumOverflow { return product < 0 ? .min : .max }
        return sum
    }

    /// The duration in whole milliseconds, saturating.
    var clusterMilliseconds: Int64 { self.clusterNanoseconds / 1_000_000 }
}
