public import NIOCore
import SkinnyWire

/// A simulated phone with a list of call managers (a CallManager group) that fails over and falls back as a Cisco
/// phone does: registered with one, an unregistered standby connection to the next that gets KeepAlives, failover to
/// the standby (registering on that very connection) when the registered connection closes or three KeepAlives go
/// unanswered, and re-homing to a call manager higher in the list when it answers a probe and the phone is idle.
///
/// Each connection is a `SkinnyPhone` with the same configuration; `phone()` is the registered one, to drive calls.
/// The decisions are `FailoverMachine`'s; one supervising task per phone runs them.
///
/// ```swift
/// let phone = try await FailoverPhone.start(
///     callManagers: [.init(host: "10.0.0.1", port: 2000), .init(host: "10.0.0.2", port: 2000)],
///     configuration: .init(deviceName: "SEP000000001001"), group: group)
/// try await phone.waitForRegistration(on: 1)   // after the first call manager died
/// ```
public actor FailoverPhone {
    /// One call manager of the list.
    public struct CallManager: Hashable, Sendable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { "\(self.host):\(self.port)" }
    }

    /// The timing of failover and fallback.
    public struct Policy: Hashable, Sendable {
        /// KeepAlives in a row without an answer after which the registered call manager is lost (3, as a Cisco
        /// phone).
        public var maximumUnansweredKeepAlives: Int
        /// The interval of the standby connection's KeepAlives; nil = RegisterAck's secondaryKeepAliveInterval (its
        /// keepAliveInterval when that is 0).
        public var standbyKeepAlive: Duration?
        /// How often a phone on a backup probes the call managers above it (a test makes it short).
        public var fallbackProbeInterval: Duration
        /// How long one registration attempt may take.
        public var registerTimeout: Duration
        /// The pause between two rounds over the whole list when no call manager could be reached.
        public var retryInterval: Duration

        public init(
            maximumUnansweredKeepAlives: Int = 3,
            standbyKeepAlive: Duration? = nil,
            fallbackProbeInterval: Duration = .seconds(60),
            registerTimeout: Duration = .seconds(10),
            retryInterval: Duration = .seconds(1)
        ) {
            self.maximumUnansweredKeepAlives = maximumUnansweredKeepAlives
            self.standbyKeepAlive = standbyKeepAlive
            self.fallbackProbeInterval = fallbackProbeInterval
            self.registerTimeout = registerTimeout
            self.retryInterval = retryInterval
        }
    }

    /// Where the phone stands.
    public struct Status: Hashable, Sendable {
        /// The call manager the phone is registered with (its index in the list), nil while it looks for one.
        public var registered: Int?
        /// The call manager holding the standby connection, if one is open.
        public var standby: Int?
        /// Registrations after a lost call manager.
        public var failovers: Int
        /// Registrations back on a call manager higher in the list.
        public var fallbacks: Int
        /// When the phone registered where it is (nil while it looks for a call manager): with `lostAt`, how long a
        /// failover took, as a load generator measures a re-homing storm.
        public var registeredAt: ContinuousClock.Instant?
        /// When the phone last found its call manager lost (closed, or too many KeepAlives unanswered).
        public var lostAt: ContinuousClock.Instant?
    }

    public let callManagers: [CallManager]
    public let configuration: SkinnyPhone.Configuration
    public let policy: Policy
    private let group: any EventLoopGroup
    private var machine: FailoverMachine
    private var current: SkinnyPhone?
    private var standbyConnection: (index: Int, phone: SkinnyPhone)?
    private var standbyKeepAlivesSent = 0
    private var nextStandbyKeepAlive: ContinuousClock.Instant?
    private var supervisor: Task<Void, Never>?
    private var registeredAt: ContinuousClock.Instant?
    private var lostAt: ContinuousClock.Instant?

    private init(
        callManagers: [CallManager],
        configuration: SkinnyPhone.Configuration,
        policy: Policy,
        group: any EventLoopGroup
    ) {
        self.callManagers = callManagers
        self.configuration = configuration
        self.policy = policy
        self.group = group
        self.machine = FailoverMachine(
            count: callManagers.count,
            maximumUnansweredKeepAlives: policy.maximumUnansweredKeepAlives,
            fallbackProbeInterval: policy.fallbackProbeInterval
        )
    }

    /// Registers with the first call manager of `callManagers` that accepts the phone (throwing the last error when
    /// none does), opens the standby connection, and starts supervising.
    public static func start(
        callManagers: [CallManager],
        configuration: SkinnyPhone.Configuration,
        policy: Policy = Policy(),
        group: any EventLoopGroup
    ) async throws -> FailoverPhone {
        guard !callManagers.isEmpty else {
            throw SkinnyPhoneError.invalidArgument(configuration.deviceName, "the CallManager list is empty")
        }
        let phone = FailoverPhone(
            callManagers: callManagers,
            configuration: configuration,
            policy: policy,
            group: group
        )
        try await phone.registerFirst()
        return phone
    }

    private func registerFirst() async throws {
        var lastError: (any Error)?
        for index in self.callManagers.indices {
            do {
                let phone = try await self.connect(index)
                do {
                    try await phone.register(timeout: self.policy.registerTimeout)
                } catch {
                    try? await phone.abort()
                    throw error
                }
                await self.registered(phone, on: index, reason: .initial)
                self.supervisor = Task { await self.supervise() }
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SkinnyPhoneError.invalidArgument(self.configuration.deviceName, "no call manager")
    }

    /// The registered connection (the last one when the phone is between call managers).
    public func phone() throws -> SkinnyPhone {
        guard let current else { throw SkinnyPhoneError.invalidArgument(self.configuration.deviceName, "stopped") }
        return current
    }

    /// Where the phone stands now.
    public func status() -> Status {
        Status(
            registered: self.machine.registered,
            standby: self.standbyConnection?.index,
            failovers: self.machine.failovers,
            fallbacks: self.machine.fallbacks,
            registeredAt: self.machine.registered == nil ? nil : self.registeredAt,
            lostAt: self.lostAt
        )
    }

    /// Waits until the phone is registered with call manager `index` and returns that connection.
    @discardableResult
    public func waitForRegistration(on index: Int, timeout: Duration = .seconds(10)) async throws -> SkinnyPhone {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while self.machine.registered != index {
            guard ContinuousClock.now < deadline else {
                throw SkinnyPhoneError.timedOut(
                    self.configuration.deviceName,
                    waitingFor: "registration on \(self.callManagers[index])",
                    after: timeout,
                    recent: "\(self.status())"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try self.phone()
    }

    /// Stops supervising and closes every connection (no Unregister).
    public func stop() async {
        self.supervisor?.cancel()
        await self.supervisor?.value
        self.supervisor = nil
        try? await self.current?.disconnect()
        await self.closeStandby()
        self.current = nil
    }

    // MARK: Supervising

    private func supervise() async {
        while !Task.isCancelled {
            guard let current else { return }
            let tick = self.tick
            let machine = self.machine
            // Resolves at once when the connection is lost; otherwise after one tick.
            let lost: Void? = try? await current.waitForState("the call manager lost", timeout: tick) { state in
                machine.isLost(
                    connectionClosed: state.connection == .closed,
                    keepAlivesSent: state.keepAlivesSent,
                    keepAliveAcks: state.keepAliveAcks
                ) ? () : nil
            }
            if Task.isCancelled { return }
            if lost != nil {
                await self.failOver(from: current)
                continue
            }
            await self.serviceStandby()
            await self.probeForFallback()
        }
    }

    /// How long the supervisor waits between its other duties: standby KeepAlives and probes.
    private var tick: Duration {
        min(self.standbyInterval, self.policy.fallbackProbeInterval, .seconds(1))
    }

    private var standbyInterval: Duration { self.policy.standbyKeepAlive ?? self.registeredStandbyInterval }

    /// RegisterAck's secondary keepalive interval (else its keepalive interval), for the standby connection.
    private var registeredStandbyInterval: Duration = .seconds(30)

    private func failOver(from lost: SkinnyPhone) async {
        guard let lostIndex = self.machine.registered else { return }
        self.lostAt = .now
        try? await lost.abort()
        await self.registerSomewhere(self.machine.lost(lostIndex))
    }

    /// Tries the call managers in `order` until one registers the phone, a round every `retryInterval`, until the
    /// supervisor is cancelled.
    private func registerSomewhere(_ order: [Int]) async {
        while !Task.isCancelled {
            for index in order {
                if let phone = await self.registerOn(index) {
                    await self.registered(phone, on: index, reason: .failover)
                    return
                }
            }
            try? await Task.sleep(for: self.policy.retryInterval)
        }
    }

    /// Registers on call manager `index`: on the standby connection when it is that one, else on a new connection.
    private func registerOn(_ index: Int) async -> SkinnyPhone? {
        let phone: SkinnyPhone
        if let standby = self.standbyConnection, standby.index == index {
            self.standbyConnection = nil
            phone = standby.phone
        } else {
            guard let connected = try? await self.connect(index) else { return nil }
            phone = connected
        }
        do {
            try await phone.register(timeout: self.policy.registerTimeout)
            return phone
        } catch {
            try? await phone.abort()
            return nil
        }
    }

    private func registered(_ phone: SkinnyPhone, on index: Int, reason: FailoverMachine.Reason) async {
        self.current = phone
        self.registeredAt = .now
        self.machine.registered(on: index, reason: reason, now: .now)
        if let registration = try? await phone.state().registration {
            let seconds =
                registration.secondaryKeepAliveInterval != 0
                ? registration.secondaryKeepAliveInterval : registration.keepAliveInterval
            self.registeredStandbyInterval = .seconds(Int64(seconds == 0 ? 30 : seconds))
        }
        await self.closeStandby()
        await self.serviceStandby()
    }

    /// Opens the standby connection when there should be one, and sends its KeepAlive when due; a standby that
    /// closed or stopped answering is replaced.
    private func serviceStandby() async {
        let interval = self.standbyInterval
        if let standby = self.standbyConnection {
            let state = try? await standby.phone.state()
            let broken =
                state == nil || state?.connection == .closed
                || self.standbyKeepAlivesSent - (state?.keepAliveAcks ?? 0) >= self.machine.maximumUnansweredKeepAlives
            if broken || standby.index != self.machine.standby { await self.closeStandby() }
        }
        if self.standbyConnection == nil, let index = self.machine.standby,
            let phone = try? await self.connect(index)
        {
            self.standbyConnection = (index, phone)
            self.standbyKeepAlivesSent = 0
            self.nextStandbyKeepAlive = .now
        }
        guard let standby = self.standbyConnection, let due = self.nextStandbyKeepAlive, ContinuousClock.now >= due
        else { return }
        self.nextStandbyKeepAlive = ContinuousClock.now.advanced(by: interval)
        self.standbyKeepAlivesSent += 1
        try? await standby.phone.send(.keepAlive)
    }

    private func closeStandby() async {
        guard let standby = self.standbyConnection else { return }
        self.standbyConnection = nil
        try? await standby.phone.disconnect()
    }

    /// While on a backup: when a probe is due and the phone is idle, tries the call managers above; the first that
    /// accepts a connection gets the phone (Unregister from the backup, Register on the new connection). A phone in
    /// a call does not probe: it would not move anyway.
    private func probeForFallback() async {
        guard let candidates = self.machine.probe(now: .now), let current, let from = self.machine.registered else {
            return
        }
        let isIdle = (try? await current.state().calls.isEmpty) ?? false
        guard self.machine.shouldFallBack(isIdle: isIdle) else { return }
        for index in candidates {
            guard let probe = try? await self.connect(index) else { continue }
            do {
                try await current.unregister(timeout: self.policy.registerTimeout)
            } catch {
                // The backup refused (a call came in meanwhile): stay, and probe again later.
                try? await probe.disconnect()
                return
            }
            do {
                try await probe.register(timeout: self.policy.registerTimeout)
                await self.registered(probe, on: index, reason: .fallback)
            } catch {
                // The call manager above accepted the connection but not the phone: back to the backup (or whatever
                // answers), as after any loss.
                try? await probe.abort()
                _ = self.machine.lost(from)
                await self.registerSomewhere([from] + self.callManagers.indices.filter { $0 != from })
            }
            return
        }
    }

    private func connect(_ index: Int) async throws -> SkinnyPhone {
        let callManager = self.callManagers[index]
        return try await SkinnyPhone.connect(
            host: callManager.host,
            port: callManager.port,
            configuration: self.configuration,
            group: self.group
        )
    }
}
