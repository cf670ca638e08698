/// A speaker or microphone mode (SetSpeakerMode.mode, SetMicroMode.mode; reference §6.5): 1 on, 2 off.
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyOnOffMode: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// On.
    public static let on = SkinnyOnOffMode(rawValue: 1)
    /// Off.
    public static let off = SkinnyOnOffMode(rawValue: 2)
}
