/// An IP address inside an SCCP body.
///
/// Below v17 an address is 4 bytes in network byte order; from v17 it is a block of `u32 ipAddrType` (0 IPv4,
/// 1 IPv6) and 16 bytes (reference §3).
public enum SkinnyIPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address as a host-order integer: 10.0.0.1 is 0x0A000001.
    case ipv4(UInt32)
    /// An IPv6 address as its 16 bytes.
    case ipv6([UInt8])

    /// `ipAddrType` 0: IPv4 (reference §6.13).
    public static let typeIPv4: UInt32 = 0
    /// `ipAddrType` 1: IPv6 (reference §6.13).
    public static let typeIPv6: UInt32 = 1

    /// 0.0.0.0, what an absent address decodes to.
    public static let unspecified = SkinnyIPAddress.ipv4(0)

    /// Makes an IPv4 address from its four dotted parts.
    public static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> SkinnyIPAddress {
        .ipv4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// Parses dotted-quad IPv4 text such as "127.0.0.1".
    public init?(ipv4String text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        self = .ipv4(value)
    }

    /// The IPv4 value, or 0 for an IPv6 address (which a v16 or older phone cannot be sent).
    public var ipv4Value: UInt32 {
        switch self {
        case .ipv4(let value): value
        case .ipv6: 0
        }
    }

    public var description: String {
        switch self {
        case .ipv4(let value):
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        case .ipv6(let bytes):
            var groups: [String] = []
            var index = 0
            while index + 1 < bytes.count {
                groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
                index += 2
            }
            return groups.joined(separator: ":")
        }
    }
}
