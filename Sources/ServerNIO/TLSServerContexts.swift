public import Certificates
public import NIOSSL

/// The TLS server contexts of one listener: one per server certificate (ECDSA first, then RSA), with the same
/// client-certificate policy, and the choice between them for each handshake.
///
/// Any TLS listener can use it (SCCPS on 2443, later SIP over TLS on 5061): build it from
/// `CertificateAuthority.serverCredentials`, then put a ``TLSCertificateSelector`` in front of the pipeline, or
/// call ``context(for:)`` with a parsed ``TLSClientHello``.
///
/// Versions and suites:
///
/// | context | TLS versions | cipher suites |
/// |---|---|---|
/// | ECDSA | `minimumTLSVersion` (1.2) to 1.3 | BoringSSL's defaults for an ECDSA key |
/// | RSA | 1.2 and 1.3 | ECDHE-RSA with AES-GCM or ChaCha20, and the RSA key exchange with AES-GCM |
/// | RSA with `allowsLegacyTLS` | 1.0 to 1.3 | the above, plus the CBC suites of TLS 1.0: AES128-SHA and AES256-SHA (RSA key exchange, what 79x0 firmware offers) and their ECDHE-RSA forms |
public struct TLSServerContexts: Sendable {
    /// The contexts in order of preference, with the key type of their certificate.
    public let contexts: [(keyType: ServerCredentials.KeyType, context: NIOSSLContext)]

    /// The RSA suites for TLS 1.2 and later: forward-secret ECDHE first, then the plain RSA key exchange with AEAD
    /// for clients without ECDHE. BoringSSL names.
    public static let rsaCipherSuites = [
        "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
        "AES128-GCM-SHA256", "AES256-GCM-SHA384",
    ]
    /// Added with `allowsLegacyTLS`: CBC suites with SHA-1 MACs, the only ones TLS 1.0 has. Weaker (no AEAD, and
    /// AES128-SHA has no forward secrecy), which is why they are off unless asked for.
    public static let legacyRSACipherSuites = [
        "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "AES128-SHA", "AES256-SHA",
    ]

    /// Contexts for `credentials` (best first), verifying client certificates against `clientCertificateAuthorityPEM`
    /// as `configuration` says.
    public init(
        credentials: [ServerCredentials],
        clientCertificateAuthorityPEM: String,
        configuration: TLSListenerConfiguration
    ) throws {
        precondition(!credentials.isEmpty, "a TLS listener needs at least one server certificate")
        self.contexts = try credentials.map { credentials in
            (
                credentials.keyType,
                try Self.makeContext(
                    credentials: credentials,
                    clientCertificateAuthorityPEM: clientCertificateAuthorityPEM,
                    configuration: configuration
                )
            )
        }
    }

    /// The context for a client that sent `hello` (nil: it sent something that is not a ClientHello, so the first
    /// context answers and the handshake fails there): the first ECDSA context if the client accepts ECDSA P-256,
    /// otherwise the first RSA context, otherwise the first.
    public func context(for hello: TLSClientHello?) -> NIOSSLContext {
        let first = self.contexts[0].context
        guard let hello else { return first }
        if hello.acceptsECDSAP256, let ecdsa = self.contexts.first(where: { $0.keyType == .ecdsa }) {
            return ecdsa.context
        }
        return self.contexts.first(where: { $0.keyType == .rsa })?.context ?? first
    }

    /// Whether there is a choice to make (more than one context).
    public var selectsPerHandshake: Bool { self.contexts.count > 1 }

    /// One server context for `credentials`.
    public static func makeContext(
        credentials: ServerCredentials,
        clientCertificateAuthorityPEM: String,
        configuration: TLSListenerConfiguration
    ) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(credentials.certificateChainPEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(credentials.privateKeyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        tls.minimumTLSVersion = configuration.minimumTLSVersion
        if credentials.keyType == .rsa {
            var suites = Self.rsaCipherSuites
            if configuration.allowsLegacyTLS {
                tls.minimumTLSVersion = .tlsv1
                suites += Self.legacyRSACipherSuites
            }
            tls.cipherSuites = suites.joined(separator: ":")
        }
        switch configuration.clientAuthentication {
        case .none:
            tls.certificateVerification = .none
        case .optional, .required, .opportunistic:
            let roots = try NIOSSLCertificate.fromPEMBytes(Array(clientCertificateAuthorityPEM.utf8))
            tls.trustRoots = .certificates(roots)
            // Tell clients which CA to pick a certificate from.
            tls.sendCANameList = true
            // No host name check: a server has no name to check a client's certificate against. The CN is
            // checked against the device name at Register instead.
            // With `.opportunistic` the TLS handler's custom verification callback decides instead of these roots
            // (TLSChannelDecorator.makeServerHandler).
            tls.certificateVerification =
                configuration.clientAuthentication == .required ? .noHostnameVerification : .optionalVerification
        }
        return try NIOSSLContext(configuration: tls)
    }
}
