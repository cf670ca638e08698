public import Media
public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension MediaSocketAddress {
    /// The address of a NIO socket address, read from the `sockaddr` without going through text (every received
    /// datagram's source is converted); nil for Unix-domain addresses.
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let ipv4):
            let raw = ipv4.address
            self.init(host: .ipv4(UInt32(bigEndian: raw.sin_addr.s_addr)), port: UInt16(bigEndian: raw.sin_port))
        case .v6(let ipv6):
            let raw = ipv6.address
            var high: UInt64 = 0
            var low: UInt64 = 0
            withUnsafeBytes(of: raw.sin6_addr) { bytes in
                for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
            }
            self.init(host: .ipv6(high: high, low: low), port: UInt16(bigEndian: raw.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }
}

extension SocketAddress {
    /// The NIO address of a media endpoint.
    public init(_ address: MediaSocketAddress) throws {
        switch address.host {
        case .ipv4(let value):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = address.port.bigEndian
            raw.sin_addr.s_addr = value.bigEndian
            self.init(raw, host: "")
        case .ipv6:
            // Rare on SCCP; through text rather than filling sockaddr_in6 field by field.
            let text = address.description
            guard let close = text.lastIndex(of: "]") else { throw MediaAddressError(address: address) }
            let host = String(text[text.index(after: text.startIndex)..<close])
            self = try SocketAddress(ipAddress: host, port: Int(address.port))
        }
    }
}

/// An endpoint that cannot be turned into a socket address.
public struct MediaAddressError: Error, CustomStringConvertible {
    public let address: MediaSocketAddress
    public var description: String { "cannot send to \(self.address)" }
}
