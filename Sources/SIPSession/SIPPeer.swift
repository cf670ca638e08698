/// A SIP transport (RFC 3261 §18).
public enum SIPTransport: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case udp
    case tcp
    case tls

    /// TCP and TLS deliver reliably: no retransmissions, timers D, I, J and K are zero (RFC 3261 §17).
    public var isReliable: Bool { self != .udp }

    /// The Via transport token.
    public var viaToken: String { rawValue.uppercased() }

    /// The default port: 5060, or 5061 for TLS (RFC 3261 §19.1.2).
    public var defaultPort: Int { self == .tls ? 5061 : 5060 }

    public var description: String { rawValue }

    /// The transport a Via token names, if Strowger speaks it.
    public init?(viaToken: String) {
        self.init(rawValue: viaToken.lowercased())
    }
}

/// Where a message comes from or goes to: the transport and the peer's address. For a stream transport the host
/// and port name the connection (the host layer keeps one per peer and reuses an inbound one for replies).
public struct SIPPeer: Hashable, Sendable, CustomStringConvertible {
    public var transport: SIPTransport
    /// An IP address literal (inbound) or a host name to resolve (outbound to a trunk).
    public var host: String
    public var port: Int

    public init(transport: SIPTransport, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    public var description: String { "\(transport)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

/// How Strowger appears in the messages it builds: the host and port in its Via and Contact headers, per
/// transport, and its User-Agent.
public struct SIPLocalIdentity: Hashable, Sendable {
    /// The address peers reach Strowger at (never the wildcard 0.0.0.0).
    public var host: String
    /// The listening port of each transport that is enabled.
    public var ports: [SIPTransport: Int]
    /// `User-Agent` and `Server` header value.
    public var userAgent: String

    public init(host: String, ports: [SIPTransport: Int], userAgent: String = "Strowger") {
        self.host = host
        self.ports = ports
        self.userAgent = userAgent
    }

    public func port(for transport: SIPTransport) -> Int {
        ports[transport] ?? transport.defaultPort
    }

    /// `host:port` for `transport`, bracketing an IPv6 address.
    public func hostPort(for transport: SIPTransport) -> String {
        let host = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        return "\(host):\(port(for: transport))"
    }
}
