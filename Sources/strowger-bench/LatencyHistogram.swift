import Histogram

/// Latencies in microseconds, with HdrHistogram's 3 significant digits, up to one hour.
struct LatencyHistogram: Sendable {
    private var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: .three
    )

    var count: Int { Int(self.histogram.totalCount) }

    mutating func record(nanoseconds: Int64) {
        self.histogram.record(UInt64(max(1, nanoseconds / 1000)))
    }

    /// p50, p90, p99 and max, in milliseconds (nil when nothing was recorded).
    var summary: LatencySummary? {
        guard self.histogram.totalCount > 0 else { return nil }
        func milliseconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        return LatencySummary(
            p50: milliseconds(self.histogram.valueAtPercentile(50)),
            p90: milliseconds(self.histogram.valueAtPercentile(90)),
            p99: milliseconds(self.histogram.valueAtPercentile(99)),
            max: milliseconds(self.histogram.max),
            count: self.count
        )
    }
}

/// A latency distribution as reported: milliseconds.
struct LatencySummary: Sendable, Codable {
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var count: Int

    var text: String {
        "p50 \(format(self.p50)) · p90 \(format(self.p90)) · p99 \(format(self.p99)) · max \(format(self.max)) ms"
    }
}

/// Counts by reason, e.g. failures.
struct ReasonCounts: Sendable {
    private(set) var counts: [String: Int] = [:]

    var total: Int { self.counts.values.reduce(0, +) }

    mutating func add(_ reason: String) {
        self.counts[reason, default: 0] += 1
    }

    /// Reasons, most frequent first.
    var sorted: [ReasonCount] {
        self.counts.map { ReasonCount(reason: $0.key, count: $0.value) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason
        }
    }
}

/// A number with at most `decimals` decimals, without Foundation.
func format(_ value: Double, decimals: Int = 2) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if decimals == 0 || rounded == rounded.rounded() && abs(rounded) >= 1000 {
        return String(Int(rounded))
    }
    var text = String(rounded)
    if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) - 1 > decimals {
        text = String(text[..<text.index(dot, offsetBy: decimals + 1)])
    }
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
}
