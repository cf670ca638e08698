import NIOCore
import SIPSession
import SIPWire

/// The UDP socket's handler: every datagram goes to the core (on the same event loop), which checks the guards
/// before parsing.
final class SIPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let core: NIOLoopBoundBox<SIPCore>

    init(core: NIOLoopBoundBox<SIPCore>) {
        self.core = core
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        core.value.datagramReceived(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP error reported on the socket, a failed read: counted and survived.
        core.value.socketError()
    }
}

@available(*, unavailable)
extension SIPDatagramHandler: Sendable {}

/// One TCP or TLS connection: framed messages to the core, with a message ceiling and an idle deadline. A stream
/// that stops framing is answered 400 when the error allows and closed.
final class SIPStreamHandler: ChannelInboundHandler {
    typealias InboundIn = SIPStreamItem
    typealias OutboundOut = ByteBuffer

    private let transport: SIPTransport
    private let handle: SIPCoreHandle
    private let listenerGuard: ListenerGuard
    private var messages: SlidingWindowCounter
    private var ceiling: RateLimit
    private let trunkCeiling: RateLimit
    private let isTrunkSource: @Sendable (SourceAddress) -> Bool
    private var peer: SIPPeer?

    /// Adds the framing decoder (with the size cap), the idle deadline and the handler.
    static func addHandlers(
        to channel: any Channel,
        transport: SIPTransport,
        guards: SIPGuardConfiguration,
        handle: SIPCoreHandle,
        listenerGuard: ListenerGuard,
        isTrunkSource: @escaping @Sendable (SourceAddress) -> Bool,
        peer: SIPPeer? = nil
    ) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(
            ByteToMessageHandler(
                SIPMessageDecoder(maximumMessageSize: guards.maximumMessageSize),
                maximumBufferSize: guards.maximumMessageSize + 4_096
            )
        )
        try operations.addHandler(IdleStateHandler(readTimeout: guards.idleTimeout))
        try operations.addHandler(
            SIPStreamHandler(
                transport: transport,
                handle: handle,
                listenerGuard: listenerGuard,
                ceiling: guards.messageCeiling,
                trunkCeiling: guards.trunkDatagramRate,
                isTrunkSource: isTrunkSource,
                peer: peer
            )
        )
    }

    init(
        transport: SIPTransport,
        handle: SIPCoreHandle,
        listenerGuard: ListenerGuard,
        ceiling: RateLimit,
        trunkCeiling: RateLimit,
        isTrunkSource: @escaping @Sendable (SourceAddress) -> Bool,
        peer: SIPPeer?
    ) {
        self.transport = transport
        self.handle = handle
        self.listenerGuard = listenerGuard
        self.ceiling = ceiling
        self.trunkCeiling = trunkCeiling
        self.isTrunkSource = isTrunkSource
        self.messages = SlidingWindowCounter(window: ceiling.window)
        self.peer = peer
    }

    func channelActive(context: ChannelHandlerContext) {
        if isTrunkSource(SourceAddress(context.channel.remoteAddress)) {
            // A trunk carries many calls on one connection.
            ceiling = trunkCeiling
            messages = SlidingWindowCounter(window: trunkCeiling.window)
        }
        if peer == nil, let remote = context.channel.remoteAddress {
            // An inbound connection is known by the address and port it came from: replies go back on it.
            peer = SIPPeer(transport: transport, host: SourceAddress(remote).description, port: remote.port ?? 0)
        }
        if let peer { handle.connectionOpened(peer, context.channel) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let peer { handle.connectionClosed(peer, context.channel) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let peer else { return }
        if messages.record(now: .now()) > ceiling.events {
            listenerGuard.reject(.messageRateExceeded, source: SourceAddress(context.channel.remoteAddress))
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .message(let message):
            handle.received(message, from: peer)
        case .malformed(let error):
            handle.malformed(error, from: peer)
        case .keepAlivePing:
            // RFC 5626 §3.5.1: the pong is one CRLF.
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "\r\n")), promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let source = SourceAddress(context.channel.remoteAddress)
        if let parseError = error as? SIPParseError {
            if let reply = parseError.reply, reply.method != .ack {
                let response = SIPResponse(
                    replyingTo: reply,
                    statusCode: parseError.statusCode,
                    reasonPhrase: parseError.reasonPhrase
                )
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: response.serialized())), promise: nil)
            }
            listenerGuard.reject(.malformedFrame, source: source)
        }
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension SIPStreamHandler: Sendable {}
