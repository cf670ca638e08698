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
/// [TLSCertificateSelector →] NIOSSLServerHandler → TLSHandshakeHandler → ByteToMessageHandler(SkinnyFrameDecoder)
///   → MessageToByteHandler(SkinnyFrameEncoder) → TLSDeviceIdentityHandler → [session initializer's handlers]
/// ```
///
/// `TLSDeviceIdentityHandler` works on frames, so it goes right after the frame encoder: it reads decoded frames
/// and writes a RegisterReject frame that the encoder (before it) turns into bytes. It is added when client
/// certificates are asked for or some device requires one.
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

    /// The server contexts: one per server certificate (ECDSA, and RSA for clients that speak RSA only), each with
    /// the client-certificate policy.
    public let contexts: TLSServerContexts
    /// The first (preferred) context; the only one when there is a single certificate.
    public var sslContext: NIOSSLContext { self.contexts.contexts[0].context }
    /// The listener's TLS settings.
    public let configuration: TLSListenerConfiguration
    private let identityCheck: TLSDeviceIdentityCheck
    /// Decides, with `.opportunistic` client authentication, whether a client certificate names its device.
    private let clientCertificateVerifier: ClientCertificateVerifier?
    private let logger: Logger
    private let counters: TLSCounters

    /// A decorator presenting `authority`'s server certificates (`serverCredentials`: the ECDSA one, and the RSA one
    /// when there is one, chosen per handshake) and verifying client certificates against the Strowger CA.
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
        let contexts = try TLSServerContexts(
            credentials: authority.serverCredentials,
            clientCertificateAuthorityPEM: authority.certificatePEM,
            configuration: configuration
        )
        self.init(
            contexts: contexts,
            configuration: configuration,
            clientCertificateVerifier: try ClientCertificateVerifier(authorityPEM: authority.certificatePEM),
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
        let contexts = try TLSServerContexts(
            credentials: [credentials],
            clientCertificateAuthorityPEM: clientCertificateAuthorityPEM,
            configuration: configuration
        )
        self.init(
            contexts: contexts,
            configuration: configuration,
            clientCertificateVerifier: try ClientCertificateVerifier(authorityPEM: clientCertificateAuthorityPEM),
            logger: logger,
            requiresClientCertificate: requiresClientCertificate
        )
    }

    /// A decorator with ready-made contexts; `configuration.clientAuthentication` should say what they ask of
    /// clients. With `.opportunistic`, `clientCertificateVerifier` says which client certificates name their device
    /// (none without it).
    public init(
        contexts: TLSServerContexts,
        configuration: TLSListenerConfiguration = TLSListenerConfiguration(),
        clientCertificateVerifier: ClientCertificateVerifier? = nil,
        logger: Logger,
        requiresClientCertificate: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.contexts = contexts
        self.configuration = configuration
        self.clientCertificateVerifier = clientCertificateVerifier
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
        try TLSServerContexts.makeContext(
            credentials: credentials,
            clientCertificateAuthorityPEM: clientCertificateAuthorityPEM,
            configuration: configuration
        )
    }

    /// A snapshot of the counters.
    public func statistics() -> Statistics {
        self.counters.value.withLockedValue { $0 }
    }

    /// Wraps a plain SCCP session initializer: the result adds the TLS handlers at the front of the pipeline, runs
    /// `initializer`, and puts the device identity check right after the frame encoder. Pass it to an
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

    /// Adds the TLS handler and the handshake deadline at the front of `channel`'s pipeline, on its event loop.
    /// With one server certificate that is a `NIOSSLServerHandler`; with several, a ``TLSCertificateSelector`` that
    /// puts the right `NIOSSLServerHandler` in its place once the ClientHello is in. `wrap(_:)` calls this; use it
    /// directly for a pipeline that is not SCCP's.
    public func addTLSHandlers(to channel: any Channel) throws {
        let operations = channel.pipeline.syncOperations
        let verdict = self.configuration.clientAuthentication == .opportunistic ? TLSClientCertificateVerdict() : nil
        let handshakeHandler = TLSHandshakeHandler(
            timeout: self.configuration.handshakeTimeout,
            logger: self.logger,
            counters: self.counters,
            verdict: verdict
        )
        let makeHandler = { [verifier = self.clientCertificateVerifier] (context: NIOSSLContext) in
            Self.makeServerHandler(context: context, verdict: verdict, verifier: verifier)
        }
        // Added in reverse, each at the front: the TLS handler must see the socket's bytes before anything else.
        try operations.addHandler(handshakeHandler, position: .first)
        if self.contexts.selectsPerHandshake {
            try operations.addHandler(
                TLSCertificateSelector(contexts: self.contexts, makeHandler: makeHandler),
                position: .first
            )
        } else {
            try operations.addHandler(makeHandler(self.sslContext), position: .first)
        }
    }

    /// The TLS handler: plain, or with `.opportunistic` one whose verification accepts any client certificate (the
    /// TLS handshake still proves the client holds its key) and records in `verdict` whether the Strowger CA issued
    /// it, which alone lets its CN name a device.
    static func makeServerHandler(
        context: NIOSSLContext,
        verdict: TLSClientCertificateVerdict?,
        verifier: ClientCertificateVerifier?
    ) -> NIOSSLServerHandler {
        guard let verdict else { return NIOSSLServerHandler(context: context) }
        let callback: NIOSSLCustomVerificationCallback = { certificates, promise in
            let der = certificates.first.flatMap { try? $0.toDERBytes() }
            verdict.issuedByTheCA = der.map { verifier?.verifies(derEncoded: $0) ?? false } ?? false
            promise.succeed(.certificateVerified)
        }
        return NIOSSLServerHandler(context: context, customVerificationCallback: callback)
    }
}

/// Whether one connection's client certificate was issued by the Strowger CA (`.opportunistic` client
/// authentication): set by the TLS handler's verification callback, read by `TLSHandshakeHandler` when the handshake
/// completes; both on the connection's event loop.
final class TLSClientCertificateVerdict {
    var issuedByTheCA = false
}

@available(*, unavailable)
extension TLSClientCertificateVerdict: Sendable {}

/// The decorator's counters, shared by the handlers of every connection.
final class TLSCounters: Sendable {
    let value = NIOLockedValueBox(TLSChannelDecorator.Statistics())
}
