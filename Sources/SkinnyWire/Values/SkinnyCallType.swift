/// The direction of a call as CallInfo shows it (callType; reference §6.13).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyCallType: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// A call to this phone.
    public static let inbound = SkinnyCallType(rawValue: 1)
    /// A call from this phone.
    public static let outbound = SkinnyCallType(rawValue: 2)
    /// A call forwarded to this phone.
    public static let forward = SkinnyCallType(rawValue: 3)
}
