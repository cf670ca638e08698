/// How a phone rings (SetRinger.ringMode; reference §6.5).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyRingMode: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Stop ringing.
    public static let off = SkinnyRingMode(rawValue: 1)
    /// Inside ring.
    public static let inside = SkinnyRingMode(rawValue: 2)
    /// Outside ring.
    public static let outside = SkinnyRingMode(rawValue: 3)
    /// Feature ring.
    public static let feature = SkinnyRingMode(rawValue: 4)
    /// No audible ring; flash only.
    public static let flashOnly = SkinnyRingMode(rawValue: 5)
}
