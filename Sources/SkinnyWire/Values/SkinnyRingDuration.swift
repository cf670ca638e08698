/// How long a phone rings (SetRinger.ringDuration; reference §6.5).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyRingDuration: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Ring until told to stop; what CUCM 4.1 sent.
    public static let normal = SkinnyRingDuration(rawValue: 1)
    /// Ring once.
    public static let single = SkinnyRingDuration(rawValue: 2)
}
