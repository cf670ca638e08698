/// Which call-history list a call goes in (CallHistoryInfo.callHistoryDisposition; reference §6.14).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyCallHistoryDisposition: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Do not record the call.
    public static let ignore = SkinnyCallHistoryDisposition(rawValue: 0)
    /// Placed calls.
    public static let placed = SkinnyCallHistoryDisposition(rawValue: 1)
    /// Received calls.
    public static let received = SkinnyCallHistoryDisposition(rawValue: 2)
    /// Missed calls.
    public static let missed = SkinnyCallHistoryDisposition(rawValue: 3)
}
