import NIOCore
import SkinnyWire

/// The per-connection guards of an SCCP connection, without I/O: the unregistered-connection slot, the Register
/// deadline, the message ceiling and the bound on unsent bytes. Time is an input; the handler carries out the actions.
///
/// The machine watches frame ids only: Register coming in ends the Register deadline, RegisterAck going out ends
/// the connection's stay among the unregistered. It never decodes a body.
///
/// A connection whose first message is a KeepAlive is a phone's *standby* connection: phones keep one to the next
/// node of their CallManager group, send it only KeepAlives, and register on it when their primary fails. It leaves
/// the unregistered slots and the Register deadline for a standby slot of its own, and is closed after
/// ``ConnectionGuardConfiguration/standbyTimeout`` without a frame; a Register on it goes on as on any connection.
struct SCCPConnectionGuardStateMachine: Sendable {
    private enum Registration: Sendable {
        /// Connected; no Register yet. The Register deadline runs.
        case awaitingRegister
        /// A phone's standby connection: KeepAlives and no Register yet. The standby deadline runs, renewed by every
        /// frame.
        case standby
        /// Register arrived; the session waits for the call manager's answer.
        case awaitingAck
        /// RegisterAck went out.
        case registered
    }

    /// What to do once the connection is up.
    enum ActiveAction: Hashable, Sendable {
        /// Start the Register deadline.
        case scheduleRegisterTimeout
        /// No unregistered slot was free: close at once.
        case close(GuardRejectionReason)
    }

    /// What to do with a frame from the peer.
    enum ReadAction: Hashable, Sendable {
        /// Pass it on to the session.
        case forward
        /// Pass it on; it is the Register, so stop the Register deadline.
        case forwardAndCancelRegisterTimeout
        /// Pass it on; it is a KeepAlive before any Register: the connection asks for a standby slot
        /// (``standbySlot(granted:)``).
        case forwardAndRequestStandbySlot
        /// Pass it on and start the standby deadline again.
        case forwardAndRenewStandbyTimeout
        /// Pass it on; it is the Register on a standby connection: stop the standby deadline, give the standby slot
        /// back.
        case forwardAndLeaveStandby
        /// Drop it and close the connection.
        case close(GuardRejectionReason)
        /// The connection is closing: drop it.
        case drop
    }

    /// What to do with a frame the session writes.
    enum WriteAction: Hashable, Sendable {
        /// Write it.
        case write
        /// Write it; it is the RegisterAck, so give the unregistered slot back.
        case writeAndReleaseUnregisteredSlot
        /// Drop it and close the connection.
        case close(GuardRejectionReason)
    }

    private let messageCeiling: RateLimit
    private let maximumPendingWriteBytes: Int
    private var registration = Registration.awaitingRegister
    private var messages: SlidingWindowCounter
    /// Whether the guard closed, or is closing, the connection: later frames are dropped.
    private(set) var isClosing = false
    /// Whether this connection holds one of the listener's unregistered slots.
    private(set) var holdsUnregisteredSlot = false
    /// Whether this connection holds one of the listener's standby slots.
    private(set) var holdsStandbySlot = false
    /// Bytes handed to the socket whose write has not completed.
    private(set) var pendingWriteBytes = 0

    init(configuration: ConnectionGuardConfiguration) {
        self.messageCeiling = configuration.messageCeiling
        self.maximumPendingWriteBytes = configuration.maximumPendingWriteBytes
        self.messages = SlidingWindowCounter(window: configuration.messageCeiling.window)
    }

    /// The connection is up; `slotGranted` says whether the listener had an unregistered slot for it.
    mutating func connectionActive(slotGranted: Bool) -> ActiveAction {
        guard slotGranted else {
            self.isClosing = true
            return .close(.unregisteredConnectionLimit)
        }
        self.holdsUnregisteredSlot = true
        return .scheduleRegisterTimeout
    }

    /// A frame with `id` arrived at `now`.
    mutating func frameReceived(_ id: SkinnyMessageID, now: NIODeadline) -> ReadAction {
        if self.isClosing { return .drop }
        if self.messages.record(now: now) > self.messageCeiling.events {
            self.isClosing = true
            return .close(.messageRateExceeded)
        }
        switch self.registration {
        case .awaitingRegister where id == .register:
            self.registration = .awaitingAck
            return .forwardAndCancelRegisterTimeout
        case .awaitingRegister where id == .keepAlive:
            return .forwardAndRequestStandbySlot
        case .standby where id == .register:
            self.registration = .awaitingAck
            self.holdsStandbySlot = false
            return .forwardAndLeaveStandby
        case .standby:
            return .forwardAndRenewStandbyTimeout
        case .awaitingRegister, .awaitingAck, .registered:
            return .forward
        }
    }

    /// The answer to ``ReadAction/forwardAndRequestStandbySlot``: with a slot the connection becomes a standby
    /// connection (the handler stops the Register deadline, starts the standby one, and gives the unregistered slot
    /// back when this returns true); without one it stays unregistered under the Register deadline.
    mutating func standbySlot(granted: Bool) -> (becameStandby: Bool, releaseUnregisteredSlot: Bool) {
        guard granted, !self.isClosing, case .awaitingRegister = self.registration else { return (false, false) }
        self.registration = .standby
        self.holdsStandbySlot = true
        defer { self.holdsUnregisteredSlot = false }
        return (true, self.holdsUnregisteredSlot)
    }

    /// The standby deadline passed with no frame: close if the connection is still a standby one (the handler then
    /// gives the standby slot back).
    mutating func standbyTimeoutFired() -> GuardRejectionReason? {
        guard !self.isClosing, case .standby = self.registration else { return nil }
        self.isClosing = true
        self.holdsStandbySlot = false
        return .standbyTimeout
    }

    /// The session writes `bytes` bytes, one or more whole frames; `containsRegisterAck` says whether one of them is
    /// the RegisterAck.
    mutating func bytesWritten(_ bytes: Int, containsRegisterAck: Bool) -> WriteAction {
        if self.isClosing {
            self.pendingWriteBytes += bytes
            return .write
        }
        if self.pendingWriteBytes + bytes > self.maximumPendingWriteBytes {
            self.isClosing = true
            return .close(.writeBufferExceeded)
        }
        self.pendingWriteBytes += bytes
        guard containsRegisterAck else { return .write }
        switch self.registration {
        case .awaitingRegister, .standby, .awaitingAck:
            self.registration = .registered
            guard self.holdsUnregisteredSlot else { return .write }
            self.holdsUnregisteredSlot = false
            return .writeAndReleaseUnregisteredSlot
        case .registered:
            return .write
        }
    }

    /// A write of `bytes` completed (or failed: either way the socket no longer holds it for us).
    mutating func writeCompleted(bytes: Int) {
        self.pendingWriteBytes = max(0, self.pendingWriteBytes - bytes)
    }

    /// The Register deadline passed: close unless Register came.
    mutating func registerTimeoutFired() -> GuardRejectionReason? {
        guard !self.isClosing, case .awaitingRegister = self.registration else { return nil }
        self.isClosing = true
        return .registerTimeout
    }

    /// The TLS layer in front of the codec gave up on the connection (a failed or late handshake) and closes it:
    /// whether to count that, which is only if the guard was not already closing it for a reason of its own.
    mutating func tlsHandshakeAbandoned() -> Bool {
        guard !self.isClosing else { return false }
        self.isClosing = true
        return true
    }

    /// The connection closed: which of the listener's slots it held must be given back.
    mutating func connectionInactive() -> (unregistered: Bool, standby: Bool) {
        self.isClosing = true
        defer {
            self.holdsUnregisteredSlot = false
            self.holdsStandbySlot = false
        }
        return (self.holdsUnregisteredSlot, self.holdsStandbySlot)
    }
}

/// Carries out ``SCCPConnectionGuardStateMachine`` for one SCCP connection. It sits between the frame decoder and
/// the session: `[frame decoder, SCCPConnectionGuardHandler, keepalive, session]`. Inbound it sees decoded frames;
/// outbound, the bytes of whole frames (the session encodes each burst into one buffer), whose headers it reads to
/// find the RegisterAck.
final class SCCPConnectionGuardHandler: ChannelDuplexHandler {
    typealias InboundIn = SkinnyFrame
    typealias InboundOut = SkinnyFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: SCCPConnectionGuardStateMachine
    private let listenerGuard: ListenerGuard
    private let now: () -> NIODeadline
    private var source = SourceAddress.unknown
    private var registerTimeout: Scheduled<Void>?
    private var standbyTimeout: Scheduled<Void>?
    private var started = false

    /// - Parameter now: the clock for the message ceiling; tests pass the embedded loop's.
    init(listenerGuard: ListenerGuard, now: @escaping () -> NIODeadline = { .now() }) {
        self.machine = SCCPConnectionGuardStateMachine(configuration: listenerGuard.configuration)
        self.listenerGuard = listenerGuard
        self.now = now
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.start(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !self.started else { return }
        self.started = true
        self.source = SourceAddress(context.channel.remoteAddress)
        let granted = self.listenerGuard.acquireUnregisteredSlot(source: self.source)
        switch self.machine.connectionActive(slotGranted: granted) {
        case .scheduleRegisterTimeout:
            let loopBoundContext = context.loopBound
            self.registerTimeout = context.eventLoop.assumeIsolated().scheduleTask(
                in: self.listenerGuard.configuration.registerTimeout
            ) {
                self.registerTimeoutFired(context: loopBoundContext.value)
            }
        case .close:
            // Counted and logged by the listener guard.
            context.close(promise: nil)
        }
    }

    private func registerTimeoutFired(context: ChannelHandlerContext) {
        self.registerTimeout = nil
        guard let reason = self.machine.registerTimeoutFired() else { return }
        self.listenerGuard.reject(reason, source: self.source)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        switch self.machine.frameReceived(frame.id, now: self.now()) {
        case .forward:
            context.fireChannelRead(data)
        case .forwardAndCancelRegisterTimeout:
            self.registerTimeout?.cancel()
            self.registerTimeout = nil
            context.fireChannelRead(data)
        case .forwardAndRequestStandbySlot:
            let granted = self.listenerGuard.acquireStandbySlot(source: self.source)
            let (becameStandby, releaseUnregistered) = self.machine.standbySlot(granted: granted)
            if releaseUnregistered { self.listenerGuard.releaseUnregisteredSlot() }
            if becameStandby {
                self.registerTimeout?.cancel()
                self.registerTimeout = nil
                self.scheduleStandbyTimeout(context: context)
            } else if granted {
                self.listenerGuard.releaseStandbySlot()
            }
            context.fireChannelRead(data)
        case .forwardAndRenewStandbyTimeout:
            self.scheduleStandbyTimeout(context: context)
            context.fireChannelRead(data)
        case .forwardAndLeaveStandby:
            self.standbyTimeout?.cancel()
            self.standbyTimeout = nil
            self.listenerGuard.releaseStandbySlot()
            context.fireChannelRead(data)
        case .close(let reason):
            self.listenerGuard.reject(reason, source: self.source)
            context.close(promise: nil)
        case .drop:
            break
        }
    }

    private func scheduleStandbyTimeout(context: ChannelHandlerContext) {
        self.standbyTimeout?.cancel()
        let loopBoundContext = context.loopBound
        self.standbyTimeout = context.eventLoop.assumeIsolated().scheduleTask(
            in: self.listenerGuard.configuration.standbyTimeout
        ) {
            self.standbyTimeout = nil
            guard let reason = self.machine.standbyTimeoutFired() else { return }
            self.listenerGuard.releaseStandbySlot()
            self.listenerGuard.reject(reason, source: self.source)
            loopBoundContext.value.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = self.unwrapOutboundIn(data)
        let bytes = buffer.readableBytes
        let action = self.machine.bytesWritten(bytes, containsRegisterAck: buffer.containsSkinnyFrame(.registerAck))
        switch action {
        case .write, .writeAndReleaseUnregisteredSlot:
            if action == .writeAndReleaseUnregisteredSlot {
                self.listenerGuard.releaseUnregisteredSlot()
            }
            let completion = promise ?? context.eventLoop.makePromise(of: Void.self)
            completion.futureResult.assumeIsolated().whenComplete { _ in
                self.machine.writeCompleted(bytes: bytes)
            }
            context.write(data, promise: completion)
        case .close(let reason):
            self.listenerGuard.reject(reason, source: self.source)
            promise?.fail(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // On the SCCPS port the handshake handler reports a handshake that failed or timed out, then closes.
        if let failure = event as? TLSHandshakeFailure, self.machine.tlsHandshakeAbandoned() {
            // Counted once: the Register deadline, which runs from accept too, must not count it again.
            self.registerTimeout?.cancel()
            self.registerTimeout = nil
            switch failure {
            case .failed: self.listenerGuard.reject(.tlsHandshakeFailed, source: self.source)
            case .timedOut: self.listenerGuard.reject(.tlsHandshakeTimeout, source: self.source)
            }
        } else if event is TLSDeviceIdentityRejection {
            self.listenerGuard.reject(.clientCertificateRejected, source: self.source)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is SkinnyError || error is ByteToMessageDecoderError {
            self.listenerGuard.reject(.malformedFrame, source: self.source)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.registerTimeout?.cancel()
        self.registerTimeout = nil
        self.standbyTimeout?.cancel()
        self.standbyTimeout = nil
        let (unregistered, standby) = self.machine.connectionInactive()
        if unregistered { self.listenerGuard.releaseUnregisteredSlot() }
        if standby { self.listenerGuard.releaseStandbySlot() }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension SCCPConnectionGuardHandler: Sendable {}
