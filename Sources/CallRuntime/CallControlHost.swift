public import CallControl
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import Presence

import struct Foundation.Date

/// The one owner of the CallControl core (design.md: "hosted by exactly one owner"): the runtime the protocol layers
/// plug into.
///
/// The core runs on a single event loop, so events from every endpoint are handled one at a time, in the order they
/// arrive, with no locks in call logic. The host also keeps the registry of which ``EndpointSession`` speaks for which
/// ``CallControl/EndpointOwner`` (with take-over decided by ``TakeOverPolicy``), turns the core's timer commands into
/// real timers on its loop, routes every endpoint-addressed command to the owner's session
/// (``CallControl/CallCommand/route``), and runs presence beside the core (CallControlHost+Presence.swift). It holds
/// no sockets: SCCP connections (ServerNIO), and later SIP trunks, other nodes and media resources, are sessions.
public final class CallControlHost: Sendable {
    public struct Configuration: Sendable {
        /// The keepalive interval phones are given. A connection not heard from for 1.5 × this is considered dead
        /// when another connection registers the same device name (take-over, ``TakeOverPolicy``); a live one keeps
        /// its name.
        public var keepAliveInterval: TimeAmount

        public init(keepAliveInterval: TimeAmount = .seconds(30)) {
            self.keepAliveInterval = keepAliveInterval
        }
    }

    /// Counts a status page or a test can read.
    public struct Status: Sendable, Equatable {
        public var registeredDevices: Int
        public var activeCalls: Int
        public var activeLegs: Int
        public var activeTimers: Int
        public var activeMediaStreams: Int
        public var sessions: Int
    }

    /// The loop the core runs on.
    public let eventLoop: any EventLoop
    private let takeOverPolicy: TakeOverPolicy
    let logger: Logger
    let state: NIOLoopBoundBox<State>
    /// One ``SessionLoop`` per event loop that sessions live on, made on first use.
    private let sessionLoops = NIOLockedValueBox<[ObjectIdentifier: SessionLoop]>([:])

    /// A session that speaks for an owner, and the ``SessionLoop`` it registered through (nil: it submits with
    /// ``CallControlHost/submit(_:from:)`` and hops to its own loop itself).
    struct SessionEntry {
        let session: any EndpointSession
        let loop: SessionLoop?
    }

    /// Everything the host owns; touched only on `eventLoop`.
    final class State {
        var core: CallControlCore
        /// Presence, fed by the core's line states and registrations and by the Store (CallControlHost+Presence).
        var presence = PresenceEngine()
        /// The presence event streams (admin API), by id.
        var presenceStreams: [UInt64: PresenceStream] = [:]
        var nextPresenceStreamID: UInt64 = 1
        /// Numbers the presence notices, so that a stream's client can tell their order.
        var presenceSequence: UInt64 = 0
        /// The endpoint-session registry: the session that currently speaks for each owner.
        var sessions: [EndpointOwner: SessionEntry] = [:]
        var timers: [TimerID: Scheduled<Void>] = [:]
        /// Session loops with deliveries waiting, in the order they got their first.
        var pendingLoops: [SessionLoop] = []
        /// Set while a batch of events (or a timer's expiry) is handled: its deliveries go out when it ends.
        var isHandlingBatch = false
        /// Whether a task that sends the waiting deliveries is scheduled (for work outside a batch).
        var isFlushScheduled = false
        let onCallRecord: @Sendable (CallRecord) -> Void
        let onAutoRegistered: @Sendable (DeviceName, DirectoryNumber) -> Void
        let onDoNotDisturbChanged: @Sendable (DeviceName, Bool) -> Void

        init(
            core: CallControlCore,
            onCallRecord: @escaping @Sendable (CallRecord) -> Void,
            onAutoRegistered: @escaping @Sendable (DeviceName, DirectoryNumber) -> Void,
            onDoNotDisturbChanged: @escaping @Sendable (DeviceName, Bool) -> Void
        ) {
            self.core = core
            self.onCallRecord = onCallRecord
            self.onAutoRegistered = onAutoRegistered
            self.onDoNotDisturbChanged = onDoNotDisturbChanged
        }
    }

    /// - Parameters:
    ///   - onCallRecord: called on the core's loop for every finished call; must not block.
    ///   - onAutoRegistered: called on the core's loop when auto-registration gave a device a number.
    ///   - onDoNotDisturbChanged: called on the core's loop with every `doNotDisturbChanged` (the DND softkey, an
    ///     administrator's change, and after each registration with DND on), so the app can keep the Store in step;
    ///     must not block.
    public init(
        core: CallControlCore,
        configuration: Configuration,
        eventLoop: any EventLoop,
        logger: Logger,
        onCallRecord: @escaping @Sendable (CallRecord) -> Void = { _ in },
        onAutoRegistered: @escaping @Sendable (DeviceName, DirectoryNumber) -> Void = { _, _ in },
        onDoNotDisturbChanged: @escaping @Sendable (DeviceName, Bool) -> Void = { _, _ in }
    ) {
        self.eventLoop = eventLoop
        self.takeOverPolicy = TakeOverPolicy(
            keepAliveInterval: .nanoseconds(configuration.keepAliveInterval.nanoseconds)
        )
        self.logger = logger
        let state = State(
            core: core,
            onCallRecord: onCallRecord,
            onAutoRegistered: onAutoRegistered,
            onDoNotDisturbChanged: onDoNotDisturbChanged
        )
        // The host's own watcher of every user: the source of the presence event streams.
        _ = state.presence.handle(.subscribe(Self.presenceStreamWatcher, to: .allUsers))
        self.state = NIOLoopBoundBox.makeBoxSendingValue(state, eventLoop: eventLoop)
    }

    /// The ``SessionLoop`` of `eventLoop`: how sessions that live on that loop submit their events, batched per tick
    /// (the way SCCP connections do). Safe from any thread; the same object for the same loop.
    public func sessionLoop(for eventLoop: any EventLoop) -> SessionLoop {
        self.sessionLoops.withLockedValue { loops in
            if let loop = loops[ObjectIdentifier(eventLoop)] { return loop }
            let loop = SessionLoop(eventLoop: eventLoop, host: self)
            loops[ObjectIdentifier(eventLoop)] = loop
            return loop
        }
    }

    /// Hands an event from an endpoint's session to the core. Safe from any thread. A session that lives on an event
    /// loop submits through its ``SessionLoop`` instead, which batches; this hops (or runs at once on the core's
    /// loop), and the session is handed its commands on the core's loop.
    ///
    /// Only the session that currently speaks for an owner may act for it: events from a session that was taken
    /// over, or that never claimed the owner, are dropped. An event whose origin is a claim (`deviceRegistered`) is
    /// where a session claims an owner; events of the runtime's own (timer expiries, configuration) are dropped.
    public func submit(_ event: CallEvent, from session: any EndpointSession) {
        if self.eventLoop.inEventLoop {
            self.process(event, from: session, via: nil)
        } else {
            self.eventLoop.execute { self.process(event, from: session, via: nil) }
        }
    }

    /// Hands an event that comes from the server itself (configuration changes) to the core.
    public func submit(_ event: CallEvent) {
        self.eventLoop.execute {
            self.handlingBatch {
                self.run(self.state.value.core.handle(event, at: Self.now()))
            }
        }
    }

    /// On the core's loop: a tick's events from the sessions of `loop`, in order; their deliveries go out at the end.
    func handle(_ events: [(event: CallEvent, session: any EndpointSession)], via loop: SessionLoop) {
        self.handlingBatch {
            for (event, session) in events {
                self.process(event, from: session, via: loop)
            }
        }
    }

    /// The current counts.
    public func status() async throws -> Status {
        try await self.eventLoop.submit {
            let state = self.state.value
            return Status(
                registeredDevices: state.core.registeredDeviceCount,
                activeCalls: state.core.activeCallCount,
                activeLegs: state.core.activeLegCount,
                activeTimers: state.core.activeTimerCount,
                activeMediaStreams: state.core.activeMediaStreamCount,
                sessions: state.sessions.count
            )
        }.get()
    }

    /// Every session that speaks for an owner, by owner: for status pages (which know the session types they show).
    public func registeredSessions() async throws -> [EndpointOwner: any EndpointSession] {
        try await self.eventLoop.submit { self.state.value.sessions.mapValues(\.session) }.get()
    }

    /// Resets a registered device (CUCM's Reset): the core forgets its registration and ends its calls, and the
    /// phone is sent Reset, so it restarts and registers again with its current configuration. Returns false when
    /// the device is not registered.
    public func resetDevice(_ name: DeviceName) async throws -> Bool {
        try await self.eventLoop.submit {
            let state = self.state.value
            guard let entry = state.sessions.removeValue(forKey: .device(name)) else { return false }
            self.run(state.core.handle(.deviceUnregistered(name), at: Self.now()))
            self.deliver(.commands(entry.session, [.unregister(name, reason: .resetByAdministrator)]), via: entry.loop)
            return true
        }.get()
    }

    /// Ends every registration and closes every connection, so that the calls still up end now and their call
    /// records reach `onCallRecord` (at a clean shutdown, before the CDR writer drains).
    public func closeAllSessions() async throws {
        try await self.eventLoop.submit {
            let state = self.state.value
            let sessions = state.sessions
            state.sessions = [:]
            for (owner, entry) in sessions.sorted(by: { $0.key.description < $1.key.description }) {
                self.run(state.core.handle(owner.unregisteredEvent, at: Self.now()))
                self.deliver(.close(entry.session), via: entry.loop)
            }
        }.get()
    }

    /// Runs `body` with the core on its loop: for status pages and tests.
    public func withCore<Result: Sendable>(
        _ body: @escaping @Sendable (CallControlCore) -> Result
    ) async throws -> Result {
        try await self.eventLoop.submit { body(self.state.value.core) }.get()
    }

    // MARK: On the core's loop

    /// Runs `body` as one batch: the deliveries it makes go out when it ends, one task per session loop.
    func handlingBatch(_ body: () -> Void) {
        let state = self.state.value
        let outermost = !state.isHandlingBatch
        state.isHandlingBatch = true
        body()
        guard outermost else { return }
        state.isHandlingBatch = false
        self.flushDeliveries()
    }

    /// Hands `delivery` to its session: at once when the session has no ``SessionLoop`` (it hops itself), else
    /// queued for its loop, which gets everything queued for it in one task at the end of the batch.
    func deliver(_ delivery: SessionLoop.Delivery, via loop: SessionLoop?) {
        guard let loop else {
            delivery.carryOut()
            return
        }
        let state = self.state.value
        if loop.outbound.value.isEmpty { state.pendingLoops.append(loop) }
        loop.outbound.value.append(delivery)
        if !state.isHandlingBatch, !state.isFlushScheduled {
            // Work outside a batch (an API call, presence from the Store): send after it, in a task of this loop.
            state.isFlushScheduled = true
            self.eventLoop.execute {
                self.state.value.isFlushScheduled = false
                self.flushDeliveries()
            }
        }
    }

    /// Sends what is queued for each session loop.
    private func flushDeliveries() {
        let state = self.state.value
        let loops = state.pendingLoops
        state.pendingLoops = []
        for loop in loops {
            loop.flushOutbound()
        }
    }

    private func process(_ event: CallEvent, from session: any EndpointSession, via loop: SessionLoop?) {
        self.eventLoop.assertInEventLoop()
        let state = self.state.value
        switch event.origin {
        case .claim(let owner):
            switch self.takeOverPolicy.decide(Self.ownership(of: owner, claimedBy: session, in: state)) {
            case .accept:
                break
            case .refuse:
                self.logger.info(
                    "Registration refused: the device's current connection is alive",
                    metadata: Self.metadata(owner)
                )
                self.deliver(.commands(session, [owner.alreadyRegisteredRejection]), via: loop)
                return
            case .takeOver:
                self.logger.info("Registration takes over a silent connection", metadata: Self.metadata(owner))
                if let current = state.sessions.removeValue(forKey: owner) {
                    self.deliver(.close(current.session), via: current.loop)
                }
                self.run(state.core.handle(owner.unregisteredEvent, at: Self.now()))
            case .reregister:
                self.run(state.core.handle(owner.unregisteredEvent, at: Self.now()))
            }
            state.sessions[owner] = SessionEntry(session: session, loop: loop)
            self.run(state.core.handle(event, at: Self.now()))
        case .release(let owner):
            guard state.sessions[owner]?.session === session else { return }
            state.sessions[owner] = nil
            self.run(state.core.handle(event, at: Self.now()))
        case .owner(let owner):
            guard state.sessions[owner]?.session === session else { return }
            self.run(state.core.handle(event, at: Self.now()))
        case .runtime:
            // Never from a session.
            return
        }
    }

    /// `device.name` for a phone (as the rest of the server logs it), else `endpoint.owner`.
    private static func metadata(_ owner: EndpointOwner) -> Logger.Metadata {
        if let name = owner.deviceName { return ["device.name": "\(name)"] }
        return ["endpoint.owner": "\(owner)"]
    }

    /// Who owns `owner` as the take-over policy sees it, measured now.
    private static func ownership(
        of owner: EndpointOwner,
        claimedBy claimant: any EndpointSession,
        in state: State
    ) -> TakeOverPolicy.Ownership {
        guard let current = state.sessions[owner]?.session else { return .unowned }
        guard current !== claimant else { return .ownedByClaimant }
        let silence = NIODeadline.now() - current.lastHeard
        return .ownedByAnother(silence: .nanoseconds(silence.nanoseconds))
    }

    /// Carries out the core's commands, each where ``CallControl/CallCommand/route`` says: endpoint commands go to
    /// each owner's session in one batch per owner, in the order the core gave them.
    func run(_ commands: [CallCommand]) {
        let state = self.state.value
        var batches: [EndpointOwner: [CallCommand]] = [:]
        var order: [EndpointOwner] = []
        var released: [EndpointOwner] = []
        var presenceOutputs: [PresenceOutput] = []
        for command in commands {
            switch command.route {
            case .session(let owner, let releasesOwner):
                if batches[owner] == nil {
                    order.append(owner)
                    batches[owner] = [command]
                } else {
                    batches[owner]?.append(command)
                }
                if releasesOwner { released.append(owner) }
            case .sessionAndPresence(let owner):
                if batches[owner] == nil {
                    order.append(owner)
                    batches[owner] = [command]
                } else {
                    batches[owner]?.append(command)
                }
                presenceOutputs += state.presence.handle(command)
                // The app keeps the Store in step with the device's DND (issue 12).
                if case .doNotDisturbChanged(let name, let isOn) = command { state.onDoNotDisturbChanged(name, isOn) }
            case .autoRegistered(let name, let number):
                state.onAutoRegistered(name, number)
            case .startTimer(let id, let after):
                let components = after.components
                let nanoseconds = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
                state.timers[id] = self.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                    self.handlingBatch {
                        let state = self.state.value
                        state.timers[id] = nil
                        self.run(state.core.handle(.timerFired(id), at: Self.now()))
                    }
                }
            case .cancelTimer(let id):
                state.timers.removeValue(forKey: id)?.cancel()
            case .callRecord(let record):
                state.onCallRecord(record)
            case .presence:
                // Presence runs beside the core on this loop, fed in the core's order.
                presenceOutputs += state.presence.handle(command)
            }
        }
        for owner in order {
            guard let batch = batches[owner], let entry = state.sessions[owner] else { continue }
            self.deliver(.commands(entry.session, batch), via: entry.loop)
        }
        // After the commands: a phone that just registered has its profile before its lamps' states.
        if !presenceOutputs.isEmpty { self.route(presenceOutputs) }
        // A rejected registration or a removed device no longer speaks for its name.
        for owner in released {
            state.sessions[owner] = nil
        }
    }

    /// Wall-clock time, so that call records carry real times (docs/callcontrol.md). Sessions pass the same time to
    /// their own state machines.
    public static func now() -> Timestamp {
        let seconds = Date().timeIntervalSince1970
        return Timestamp(sinceEpoch: .nanoseconds(Int64(seconds * 1_000_000_000)))
    }
}
