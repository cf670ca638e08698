/// Where a phone plays a tone (StartTone.direction; reference §6.2, "Tone direction").
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyToneDirection: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// To the phone's user: dial tone, ring-back, busy. What CUCM 4.1 sent for dial tone.
    public static let user = SkinnyToneDirection(rawValue: 0)
    /// Into the call, towards the far end.
    public static let network = SkinnyToneDirection(rawValue: 1)
    /// Both ways.
    public static let both = SkinnyToneDirection(rawValue: 2)
}
