import Certificates
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import SkinnyWire

/// Installs `TLSDeviceIdentityHandler` in SCCP pipelines: what ties a client certificate to the device that
/// registers over it.
///
/// `TLSChannelDecorator.wrap(_:)` uses it for port 2443. On the plain port 2000 (no certificates ever), use
/// `wrap(_:)` here too, so that a device that requires mutual TLS cannot fall back to plain SCCP:
///
/// ```swift
/// let identity = TLSDeviceIdentityCheck(requiresClientCertificate: { name in … }, logger: logger)
/// SCCPListener(…, sessionInitializer: identity.wrap { channel in try sessionInitializer.initialize(channel) })
/// ```
public struct TLSDeviceIdentityCheck: Sendable {
    private let requiresClientCertificate: @Sendable (String) -> Bool
    private let logger: Logger
    private let counters: TLSCounters

    /// - Parameter requiresClientCertificate: whether the device with this name must prove its name with a client
    ///   certificate. Called on the connection's event loop when Register arrives: answer from memory.
    public init(requiresClientCertificate: @escaping @Sendable (String) -> Bool, logger: Logger) {
        self.init(requiresClientCertificate: requiresClientCertificate, logger: logger, counters: TLSCounters())
    }

    init(requiresClientCertificate: @escaping @Sendable (String) -> Bool, logger: Logger, counters: TLSCounters) {
        self.requiresClientCertificate = requiresClientCertificate
        self.logger = logger
        self.counters = counters
    }

    /// Registrations this check refused (for a decorator's check, see `TLSChannelDecorator.statistics()`).
    public var identityRejections: Int {
        self.counters.value.withLockedValue { $0.identityRejections }
    }

    /// Wraps a plain SCCP session initializer: runs it and adds the identity handler right after the frame
    /// decoder.
    public func wrap(
        _ initializer: @escaping @Sendable (any Channel) throws -> Void
    ) -> @Sendable (any Channel) throws -> Void {
        let check = self
        return { channel in try check.install(in: channel, around: initializer) }
    }

    /// Adds the handler right after the frame decoder: before `initializer` runs when the codec is already there
    /// (as `SCCPListener` does it), else after, once `initializer` has added the codec.
    func install(in channel: any Channel, around initializer: (any Channel) throws -> Void) throws {
        let operations = channel.pipeline.syncOperations
        let handler = TLSDeviceIdentityHandler(
            requiresClientCertificate: self.requiresClientCertificate,
            logger: self.logger,
            counters: self.counters
        )
        if let decoder = try? operations.handler(type: ByteToMessageHandler<SkinnyFrameDecoder>.self) {
            try operations.addHandler(handler, position: .after(decoder))
            try initializer(channel)
        } else {
            try initializer(channel)
            let decoder = try operations.handler(type: ByteToMessageHandler<SkinnyFrameDecoder>.self)
            try operations.addHandler(handler, position: .after(decoder))
        }
    }
}

/// Checks the first Register of a connection against the client certificate: a certificate's CN must be the
/// device name, and a device that requires a certificate must have come with one. A Register that fails gets
/// RegisterReject and the connection is closed, before the session or CallControl ever sees it.
///
/// It reads frames, so it sits right after the frame decoder; it writes its RegisterReject encoded (the server's
/// SCCP pipeline carries bytes outbound: sessions encode their own frames). Once a Register passed, it removes
/// itself: a second Register on one connection is the session's protocol violation anyway.
final class TLSDeviceIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = SkinnyFrame
    typealias InboundOut = SkinnyFrame
    typealias OutboundOut = ByteBuffer

    private let requiresClientCertificate: @Sendable (String) -> Bool
    private let logger: Logger
    private let counters: TLSCounters
    /// The verified certificate's CN, once the handshake has reported it.
    private var peerCommonName: String?
    private var rejected = false

    init(requiresClientCertificate: @escaping @Sendable (String) -> Bool, logger: Logger, counters: TLSCounters) {
        self.requiresClientCertificate = requiresClientCertificate
        self.logger = logger
        self.counters = counters
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let identity = event as? TLSPeerIdentity {
            self.peerCommonName = identity.commonName
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.rejected else { return }
        let frame = self.unwrapInboundIn(data)
        guard frame.id == .register else {
            // KeepAlive or junk before Register: the session decides.
            context.fireChannelRead(data)
            return
        }
        let register = SkinnyMessage.Register(from: SkinnyBodyReader(frame.body), version: .v3)
        if let reason = self.refusal(deviceName: register.deviceName) {
            self.reject(register, reason: reason, context: context)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Why `deviceName` may not register on this connection: the log's reason and RegisterReject's text (at most
    /// 32 bytes); nil if it may.
    private func refusal(deviceName: String) -> (reason: String, text: String)? {
        if let commonName = self.peerCommonName {
            guard DeviceCertificate.commonName(commonName, matchesDeviceName: deviceName) else {
                return ("the client certificate is for \(commonName)", "Certificate mismatch")
            }
            return nil
        }
        guard self.requiresClientCertificate(deviceName) else { return nil }
        return ("the device requires a client certificate", "Certificate required")
    }

    private func reject(
        _ register: SkinnyMessage.Register,
        reason: (reason: String, text: String),
        context: ChannelHandlerContext
    ) {
        self.rejected = true
        self.counters.value.withLockedValue { $0.identityRejections += 1 }
        self.logger.info(
            "SCCPS registration refused",
            metadata: [
                "device.name": "\(register.deviceName)", "reason": "\(reason.reason)",
                "sccp.peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")",
            ]
        )
        context.fireUserInboundEventTriggered(TLSDeviceIdentityRejection(deviceName: register.deviceName))
        let version = SkinnyProtocolVersion.negotiate(offered: register.protocolVersion)
        var bytes = context.channel.allocator.buffer(capacity: 64)
        bytes.writeSkinnyMessage(SkinnyMessage.RegisterReject(text: reason.text), version: version)
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(bytes)).whenComplete { _ in channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension TLSDeviceIdentityHandler: Sendable {}

/// A Register refused for its client certificate: fired as a user inbound event by `TLSDeviceIdentityHandler`
/// before it answers RegisterReject and closes, so that the connection's guard counts it against the listener.
public struct TLSDeviceIdentityRejection: Hashable, Sendable {
    /// The name the device registered with.
    public var deviceName: String

    public init(deviceName: String) {
        self.deviceName = deviceName
    }
}
