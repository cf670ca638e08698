import CallControl
import CallRuntime
import CoreMetrics
import Logging
import NIOCore
import SkinnySession
import SkinnyWire

/// The thin NIO handler for one SCCP connection: it unwraps frames, calls the session state machine and carries
/// out the actions. `run` is the only code that writes, forwards or closes (style.md §4).
final class SkinnySessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SkinnyFrame
    typealias OutboundIn = SkinnyFrame
    typealias OutboundOut = SkinnyFrame

    private var machine: DeviceSessionStateMachine
    private let host: CallControlHost
    private let logger: Logger
    private let sessionID: UInt64
    private let metrics: SCCPMetrics
    private var handle: SessionHandle?
    private var context: ChannelHandlerContext?
    /// Whether a flush is owed at the end of the current read burst or command batch.
    private var needsFlush = false
    private var closed = false
    /// Where the session's own closes (keepalive, malformed messages, protocol violations, rejected registrations)
    /// are counted for `/metrics`.
    private let counters: GuardCounters?

    init(
        machine: DeviceSessionStateMachine,
        host: CallControlHost,
        sessionID: UInt64,
        logger: Logger,
        metrics: SCCPMetrics = SCCPMetrics(),
        counters: GuardCounters? = nil
    ) {
        self.machine = machine
        self.host = host
        self.sessionID = sessionID
        self.logger = logger
        self.metrics = metrics
        self.counters = counters
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let channel = context.channel
        self.handle = SessionHandle(
            id: self.sessionID,
            remoteAddress: context.channel.remoteAddress,
            deliver: { commands in
                eventLoop.execute { loopBound.value.commandsReceived(commands) }
            },
            deliverBusyLamps: { lamps in
                eventLoop.execute { loopBound.value.busyLampsReceived(lamps) }
            },
            close: {
                channel.close(promise: nil)
            }
        )
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // The handle's deliver closure holds this handler: drop the handle so that the pair (and the channel the
        // handle's close closure holds) is freed once the host lets go of it too. Without this every connection
        // leaked its channel, found by the session fuzzer's LeakSanitizer.
        self.handle = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        self.handle?.touch()
        self.metrics.messagesReceived.increment()
        self.run(self.machine.frameReceived(frame, now: CallControlHost.now()), context: context)
        if let handle = self.handle, handle.registration == nil, let register = self.machine.registration {
            handle.recordRegistration(
                SessionRegistration(
                    model: register.deviceType.modelName,
                    protocolVersion: Int(self.machine.protocolVersion.rawValue),
                    registeredAt: CallControlHost.now()
                )
            )
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed = true
        self.run(self.machine.connectionClosed(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Framing errors (length out of range, truncated frame) and socket errors: the sender loses its
        // connection, nobody else loses anything.
        self.logger.debug(
            "SCCP connection error",
            metadata: ["session.id": "\(self.sessionID)", "error": "\(error)"]
        )
        if !self.closed { self.metrics.connectionRejected("connection_error") }
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            self.run(self.machine.keepAliveExpired(), context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Commands from the CallControl core for this device, on this channel's loop.
    private func commandsReceived(_ commands: [CallCommand]) {
        guard let context = self.context, !self.closed else { return }
        let now = CallControlHost.now()
        for command in commands {
            // The media server's endpoints carry the unspecified address when the server binds the wildcard: the
            // phone is told the address it reached the server on (docs/media.md, "Addresses").
            let resolved = command.resolvingServerMediaAddress(context.channel.localAddress.flatMap(MediaAddress.init))
            self.run(self.machine.commandReceived(resolved, now: now), context: context)
        }
        self.flushIfNeeded(context: context)
    }

    /// New BLF states from presence for this phone, on this channel's loop.
    private func busyLampsReceived(_ lamps: [BusyLampUpdate]) {
        guard let context = self.context, !self.closed else { return }
        for lamp in lamps {
            self.run(self.machine.busyLampFieldChanged(index: lamp.index, state: lamp.state), context: context)
        }
        self.flushIfNeeded(context: context)
    }

    private func run(_ actions: [SessionAction], context: ChannelHandlerContext) {
        var lastWrite: EventLoopFuture<Void>?
        for action in actions {
            switch action {
            case .send(let message):
                guard !self.closed else { continue }
                let promise = context.eventLoop.makePromise(of: Void.self)
                context.write(
                    self.wrapOutboundOut(message.frame(version: self.machine.protocolVersion)),
                    promise: promise
                )
                self.metrics.messagesSent.increment()
                lastWrite = promise.futureResult
                self.needsFlush = true
            case .forward(let event):
                guard let handle = self.handle else { continue }
                self.host.submit(event, from: handle)
            case .close(let reason):
                self.logger.debug(
                    "Closing SCCP connection",
                    metadata: ["session.id": "\(self.sessionID)", "reason": "\(reason)"]
                )
                guard !self.closed else { continue }
                self.metrics.connectionClosed(reason)
                self.closed = true
                if let counted = Self.guardReason(reason) {
                    self.counters?.record(counted)
                }
                self.needsFlush = false
                context.flush()
                // Let what the session sent last (a RegisterReject, an UnregisterAck) reach the phone first.
                let channel = context.channel
                if let lastWrite {
                    lastWrite.whenComplete { _ in channel.close(promise: nil) }
                } else {
                    context.close(promise: nil)
                }
            }
        }
    }

    /// The `/metrics` reason of a close the session decided; nil for the ordinary ends of a session.
    static func guardReason(_ reason: SessionCloseReason) -> GuardRejectionReason? {
        switch reason {
        case .keepAliveExpired: .keepAliveExpired
        case .malformedFrame: .malformedMessage
        case .protocolViolation: .protocolViolation
        case .registrationRejected: .registrationRejected
        case .unregistered, .resetByServer: nil
        }
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
    }
}

@available(*, unavailable)
extension SkinnySessionHandler: Sendable {}
