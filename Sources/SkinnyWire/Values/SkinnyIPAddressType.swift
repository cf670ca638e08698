/// An IP address family (OpenReceiveChannel.requestedIpAddrType and the `ipAddrType` word of v17 address blocks;
/// reference §6.13).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyIPAddressType: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// IPv4.
    public static let ipv4 = SkinnyIPAddressType(rawValue: 0)
    /// IPv6.
    public static let ipv6 = SkinnyIPAddressType(rawValue: 1)
    /// IPv4 and IPv6.
    public static let ipv4AndIPv6 = SkinnyIPAddressType(rawValue: 2)
    /// Not valid.
    public static let invalid = SkinnyIPAddressType(rawValue: 3)
}
