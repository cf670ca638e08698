/// What a phone does when the call manager sends Reset (Reset.resetType; reference §6.14, call-flows §1).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyResetType: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Reboot the phone; it fetches its configuration and registers again.
    public static let reset = SkinnyResetType(rawValue: 1)
    /// Drop the session and register again without rebooting.
    public static let restart = SkinnyResetType(rawValue: 2)
    /// Apply a changed configuration file.
    public static let applyConfig = SkinnyResetType(rawValue: 3)
}
