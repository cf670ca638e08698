/// A lamp's mode (SetLamp.lampMode; reference §6.3).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyLampMode: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Off.
    public static let off = SkinnyLampMode(rawValue: 1)
    /// Steady on: line in use.
    public static let on = SkinnyLampMode(rawValue: 2)
    /// Wink: held.
    public static let wink = SkinnyLampMode(rawValue: 3)
    /// Flash: feature in progress.
    public static let flash = SkinnyLampMode(rawValue: 4)
    /// Blink: ringing.
    public static let blink = SkinnyLampMode(rawValue: 5)
}
