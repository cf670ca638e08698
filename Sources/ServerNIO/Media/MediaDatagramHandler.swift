import Media
import NIOCore

/// Hands every datagram of one media socket to the engine, on the engine's event loop. Thin: the engine checks the
/// source, parses and counts (``MediaEngine/datagramReceived(on:from:datagram:now:)``).
final class MediaDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// Whose socket this is; nil for the shared streaming socket, which takes nothing in.
    private let leg: MediaLegID?
    private let state: MediaServer.LoopState

    init(leg: MediaLegID?, state: MediaServer.LoopState) {
        self.leg = leg
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        guard let leg = self.leg, let source = MediaSocketAddress(envelope.remoteAddress) else {
            self.state.engine.datagramReceivedOnStreamingSocket()
            return
        }
        self.state.engine.datagramReceived(
            on: leg,
            from: source,
            datagram: envelope.data,
            now: NIODeadline.now().uptimeNanoseconds
        )
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A send to a closed port can come back as an error on some systems; the socket stays usable and the
        // stream goes on. Counted, not fatal.
        self.state.socketErrors += 1
    }
}

@available(*, unavailable)
extension MediaDatagramHandler: Sendable {}
