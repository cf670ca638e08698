public import Certificates
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import NIOSSL

/// Puts TLS in front of the plain SCCP pipeline: the same session code serves port 2000 and, through this
/// decorator, port 2443 (style.md §4; modelled on Hummingbird's `TLSChannel`).
///
/// The lead wires it as a second `SCCPListener` whose session initializer is wrapped:
///
/// ```swift
/// let authority = try CertificateAuthority.loadOrCreate(in: dataDirectory, configuration: …)
/// let tls = try TLSChannelDecorator(authority: authority, configuration: TLSListenerConfiguration(), logger: logger)
/// let sccps = SCCPListener(
///     configuration: .init(host: bindAddress, port: 2443), group: ioGroup, logger: logger,
///     sessionInitializer: tls.wrap { channel in try sessionInitializer.initialize(channel) })
/// ```
///
/// `SCCPListener` adds the frame codec before it calls the session initializer, so the wrapped initializer
/// inserts the TLS handlers at the *front* of the pipeline (`position: .first`). The child pipeline then reads:
///
/// ```
/// NIOSSLServerHandler → TLSHandshakeHandler → ByteToMessageHandler(SkinnyFrameDecoder)
///   → TLSDeviceIdentityHandler → [the connection guard, the session initializer's handlers]
/// ```
///
/// `TLSDeviceIdentityHandler` reads decoded frames, so it goes right after the frame decoder; it writes its
/// RegisterReject encoded (outbound, the SCCP pipeline carries bytes). It is added when client certificates are
/// asked for or some device requires one.
public struct TLSChannelDecorator: Sendable {
    /// Counters since the decorator was made, across every connection it set up.
    public struct Statistics: Hashable, Sendable {
        /// Handshakes that completed.
        public var handshakesCompleted = 0
        /// Connections closed because the handshake missed its deadline.
        public var handshakeTimeouts = 0
        /// Handshakes that failed: bad or missing client certificate, no common cipher, not TLS at all.
        public var handshakeFailures = 0
        /// Registrations refused because the client certificate's CN is not the device's name, or a device that
        /// requires a certificate came without one.
        public var identityRejections = 0

        public init() {}
    }

    /// The server context: certificate chain, key, client-certificate policy.
    public let sslContext: NIOSSLContext
    /// The listener's TLS settings.
    public let configuration: TLSListenerConfiguration
    private let identityCheck: TLSDeviceIdentityCheck
    private let logger: Logger
    private let counters: TLSCounters

    /// A decorator presenting `authority.server` and verifying client certificates against the Strowger CA.
    ///
    /// - Parameter requiresClientCertificate: whether the device with this name must prove its name with a client
    ///   certificate (the per-device mutual TLS setting). Called on the connection's event loop when Register
    ///   arrives, so it must answer from memory without blocking.
    public init(
        authority: CertificateAuthority,
        configuration: TLSListenerConfiguration = TLSListenerConfiguration(),
        logger: Logger,
        requiresClientCertificate: @escaping @Sendable (String) -> Bool = { _ in false }
    ) throws {
        try self.init(
            credentials: authority.server,
            clientCertificateAuthorityPEM: authority.certificatePEM,
            configuration: configuration,
            logger: logger,
            requiresClientCertificate: requiresClientCertificate
        )
    }

    /// A decorator presenting `credentials` and verifying client certificates against the CA certificates in
    /// `clientCertificateAuthorityPEM`.
    public init(
        credentials: ServerCredentials,
        clientCertificateAuthorityPEM: String,
        configuration: TLSListenerConfiguration = TLSListenerConfiguration(),
        logger: Logger,
        requiresClientCertificate: @escaping @Sendable (String) -> Bool = { _ in false }
    ) throws {
        let context = try Self.makeServerContext(
            credentials: credentials,
            clientCertificateAuthorityPEM: clientCertificateAuthorityPEM,
            configuration: configuration
        )
        self.init(
            sslContext: context,
            configuration: configuration,
            logger: logger,
            requiresClientCertificate: requiresClientCertificate
        )
    }

    /// A decorator with a ready-made context; `configuration.clientAuthentication` should say what the context
    /// asks of clients.
    public init(
        sslContext: NIOSSLContext,
        configuration: TLSListenerConfiguration = TLSListenerConfiguration(),
        logger: Logger,
        requiresClientCertificate: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.sslContext = sslContext
        self.configuration = configuration
        self.logger = logger
        let counters = TLSCounters()
        self.counters = counters
        self.identityCheck = TLSDeviceIdentityCheck(
            requiresClientCertificate: requiresClientCertificate,
            logger: logger,
            counters: counters
        )
    }

    /// The NIOSSL server context for `credentials`, asking for client certificates as `configuration` says.
    public static func makeServerContext(
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
        switch configuration.clientAuthentication {
        case .none:
            tls.certificateVerification = .none
        case .optional, .required:
            let roots = try NIOSSLCertificate.fromPEMBytes(Array(clientCertificateAuthorityPEM.utf8))
            tls.trustRoots = .certificates(roots)
            // Tell clients which CA to pick a certificate from.
            tls.sendCANameList = true
            // No host name check: a server has no name to check a client's certificate against. The CN is
            // checked against the device name at Register instead.
            tls.certificateVerification =
                configuration.clientAuthentication == .required ? .noHostnameVerification : .optionalVerification
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// A snapshot of the counters.
    public func statistics() -> Statistics {
        self.counters.value.withLockedValue { $0 }
    }

    /// Wraps a plain SCCP session initializer: the result adds the TLS handlers at the front of the pipeline, runs
    /// `initializer`, and puts the device identity check right after the frame decoder. Pass it to an
    /// `SCCPListener` as its `sessionInitializer`.
    public func wrap(
        _ initializer: @escaping @Sendable (any Channel) throws -> Void
    ) -> @Sendable (any Channel) throws -> Void {
        let decorator = self
        return { channel in
            try decorator.addTLSHandlers(to: channel)
            try decorator.identityCheck.install(in: channel, around: initializer)
        }
    }

    /// Adds `NIOSSLServerHandler` and the handshake deadline at the front of `channel`'s pipeline, on its event
    /// loop. `wrap(_:)` calls this; use it directly for a pipeline that is not SCCP's.
    public func addTLSHandlers(to channel: any Channel) throws {
        let operations = channel.pipeline.syncOperations
        let sslHandler = NIOSSLServerHandler(context: self.sslContext)
        let handshakeHandler = TLSHandshakeHandler(
            timeout: self.configuration.handshakeTimeout,
            sslHandler: sslHandler,
            logger: self.logger,
            counters: self.counters
        )
        // Added in reverse, each at the front: the TLS handler must see the socket's bytes before anything else.
        try operations.addHandler(handshakeHandler, position: .first)
        try operations.addHandler(sslHandler, position: .first)
    }
}

/// The decorator's counters, shared by the handlers of every connection.
final class TLSCounters: Sendable {
    let value = NIOLockedValueBox(TLSChannelDecorator.Statistics())
}
