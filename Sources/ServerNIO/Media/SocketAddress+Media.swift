public import Media
public import NIOCore

extension MediaSocketAddress {
    /// The address of a NIO socket address; nil for Unix-domain addresses. Every received datagram's source is
    /// converted, so this reads the `sockaddr_in`/`sockaddr_in6` bytes rather than going through text: the port is
    /// at offset 2 and the IPv4 address at 4 (the IPv6 address at 8), in network byte order, on Linux and Darwin
    /// alike (POSIX `<netinet/in.h>` layouts).
    public init?(_ address: SocketAddress) {
        switch address {
        case .v4(let ipv4):
            let parsed: (UInt16, UInt32)? = withUnsafeBytes(of: ipv4.address) { bytes in
                guard bytes.count >= 8 else { return nil }
                let port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
                let host = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
                return (port, host)
            }
            guard let (port, host) = parsed else { return nil }
            self.init(host: .ipv4(host), port: port)
        case .v6(let ipv6):
            let parsed: (UInt16, UInt64, UInt64)? = withUnsafeBytes(of: ipv6.address) { bytes in
                guard bytes.count >= 24 else { return nil }
                let port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
                var high: UInt64 = 0
                var low: UInt64 = 0
                for index in 8..<16 { high = high << 8 | UInt64(bytes[index]) }
                for index in 16..<24 { low = low << 8 | UInt64(bytes[index]) }
                return (port, high, low)
            }
            guard let (port, high, low) = parsed else { return nil }
            self.init(host: .ipv6(high: high, low: low), port: port)
        case .unixDomainSocket:
            return nil
        }
    }
}

extension SocketAddress {
    /// The NIO address of a media endpoint.
    public init(_ address: MediaSocketAddress) throws {
        var packed = ByteBuffer()
        switch address.host {
        case .ipv4(let value):
            packed.writeInteger(value)
        case .ipv6(let high, let low):
            packed.writeInteger(high)
            packed.writeInteger(low)
        }
        self = try SocketAddress(packedIPAddress: packed, port: Int(address.port))
    }
}
