/// An IP address and UDP port, as the engine compares and reports them: the local end of a media stream (what the
/// call core puts in StartMediaTransmission or SDP) and the remote end (what the phone answered in
/// OpenReceiveChannelAck). No sockets here; the NIO part converts to and from its own address type.
public struct MediaSocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host part.
    public enum Host: Hashable, Sendable {
        /// An IPv4 address with the first octet in the most significant byte: 10.0.0.1 is `0x0A00_0001`.
        case ipv4(UInt32)
        /// An IPv6 address as two 64-bit halves, the first eight octets in `high`.
        case ipv6(high: UInt64, low: UInt64)
    }

    public var host: Host
    public var port: UInt16

    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses dotted-quad IPv4 (`"192.0.2.10"`); nil for anything else.
    public init?(ipv4 text: String, port: UInt16) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.init(host: .ipv4(value), port: port)
    }

    public var description: String {
        switch self.host {
        case .ipv4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF):\(self.port)"
        case .ipv6(let high, let low):
            let groups = [high >> 48, high >> 32, high >> 16, high, low >> 48, low >> 32, low >> 16, low]
            return "[" + groups.map { String($0 & 0xFFFF, radix: 16) }.joined(separator: ":") + "]:\(self.port)"
        }
    }
}
