import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// The admin server's deadline for a whole request: from the moment the connection is ready for a request (it
/// opened, or the previous response ended) the client has `deadline` to send its head and its body; otherwise the
/// connection is closed.
///
/// Hummingbird's idle timeout counts from the last HTTP part read, so a client that drips a body one byte at a time
/// keeps its connection, and a slot of the connection cap, for as long as it likes (issue 13's slowloris on the
/// admin port). The response is not under the deadline: an event stream runs as long as its client reads it.
///
/// It sits after Hummingbird's HTTP/1 codec (`HTTP1Channel.Configuration.additionalChannelHandlers`), so it sees
/// request parts coming in and response parts going out. It also closes an event stream's connection as soon as its
/// client closes its side (Hummingbird keeps a half-closed connection open, and a stream would otherwise hold its
/// place under the event-stream caps until its next heartbeat).
final class AdminRequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let deadline: TimeAmount
    private let onTimeout: @Sendable () -> Void
    private var timer: Scheduled<Void>?
    /// Requests read whose response has not ended yet (HTTP/1 pipelining allows more than one).
    private var responsesOwed = 0
    /// Whether the response being written is an event stream (`text/event-stream`): a client that closes its side
    /// then has left, and the connection is closed so that the stream ends at once rather than at its next write.
    private var streamingEvents = false

    /// - Parameter onTimeout: called when the deadline closes a connection, for the counters.
    init(deadline: TimeAmount, onTimeout: @escaping @Sendable () -> Void) {
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

    func channelInactive(context: ChannelHandlerContext) {
        self.disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            // A request is starting: the deadline armed when the connection became ready keeps running.
            if self.timer == nil { self.arm(context: context) }
        case .body:
            break
        case .end:
            // The whole request arrived in time; what follows is the response's business.
            self.disarm()
            self.responsesOwed += 1
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, self.streamingEvents {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = self.unwrapOutboundIn(data) {
            self.streamingEvents = head.headerFields[.contentType]?.hasPrefix("text/event-stream") == true
        }
        if case .end = self.unwrapOutboundIn(data) {
            self.streamingEvents = false
            self.responsesOwed = max(0, self.responsesOwed - 1)
            // Ready for the next request on this connection: a new deadline for it.
            if self.responsesOwed == 0, context.channel.isActive { self.arm(context: context) }
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
extension AdminRequestDeadlineHandler: Sendable {}

/// What the admin server counts about its connections, for `/metrics`.
public struct AdminServerStatistics: Hashable, Sendable {
    /// Connections closed because their request did not arrive whole within the request deadline.
    public var requestTimeouts = 0

    public init() {}
}

/// The admin server's counters, shared with its connections' handlers.
final class AdminServerCounters: Sendable {
    private let value = NIOLockedValueBox(AdminServerStatistics())

    var snapshot: AdminServerStatistics { self.value.withLockedValue { $0 } }

    func requestTimedOut() {
        self.value.withLockedValue { $0.requestTimeouts += 1 }
    }
}
