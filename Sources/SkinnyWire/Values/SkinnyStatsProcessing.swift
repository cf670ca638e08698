/// Whether a phone resets its counters after reporting them (ConnectionStatisticsReq.statsProcessingMode;
/// reference §5.2).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyStatsProcessing: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Report, then clear the counters.
    public static let clear = SkinnyStatsProcessing(rawValue: 0)
    /// Report and keep counting.
    public static let doNotClear = SkinnyStatsProcessing(rawValue: 1)
}
