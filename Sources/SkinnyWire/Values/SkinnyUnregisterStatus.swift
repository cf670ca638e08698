/// The call manager's answer to Unregister (UnregisterAck.status; reference §6.14).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyUnregisterStatus: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Unregistered; the phone closes the connection.
    public static let ok = SkinnyUnregisterStatus(rawValue: 0)
    /// The call manager could not unregister the phone.
    public static let error = SkinnyUnregisterStatus(rawValue: 1)
    /// Refused because calls are active (call-flows §1).
    public static let notAcknowledged = SkinnyUnregisterStatus(rawValue: 2)
}
