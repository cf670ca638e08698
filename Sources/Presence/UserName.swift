public import CallControl

/// The name of a presentity: a user of the Store (`alice`), or an ownerless device's first directory number (`1001`),
/// which counts as a user of its own so that presence works with auto-registered phones (docs/presence.md).
///
/// Names are one namespace and are compared exactly: the host passes the Store's spelling.
public struct UserName: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The presentity an ownerless device counts as: named by its first line's directory number.
    public init(deviceNumber number: DirectoryNumber) { self.rawValue = number.rawValue }

    public var description: String { rawValue }

    public static func < (lhs: UserName, rhs: UserName) -> Bool { lhs.rawValue < rhs.rawValue }
}
