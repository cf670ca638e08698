/// How late packets went out, in fixed 0.1 ms buckets up to 100 ms and one bucket above: bounded memory, no
/// allocation when recording, quantiles to 0.1 ms. The engine records every packet it sends (the time it was
/// handed to the socket minus the time its tick was due); the benchmark reads p50/p99/max from it.
public struct LatenessHistogram: Hashable, Sendable {
    /// Bucket width in nanoseconds.
    public static let resolution: UInt64 = 100_000
    /// Buckets below the overflow bucket (100 ms).
    public static let bucketCount = 1_000

    private var buckets = [UInt64](repeating: 0, count: Self.bucketCount + 1)
    public private(set) var count: UInt64 = 0
    /// The largest value recorded, exactly.
    public private(set) var maximum: UInt64 = 0

    public init() {}

    public mutating func record(_ nanoseconds: UInt64) {
        let bucket = min(Int(nanoseconds / Self.resolution), Self.bucketCount)
        self.buckets[bucket] &+= 1
        self.count &+= 1
        self.maximum = max(self.maximum, nanoseconds)
    }

    /// The value below which `fraction` of the recordings fall, to the bucket's upper edge (the overflow bucket
    /// reports the maximum); 0 with nothing recorded.
    public func quantile(_ fraction: Double) -> UInt64 {
        guard self.count > 0 else { return 0 }
        let rank = UInt64((Double(self.count) * min(max(fraction, 0), 1)).rounded(.up))
        var seen: UInt64 = 0
        for (index, value) in self.buckets.enumerated() {
            seen += value
            if seen >= max(rank, 1) {
                return index == Self.bucketCount ? self.maximum : min(UInt64(index + 1) * Self.resolution, self.maximum)
            }
        }
        return self.maximum
    }

    /// Recordings above `nanoseconds` (to the bucket: values in the bucket holding the bound count as not above).
    public func count(above nanoseconds: UInt64) -> UInt64 {
        let first = min(Int(nanoseconds / Self.resolution) + 1, Self.bucketCount)
        return self.buckets[first...].reduce(0, +)
    }

    /// Adds another histogram's recordings.
    public mutating func merge(_ other: LatenessHistogram) {
        for index in self.buckets.indices { self.buckets[index] &+= other.buckets[index] }
        self.count &+= other.count
        self.maximum = max(self.maximum, other.maximum)
    }
}
