import NIOCore
import NIOHTTP1

/// HTTP provisioning's deadline for a whole request: once a connection is ready for a request (it opened, or the
/// previous response ended), the client has `deadline` to send the head and the body; otherwise it is closed.
///
/// The idle timeout alone is reset by every byte, so 512 connections that each sent one header line every 10 s kept
/// the listener full for as long as they liked (issue 13, slowloris on 6970). This deadline does not move.
///
/// It sits after the HTTP decoder (and `HTTPServerPipelineHandler`, which holds back a pipelined request until the
/// response before it is written), so it sees request parts in and response parts out.
final class HTTPRequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let deadline: TimeAmount
    private let onTimeout: () -> Void
    private var timer: Scheduled<Void>?
    /// Whether a whole request was read and its response has not ended yet.
    private var responding = false

    /// - Parameter onTimeout: called on the channel's loop when the deadline closes the connection.
    init(deadline: TimeAmount, onTimeout: @escaping () -> Void) {
        self.deadline = deadline
        self.onTimeout = onTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.arm(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = self.unwrapInboundIn(data) {
            // The request is complete in time: the response is not under the deadline.
            self.disarm()
            self.responding = true
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data), self.responding {
            // The connection is ready for its next request: a new deadline for it.
            self.responding = false
            if context.channel.isActive { self.arm(context: context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(context: ChannelHandlerContext) {
        self.disarm()
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(in: self.deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.onTimeout()
            context.close(promise: nil)
        }
    }

    private func disarm() {
        self.timer?.cancel()
        self.timer = nil
    }
}

@available(*, unavailable)
extension HTTPRequestDeadlineHandler: Sendable {}
