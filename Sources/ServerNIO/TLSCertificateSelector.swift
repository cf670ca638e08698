public import NIOCore
public import NIOSSL

/// The first handler of a TLS connection that has more than one server certificate: it holds the client's first
/// bytes until the first TLS record is complete (at most ``TLSClientHello/maximumRecordBytes``), reads the
/// ClientHello, adds a `NIOSSLServerHandler` with the context ``TLSServerContexts/context(for:)`` picks right after
/// itself, hands it the bytes, and removes itself.
///
/// It buffers one record at most and adds no deadline of its own: the handshake deadline
/// (``TLSListenerConfiguration/handshakeTimeout``) starts at accept and covers the wait.
public final class TLSCertificateSelector: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let contexts: TLSServerContexts
    private let makeHandler: (NIOSSLContext) -> NIOSSLServerHandler
    private var buffered: ByteBuffer?
    private var decided = false

    /// - Parameter makeHandler: the TLS handler for the chosen context (with a custom verification callback, say);
    ///   by default a plain `NIOSSLServerHandler`.
    public init(
        contexts: TLSServerContexts,
        makeHandler: @escaping (NIOSSLContext) -> NIOSSLServerHandler = { NIOSSLServerHandler(context: $0) }
    ) {
        self.contexts = contexts
        self.makeHandler = makeHandler
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        guard !self.decided else {
            context.fireChannelRead(data)
            return
        }
        if var buffered = self.buffered {
            buffered.writeBuffer(&bytes)
            self.buffered = buffered
        } else {
            self.buffered = bytes
        }
        guard let buffered = self.buffered else { return }
        let hello: TLSClientHello?
        switch TLSClientHello.parse(buffered) {
        case .needMoreData:
            // parse() decides once a whole record of at most maximumRecordBytes is in, and says notClientHello for a
            // longer one: the buffer cannot grow past that.
            return
        case .notClientHello:
            hello = nil
        case .clientHello(let parsed):
            hello = parsed
        }
        self.decided = true
        self.buffered = nil
        let handler = self.makeHandler(self.contexts.context(for: hello))
        do {
            try context.pipeline.syncOperations.addHandler(handler, position: .after(self))
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(self.wrapInboundOut(buffered))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if self.decided { context.fireChannelReadComplete() }
    }
}

@available(*, unavailable)
extension TLSCertificateSelector: Sendable {}
