/// The security of a call as CallInfo shows it (callSecurityStatus; reference §6.13). Phones draw a lock or a
/// shield from it.
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyCallSecurityStatus: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Unknown; no icon.
    public static let unknown = SkinnyCallSecurityStatus(rawValue: 0)
    /// Signalling not authenticated.
    public static let notAuthenticated = SkinnyCallSecurityStatus(rawValue: 1)
    /// Signalling authenticated.
    public static let authenticated = SkinnyCallSecurityStatus(rawValue: 2)
    /// Signalling authenticated and media encrypted.
    public static let encrypted = SkinnyCallSecurityStatus(rawValue: 3)
}
