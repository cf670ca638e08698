public import NIOCore
public import NIOSSL

/// How the SCCPS (TLS) listener handles handshakes and client certificates.
public struct TLSListenerConfiguration: Sendable {
    /// Whether clients must prove who they are with a certificate issued by the Strowger CA.
    public enum ClientAuthentication: Hashable, Sendable {
        /// No client certificate is asked for: TLS protects the connection, registration works as on port 2000.
        /// Devices that must use mutual TLS (see `TLSDeviceIdentityCheck`) cannot register.
        case none
        /// A client certificate is asked for; one that is presented must verify against the CA (else the handshake
        /// fails), and its CN must match the device name in Register. Clients without one may connect, unless
        /// their device is set to require a certificate.
        case optional
        /// Every client must present a certificate that verifies against the CA; the handshake fails without one.
        case required
        /// A client certificate is asked for, and one that verifies against the CA names the device (its CN must
        /// match Register's name) as with `optional`; but a certificate from elsewhere does not fail the handshake:
        /// it is taken as no certificate. Cisco phones in a secure mode present their manufacturer certificate (MIC,
        /// from Cisco's CA) or a CUCM-issued LSC whatever CA the server names; with `optional` their handshake would
        /// fail. What `strowger serve` uses.
        case opportunistic
    }

    /// Client certificates; `.none` by default.
    public var clientAuthentication: ClientAuthentication
    /// How long a client has from accept to a completed handshake before it is closed. A scanner that opens
    /// connections and sends nothing holds a socket this long at most (design.md: every wait on a peer has a
    /// deadline); the connection counts against the unregistered-connection limits meanwhile, as on port 2000.
    public var handshakeTimeout: TimeAmount
    /// The oldest TLS version accepted. TLS 1.2: older versions have known weaknesses; phones that only speak
    /// TLS 1.0 need this lowered (docs/tls.md).
    public var minimumTLSVersion: TLSVersion
    /// Whether the RSA certificate also serves TLS 1.0 and 1.1 with the CBC suites of TLS 1.0 (AES128-SHA and
    /// friends), as Cisco 79x0 firmware needs (`strowger serve --tls-legacy`). Off by default: those versions and
    /// suites are weaker (no AEAD, SHA-1 MACs, and without ECDHE no forward secrecy). The ECDSA certificate keeps
    /// `minimumTLSVersion`.
    public var allowsLegacyTLS: Bool

    public init(
        clientAuthentication: ClientAuthentication = .none,
        handshakeTimeout: TimeAmount = .seconds(10),
        minimumTLSVersion: TLSVersion = .tlsv12,
        allowsLegacyTLS: Bool = false
    ) {
        self.clientAuthentication = clientAuthentication
        self.handshakeTimeout = handshakeTimeout
        self.minimumTLSVersion = minimumTLSVersion
        self.allowsLegacyTLS = allowsLegacyTLS
    }
}
