public import Logging
import NIOConcurrencyHelpers
public import NIOCore

/// The guard state one TCP listener shares across its event loops: admission (allow-list, rate and ban, caps), the
/// count of connections that have not registered, the counters by reason and the rate-limited rejection log.
///
/// Handlers call in once per connection event (accept, register, close), never per message, so one lock is enough.
public final class ListenerGuard: Sendable {
    /// The service name in statistics and logs: `sccp`, `sccps`.
    public let service: String
    public let configuration: ConnectionGuardConfiguration
    /// Counts by reason; per-connection handlers add to them.
    public let counters = GuardCounters()
    private let logger: Logger
    private let now: @Sendable () -> NIODeadline
    private let state: NIOLockedValueBox<State>

    private struct State: Sendable {
        var admission: ConnectionAdmission
        var unregistered = 0
        var standby = 0
        var log: RejectionLogLimiter
    }

    /// - Parameter now: the clock; tests inject one.
    public init(
        service: String,
        configuration: ConnectionGuardConfiguration,
        logger: Logger,
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.service = service
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.state = NIOLockedValueBox(
            State(
                admission: ConnectionAdmission(configuration: configuration),
                log: RejectionLogLimiter(interval: configuration.logInterval)
            )
        )
    }

    /// The counters and gauges now.
    public func statistics() -> GuardStatistics {
        let now = self.now()
        let (open, unregistered, standby, banned) = self.state.withLockedValue { state in
            (
                state.admission.openConnections, state.unregistered, state.standby,
                state.admission.bannedSources(now: now)
            )
        }
        return GuardStatistics(
            service: self.service,
            rejections: self.counters.snapshot(),
            openConnections: open,
            unregisteredConnections: unregistered,
            standbyConnections: standby,
            bannedSources: banned
        )
    }

    /// A connection was accepted from `source`: whether to keep it. A refusal is counted and logged.
    func admit(_ source: SourceAddress) -> ConnectionAdmission.Decision {
        let now = self.now()
        let decision = self.state.withLockedValue { $0.admission.connectionOpened(from: source, now: now) }
        if case .reject(let reason) = decision {
            self.reject(reason, source: source, now: now)
        }
        return decision
    }

    /// An admitted connection closed.
    func connectionClosed(_ source: SourceAddress) {
        self.state.withLockedValue { $0.admission.connectionClosed(from: source) }
    }

    /// Takes one of the slots for connections that have not registered; false (counted and logged) when none is free.
    func acquireUnregisteredSlot(source: SourceAddress) -> Bool {
        let granted = self.state.withLockedValue { state -> Bool in
            guard state.unregistered < self.configuration.maximumUnregisteredConnections else { return false }
            state.unregistered += 1
            return true
        }
        if !granted {
            self.reject(.unregisteredConnectionLimit, source: source)
        }
        return granted
    }

    /// Gives an unregistered slot back: the connection registered or closed.
    func releaseUnregisteredSlot() {
        self.state.withLockedValue { $0.unregistered = max(0, $0.unregistered - 1) }
    }

    /// Takes one of the slots for phones' standby connections; false (counted and logged) when none is free.
    func acquireStandbySlot(source: SourceAddress) -> Bool {
        let granted = self.state.withLockedValue { state -> Bool in
            guard state.standby < self.configuration.maximumStandbyConnections else { return false }
            state.standby += 1
            return true
        }
        if !granted {
            self.reject(.standbyConnectionLimit, source: source)
        }
        return granted
    }

    /// Gives a standby slot back: the connection registered, timed out or closed.
    func releaseStandbySlot() {
        self.state.withLockedValue { $0.standby = max(0, $0.standby - 1) }
    }

    /// Counts a rejection and logs it if the rate-limited log lets it through.
    func reject(_ reason: GuardRejectionReason, source: SourceAddress, now: NIODeadline? = nil) {
        self.counters.record(reason)
        let now = now ?? self.now()
        let decision = self.state.withLockedValue { $0.log.rejection(reason, from: source, now: now) }
        guard case .log(let suppressed) = decision else { return }
        self.logger.info(
            "Guard refused a peer",
            metadata: [
                "guard.service": "\(self.service)", "guard.reason": "\(reason)", "guard.source": "\(source)",
                "guard.suppressed": "\(suppressed)",
            ]
        )
    }
}

/// A rate-limited rejection log for services without connection state (UDP): one line per reason and source per
/// interval.
final class RejectionLog: Sendable {
    private let service: String
    private let logger: Logger
    private let limiter: NIOLockedValueBox<RejectionLogLimiter>
    let counters = GuardCounters()

    init(service: String, logger: Logger, interval: TimeAmount = GuardLimits.logInterval) {
        self.service = service
        self.logger = logger
        self.limiter = NIOLockedValueBox(RejectionLogLimiter(interval: interval))
    }

    func reject(_ reason: GuardRejectionReason, source: SourceAddress, now: NIODeadline = .now()) {
        self.counters.record(reason)
        let decision = self.limiter.withLockedValue { $0.rejection(reason, from: source, now: now) }
        guard case .log(let suppressed) = decision else { return }
        self.logger.info(
            "Guard dropped a datagram",
            metadata: [
                "guard.service": "\(self.service)", "guard.reason": "\(reason)", "guard.source": "\(source)",
                "guard.suppressed": "\(suppressed)",
            ]
        )
    }
}
