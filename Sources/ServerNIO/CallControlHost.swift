public import CallControl
public import Logging
public import NIOCore
import Presence

import struct Foundation.Date

/// The one owner of the CallControl core (design.md: "hosted by exactly one owner").
///
/// The core runs on a single event loop, so events from every phone are handled one at a time, in the order they
/// arrive, with no locks in call logic. The host also keeps the registry of which connection speaks for which
/// device, turns the core's timer commands into real timers, and routes every device-addressed command to that
/// device's session.
public final class CallControlHost: Sendable {
    public struct Configuration: Sendable {
        /// The keepalive interval phones are given. A connection not heard from for 1.5 × this is considered dead
        /// when another connection registers the same device name (take-over); a live one keeps its name.
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
    private let configuration: Configuration
    let logger: Logger
    let state: NIOLoopBoundBox<State>

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
        /// The connection that currently speaks for each device name.
        var sessions: [DeviceName: SessionHandle] = [:]
        var timers: [TimerID: Scheduled<Void>] = [:]
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
        self.configuration = configuration
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

    /// Hands an event from a phone's session to the core. Safe from any thread.
    ///
    /// Only the connection that currently speaks for a device may act for it: events from a connection that was
    /// taken over, or that never registered, are dropped. `deviceRegistered` is where a connection claims a name.
    public func submit(_ event: CallEvent, from session: SessionHandle) {
        if self.eventLoop.inEventLoop {
            self.process(event, from: session)
        } else {
            self.eventLoop.execute { self.process(event, from: session) }
        }
    }

    /// Hands an event that comes from the server itself (configuration changes) to the core.
    public func submit(_ event: CallEvent) {
        self.eventLoop.execute {
            let commands = self.state.value.core.handle(event, at: Self.now())
            self.run(commands)
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

    /// Every connection that speaks for a registered device, by name: for status pages.
    public func registeredSessions() async throws -> [DeviceName: SessionHandle] {
        try await self.eventLoop.submit { self.state.value.sessions }.get()
    }

    /// Resets a registered device (CUCM's Reset): the core forgets its registration and ends its calls, and the
    /// phone is sent Reset, so it restarts and registers again with its current configuration. Returns false when
    /// the device is not registered.
    public func resetDevice(_ name: DeviceName) async throws -> Bool {
        try await self.eventLoop.submit {
            let state = self.state.value
            guard let session = state.sessions.removeValue(forKey: name) else { return false }
            self.run(state.core.handle(.deviceUnregistered(name), at: Self.now()))
            session.deliver([.unregister(name, reason: .resetByAdministrator)])
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
            for (name, session) in sessions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                self.run(state.core.handle(.deviceUnregistered(name), at: Self.now()))
                session.close()
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

    private func process(_ event: CallEvent, from session: SessionHandle) {
        self.eventLoop.assertInEventLoop()
        let state = self.state.value
        switch event {
        case .deviceRegistered(let name, _):
            if let current = state.sessions[name], current !== session {
                let window = TimeAmount.nanoseconds(self.configuration.keepAliveInterval.nanoseconds * 3 / 2)
                if current.isAlive(within: window) {
                    self.logger.info(
                        "Registration refused: the device's current connection is alive",
                        metadata: ["device.name": "\(name)"]
                    )
                    session.deliver([.registrationRejected(name, .alreadyRegistered)])
                    return
                }
                self.logger.info("Registration takes over a silent connection", metadata: ["device.name": "\(name)"])
                state.sessions[name] = nil
                current.close()
                self.run(state.core.handle(.deviceUnregistered(name), at: Self.now()))
            }
            state.sessions[name] = session
            self.run(state.core.handle(event, at: Self.now()))
        case .deviceUnregistered(let name):
            guard state.sessions[name] === session else { return }
            state.sessions[name] = nil
            self.run(state.core.handle(event, at: Self.now()))
        case .timerFired, .directoryChanged:
            // Never from a phone.
            return
        case .capabilitiesChanged(let name, _), .offHook(let name, _, _), .onHook(let name, _, _),
            .digit(let name, _, _, _), .enbloc(let name, _, _), .lineButton(let name, _), .speedDial(let name, _),
            .softKey(let name, _, _, _), .receiveChannelOpened(let name, _, _, _):
            guard state.sessions[name] === session else { return }
            self.run(state.core.handle(event, at: Self.now()))
        }
    }

    /// Carries out the core's commands: device commands go to each device's session in one batch per device,
    /// in the order the core gave them.
    func run(_ commands: [CallCommand]) {
        let state = self.state.value
        var batches: [DeviceName: [CallCommand]] = [:]
        var order: [DeviceName] = []
        var presenceOutputs: [PresenceOutput] = []
        func append(_ name: DeviceName, _ command: CallCommand) {
            if batches[name] == nil {
                order.append(name)
                batches[name] = [command]
            } else {
                batches[name]?.append(command)
            }
        }
        for command in commands {
            switch command {
            case .registrationAccepted(let name, _), .configurationChanged(let name, _), .unregister(let name, _),
                .indicate(let name, _, _, _), .openReceiveChannel(let name, _, _, _),
                .startMediaTransmission(let name, _, _, _, _), .closeMedia(let name, _, _),
                .messageWaiting(let name, _, _), .notify(let name, _):
                append(name, command)
            case .doNotDisturbChanged(let name, let isOn):
                append(name, command)
                presenceOutputs += state.presence.handle(command)
                state.onDoNotDisturbChanged(name, isOn)
            case .registrationRejected(let name, _):
                append(name, command)
            case .autoRegistered(let name, let number):
                state.onAutoRegistered(name, number)
            case .startTimer(let id, let after):
                let components = after.components
                let nanoseconds = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
                state.timers[id] = self.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                    let state = self.state.value
                    state.timers[id] = nil
                    self.run(state.core.handle(.timerFired(id), at: Self.now()))
                }
            case .cancelTimer(let id):
                state.timers.removeValue(forKey: id)?.cancel()
            case .callRecord(let record):
                state.onCallRecord(record)
            case .lineStateChanged, .deviceStatusChanged:
                // Presence runs beside the core on this loop, fed in the core's order.
                presenceOutputs += state.presence.handle(command)
            }
        }
        for name in order {
            guard let batch = batches[name], let session = state.sessions[name] else { continue }
            session.deliver(batch)
        }
        // After the commands: a phone that just registered has its profile before its lamps' states.
        if !presenceOutputs.isEmpty { self.route(presenceOutputs) }
        // A rejected registration or a removed device no longer speaks for its name.
        for command in commands {
            switch command {
            case .registrationRejected(let name, _), .unregister(let name, _):
                state.sessions[name] = nil
            default:
                continue
            }
        }
    }

    /// Wall-clock time, so that call records carry real times (docs/callcontrol.md).
    static func now() -> Timestamp {
        let seconds = Date().timeIntervalSince1970
        return Timestamp(sinceEpoch: .nanoseconds(Int64(seconds * 1_000_000_000)))
    }
}
