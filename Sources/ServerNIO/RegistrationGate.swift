public import CallControl
import NIOConcurrencyHelpers
public import NIOCore
import SkinnyWire

/// The session edge's checks on registrations of devices the server does not know yet (auto-registration, issue 13),
/// installed in every SCCP and SCCPS pipeline:
///
/// - **Rate.** A Register for an unknown `SEP<MAC>` name goes on only while its source and everyone together are
///   within ``AutoRegistrationLimits``; past them the phone gets RegisterReject ("Too many new devices") and the
///   connection is closed, counted as `auto_registration_rate_exceeded`. Known devices are never limited.
/// - **Saved before yes.** The RegisterAck of a device that auto-registration just created is held until the
///   ``AutoRegistrationLedger`` reports the device saved; if the save failed (or misses
///   `GuardLimits.autoRegistrationSaveDeadline`) the phone gets RegisterReject ("Database unavailable") instead and
///   the connection is closed, counted as `auto_registration_not_saved`. While saves are failing, new devices are
///   refused at once.
/// - **Last registered.** Every RegisterAck that goes out, and the end of every registered connection, is reported
///   to `observer` (the Store keeps each device's last registration, for `strowger device prune`).
///
/// Names are compared in their canonical spelling (`DeviceName(canonicalizing:)`), as the session does.
public struct RegistrationGate: Sendable {
    /// What the gate reports about registered devices.
    public enum Observation: Hashable, Sendable {
        /// A RegisterAck went out for the device.
        case registered(DeviceName)
        /// A connection on which the device was registered ended.
        case unregistered(DeviceName)
    }

    /// What the gate did, since it was made.
    public struct Statistics: Hashable, Sendable {
        /// Registers of unknown devices let through to auto-registration.
        public var newDevicesAllowed = 0
        /// Refused because their source auto-registered too many devices within the window.
        public var refusedPerSource = 0
        /// Refused because everyone together auto-registered too many devices within the window.
        public var refusedTotal = 0
        /// Refused because the device could not be saved, or saves were failing.
        public var refusedNotSaved = 0

        public init() {}
    }

    final class Shared: Sendable {
        let limiter: NIOLockedValueBox<AutoRegistrationLimiter>
        let statistics = NIOLockedValueBox(Statistics())

        init(limits: AutoRegistrationLimits) {
            self.limiter = NIOLockedValueBox(AutoRegistrationLimiter(limits: limits))
        }
    }

    let shared: Shared
    let ledger: AutoRegistrationLedger
    let isKnownDevice: @Sendable (DeviceName) -> Bool
    let observer: @Sendable (Observation) -> Void
    let saveDeadline: TimeAmount
    let now: @Sendable () -> NIODeadline

    /// - Parameters:
    ///   - isKnownDevice: whether the directory has a device of this (canonical) name; called on the connection's
    ///     event loop when Register arrives: answer from memory.
    ///   - observer: told of registrations and their ends, on the connection's event loop; must not block.
    ///   - now: the clock; tests inject one.
    public init(
        limits: AutoRegistrationLimits = AutoRegistrationLimits(),
        ledger: AutoRegistrationLedger,
        isKnownDevice: @escaping @Sendable (DeviceName) -> Bool,
        observer: @escaping @Sendable (Observation) -> Void = { _ in },
        saveDeadline: TimeAmount = GuardLimits.autoRegistrationSaveDeadline,
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.shared = Shared(limits: limits)
        self.ledger = ledger
        self.isKnownDevice = isKnownDevice
        self.observer = observer
        self.saveDeadline = saveDeadline
        self.now = now
    }

    /// The counts so far.
    public func statistics() -> Statistics {
        self.shared.statistics.withLockedValue { $0 }
    }

    /// Wraps a session initializer: adds the gate's handler for this connection, counting its refusals into
    /// `listenerGuard`, then runs `initializer` (which adds the session after it).
    public func wrap(
        listenerGuard: ListenerGuard,
        _ initializer: @escaping @Sendable (any Channel) throws -> Void
    ) -> @Sendable (any Channel) throws -> Void {
        let gate = self
        return { channel in
            try channel.pipeline.syncOperations.addHandler(
                RegistrationGateHandler(gate: gate, listenerGuard: listenerGuard)
            )
            try initializer(channel)
        }
    }

    /// Whether a Register for `name` from `source` may go on; counts the decision.
    func admitRegister(of name: DeviceName, from source: SourceAddress) -> RegistrationGateHandler.Admission {
        guard !self.isKnownDevice(name), name.isAutoRegistrationCandidate else { return .known }
        let now = self.now()
        if self.ledger.isRefusingNewDevices(now: now) {
            self.shared.statistics.withLockedValue { $0.refusedNotSaved += 1 }
            return .refused(.autoRegistrationNotSaved)
        }
        let decision = self.shared.limiter.withLockedValue { $0.attempt(from: source, now: now) }
        switch decision {
        case .allow:
            self.shared.statistics.withLockedValue { $0.newDevicesAllowed += 1 }
            return .newDevice
        case .sourceRateExceeded:
            self.shared.statistics.withLockedValue { $0.refusedPerSource += 1 }
            return .refused(.autoRegistrationRateExceeded)
        case .totalRateExceeded:
            self.shared.statistics.withLockedValue { $0.refusedTotal += 1 }
            return .refused(.autoRegistrationRateExceeded)
        }
    }

    func countNotSaved() {
        self.shared.statistics.withLockedValue { $0.refusedNotSaved += 1 }
    }
}

/// One connection's part of ``RegistrationGate``. It sits between the connection guard and the session, reads
/// Register coming in and RegisterAck / RegisterReject going out, and holds back what the session writes while a
/// new device's save is pending.
final class RegistrationGateHandler: ChannelDuplexHandler {
    typealias InboundIn = SkinnyFrame
    typealias InboundOut = SkinnyFrame
    typealias OutboundIn = SkinnyFrame
    typealias OutboundOut = SkinnyFrame

    /// What the gate says about a Register.
    enum Admission: Hashable {
        /// A device the directory has (or a name auto-registration would not take): the call manager decides.
        case known
        /// A device auto-registration may create: its RegisterAck waits for the save.
        case newDevice
        /// Refused here, counted under this reason.
        case refused(GuardRejectionReason)
    }

    private enum State {
        /// No Register yet.
        case awaitingRegister
        /// Register passed; the call manager's answer has not gone out yet.
        case awaitingAnswer(DeviceName, isNew: Bool)
        /// The RegisterAck of a new device is held until its save is reported.
        case holding(DeviceName)
        /// The RegisterAck went out.
        case registered(DeviceName)
        /// Refused, or the registration was rejected: nothing more to do.
        case finished
    }

    /// Frames the session may write while a save is pending (RegisterAck, CapabilitiesReq, a few KeepAliveAcks);
    /// past it the connection is closed.
    static let maximumHeldFrames = 64

    private let gate: RegistrationGate
    private let listenerGuard: ListenerGuard
    private var state = State.awaitingRegister
    private var held: [(data: NIOAny, promise: EventLoopPromise<Void>?)] = []
    private var flushHeld = false
    private var withdraw: (@Sendable () -> Void)?
    private var deadline: Scheduled<Void>?
    private var source = SourceAddress.unknown
    private var protocolVersion = SkinnyProtocolVersion.v3

    init(gate: RegistrationGate, listenerGuard: ListenerGuard) {
        self.gate = gate
        self.listenerGuard = listenerGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.source = SourceAddress(context.channel.remoteAddress)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        guard case .awaitingRegister = self.state, frame.id == .register else {
            if case .finished = self.state, frame.id == .register { return }
            context.fireChannelRead(data)
            return
        }
        let register = SkinnyMessage.Register(from: SkinnyBodyReader(frame.body), version: .v3)
        let name = DeviceName(canonicalizing: register.deviceName)
        self.protocolVersion = SkinnyProtocolVersion.negotiate(offered: register.protocolVersion)
        switch self.gate.admitRegister(of: name, from: self.source) {
        case .known:
            self.state = .awaitingAnswer(name, isNew: false)
            context.fireChannelRead(data)
        case .newDevice:
            self.state = .awaitingAnswer(name, isNew: true)
            context.fireChannelRead(data)
        case .refused(let reason):
            self.refuse(reason, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.state {
        case .awaitingAnswer(let name, let isNew):
            let frame = self.unwrapOutboundIn(data)
            if frame.id == .registerAck {
                if isNew {
                    self.state = .holding(name)
                    self.held.append((data, promise))
                    self.awaitSave(of: name, context: context)
                    return
                }
                self.state = .registered(name)
                self.gate.observer(.registered(name))
            } else if frame.id == .registerReject {
                self.state = .finished
            }
            context.write(data, promise: promise)
        case .holding:
            guard self.held.count < Self.maximumHeldFrames else {
                promise?.fail(ChannelError.ioOnClosedChannel)
                self.notSaved(context: context)
                return
            }
            self.held.append((data, promise))
        case .awaitingRegister, .registered, .finished:
            context.write(data, promise: promise)
        }
    }

    func flush(context: ChannelHandlerContext) {
        if case .holding = self.state {
            self.flushHeld = true
            return
        }
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.stopWaiting()
        self.failHeld()
        if case .registered(let name) = self.state {
            self.gate.observer(.unregistered(name))
        }
        self.state = .finished
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.stopWaiting()
        self.failHeld()
    }

    // MARK: - Holding a new device's RegisterAck

    private func awaitSave(of name: DeviceName, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        self.deadline = context.eventLoop.scheduleTask(in: self.gate.saveDeadline) {
            let (handler, context) = loopBound.value
            handler.deadline = nil
            handler.settled(.failed, context: context)
        }
        self.withdraw = self.gate.ledger.whenSettled(name, on: context.eventLoop) { outcome in
            let (handler, context) = loopBound.value
            handler.settled(outcome, context: context)
        }
    }

    private func settled(_ outcome: AutoRegistrationLedger.Outcome, context: ChannelHandlerContext) {
        guard case .holding(let name) = self.state else { return }
        self.stopWaiting()
        switch outcome {
        case .saved:
            self.state = .registered(name)
            self.gate.observer(.registered(name))
            let held = self.held
            self.held = []
            for (data, promise) in held {
                context.write(data, promise: promise)
            }
            if self.flushHeld || !held.isEmpty {
                self.flushHeld = false
                context.flush()
            }
        case .failed:
            self.notSaved(context: context)
        }
    }

    /// The new device was not saved: the phone is told no, not yes to a number the server would forget.
    private func notSaved(context: ChannelHandlerContext) {
        self.stopWaiting()
        self.failHeld()
        self.gate.countNotSaved()
        self.refuse(.autoRegistrationNotSaved, context: context)
    }

    // MARK: - Refusing

    private func refuse(_ reason: GuardRejectionReason, context: ChannelHandlerContext) {
        self.state = .finished
        self.listenerGuard.reject(reason, source: self.source)
        // RegisterReject's text is at most 32 bytes (reference §5.2).
        let text = reason == .autoRegistrationNotSaved ? "Database unavailable" : "Too many new devices"
        let frame = SkinnyMessage.RegisterReject(text: text).frame(version: self.protocolVersion)
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func stopWaiting() {
        self.deadline?.cancel()
        self.deadline = nil
        self.withdraw?()
        self.withdraw = nil
    }

    private func failHeld() {
        let held = self.held
        self.held = []
        self.flushHeld = false
        for (_, promise) in held {
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }
}

@available(*, unavailable)
extension RegistrationGateHandler: Sendable {}
