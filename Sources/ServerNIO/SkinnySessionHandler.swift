import CallControl
import CallRuntime
import CoreMetrics
import Logging
import NIOCore
import SkinnySession
import SkinnyWire

/// The thin NIO handler for one SCCP connection: it unwraps frames, calls the session state machine and carries
/// out the actions. `run` is the only code that writes, forwards or closes (style.md §4).
///
/// The hot path, per message (issue 16): a burst of messages (the answers to one read, the commands of one core
/// batch) is encoded straight into one buffer, written once and flushed once; events go to the core through the
/// loop's ``CallRuntime/SessionLoop``, which carries a whole tick's events from every connection of this loop in one
/// hop, and the core's commands come back the same way, on this loop, without a hop of their own.
final class SkinnySessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SkinnyFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: DeviceSessionStateMachine
    private let host: CallControlHost
    private let logger: Logger
    private let sessionID: UInt64
    private let metrics: SCCPMetrics
    private var handle: SessionHandle?
    /// This channel's loop as the host sees it: where events go and commands come back from.
    private var sessionLoop: SessionLoop?
    private var context: ChannelHandlerContext?
    /// The messages of the current burst, encoded, not yet written: written and flushed at the end of the read burst
    /// or command batch, or before a close.
    private var pending: ByteBuffer?
    private var closed = false
    /// Whether the phone's Register was recorded on the handle (for status pages).
    private var registrationRecorded = false
    /// When the handle was last told the phone was heard: it is told at most every ``touchInterval``.
    private var lastTouch = NIODeadline.uptimeNanoseconds(0)
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

    /// How stale the handle's last-heard time may be. Take-over keeps a connection heard within 1.5 keepalive
    /// intervals (seconds); this spares a lock per message.
    static let touchInterval = TimeAmount.milliseconds(10)

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let channel = context.channel
        self.sessionLoop = self.host.sessionLoop(for: eventLoop)
        // The host hands commands and lamps over on this loop (the session submits through its SessionLoop); the
        // hop is only for a caller on another thread.
        self.handle = SessionHandle(
            id: self.sessionID,
            remoteAddress: context.channel.remoteAddress,
            deliver: { commands in
                if eventLoop.inEventLoop {
                    loopBound.value.commandsReceived(commands)
                } else {
                    eventLoop.execute { loopBound.value.commandsReceived(commands) }
                }
            },
            deliverBusyLamps: { lamps in
                if eventLoop.inEventLoop {
                    loopBound.value.busyLampsReceived(lamps)
                } else {
                    eventLoop.execute { loopBound.value.busyLampsReceived(lamps) }
                }
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
        let now = NIODeadline.now()
        if now - self.lastTouch >= Self.touchInterval {
            self.lastTouch = now
            self.handle?.touch(now)
        }
        self.metrics.messagesReceived.increment()
        self.run(self.machine.frameReceived(frame, now: CallControlHost.now()), context: context)
        if !self.registrationRecorded, let handle = self.handle, let register = self.machine.registration {
            self.registrationRecorded = true
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
        for action in actions {
            switch action {
            case .send(let message):
                guard !self.closed else { continue }
                if self.pending == nil {
                    self.pending = context.channel.allocator.buffer(capacity: Self.burstCapacity)
                }
                message.write(into: &self.pending!, version: self.machine.protocolVersion)
                self.metrics.messagesSent.increment()
            case .forward(let event):
                guard let handle = self.handle, let sessionLoop = self.sessionLoop else { continue }
                sessionLoop.submit(event, from: handle)
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
                // Let what the session sent last (a RegisterReject, an UnregisterAck) reach the phone first.
                if let pending = self.pending {
                    self.pending = nil
                    let channel = context.channel
                    context.writeAndFlush(self.wrapOutboundOut(pending)).whenComplete { _ in
                        channel.close(promise: nil)
                    }
                } else {
                    context.flush()
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

    /// What a burst's buffer starts with: a registration's answers or a call's burst fit (about 30 to 700 bytes);
    /// a bigger burst (a full button template) grows it once or twice.
    static let burstCapacity = 1024

    /// Writes and flushes the burst, if there is one.
    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard let pending = self.pending else { return }
        self.pending = nil
        context.write(self.wrapOutboundOut(pending), promise: nil)
        context.flush()
    }
}

@available(*, unavailable)
extension SkinnySessionHandler: Sendable {}
