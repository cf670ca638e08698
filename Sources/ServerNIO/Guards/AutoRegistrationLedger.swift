public import CallControl
import NIOConcurrencyHelpers
public import NIOCore

/// Where the server learns whether an auto-registration was saved, so that a phone is told yes only to a number
/// the database keeps (issue 13: with the disk full, auto-registrations were acknowledged and never saved).
///
/// The writer of auto-registrations (the composition root's recorder) reports each device ``saved(_:)`` or
/// ``failed(_:now:)``; a phone's connection holds its RegisterAck until then (``RegistrationGate``). After a save
/// failed for good, new devices are refused for a while (``isRefusingNewDevices(now:)``): the disk is full or
/// read-only, and phones that retry would only fail again.
public final class AutoRegistrationLedger: Sendable {
    /// What became of a device's auto-registration.
    public enum Outcome: Hashable, Sendable {
        /// In the database: the phone may be told yes.
        case saved
        /// Not saved after every retry: the phone must be told no.
        case failed
    }

    private struct Waiter {
        var id: UInt64
        var eventLoop: any EventLoop
        var callback: @Sendable (Outcome) -> Void
    }

    private struct State {
        /// Outcomes of the last ``retention``, so that a connection that asks after the fact still learns it.
        var outcomes: [DeviceName: (outcome: Outcome, at: NIODeadline)] = [:]
        var waiters: [DeviceName: [Waiter]] = [:]
        var refusingUntil: NIODeadline?
        var nextWaiter: UInt64 = 1
    }

    /// How long an outcome is remembered: far longer than a RegisterAck waits (``GuardLimits``'s save deadline).
    static let retention = TimeAmount.seconds(60)
    /// Outcomes remembered at most; the oldest are dropped first when the table is pruned.
    static let maximumOutcomes = 100_000

    private let state = NIOLockedValueBox(State())
    private let pause: TimeAmount

    /// - Parameter pause: how long new devices are refused after a save failed for good.
    public init(pause: TimeAmount = GuardLimits.autoRegistrationPauseAfterFailure) {
        self.pause = pause
    }

    /// The device was just given a number and its save is queued: any outcome remembered from an earlier attempt
    /// no longer applies.
    public func pending(_ name: DeviceName) {
        self.state.withLockedValue { _ = $0.outcomes.removeValue(forKey: name) }
    }

    /// The device's auto-registration is in the database.
    public func saved(_ name: DeviceName, now: NIODeadline = .now()) {
        self.settle(name, .saved, now: now)
    }

    /// The device's auto-registration could not be saved (after retries); new devices are refused for a while.
    public func failed(_ name: DeviceName, now: NIODeadline = .now()) {
        self.state.withLockedValue { $0.refusingUntil = now + self.pause }
        self.settle(name, .failed, now: now)
    }

    /// Whether new devices are refused now because a save failed recently.
    public func isRefusingNewDevices(now: NIODeadline = .now()) -> Bool {
        self.state.withLockedValue { state in
            guard let until = state.refusingUntil else { return false }
            if now < until { return true }
            state.refusingUntil = nil
            return false
        }
    }

    /// Calls `callback` on `eventLoop` with the device's outcome: at once if it is known, else when it is reported.
    /// Returns a function that withdraws the callback (a deadline passed, the connection closed).
    func whenSettled(
        _ name: DeviceName,
        on eventLoop: any EventLoop,
        callback: @escaping @Sendable (Outcome) -> Void
    ) -> @Sendable () -> Void {
        let (known, id) = self.state.withLockedValue { state -> (Outcome?, UInt64) in
            if let known = state.outcomes[name] { return (known.outcome, 0) }
            let id = state.nextWaiter
            state.nextWaiter += 1
            state.waiters[name, default: []].append(Waiter(id: id, eventLoop: eventLoop, callback: callback))
            return (nil, id)
        }
        if let known {
            eventLoop.execute { callback(known) }
            return {}
        }
        return { [weak self] in
            self?.state.withLockedValue { state in
                guard var waiters = state.waiters[name] else { return }
                waiters.removeAll { $0.id == id }
                state.waiters[name] = waiters.isEmpty ? nil : waiters
            }
        }
    }

    private func settle(_ name: DeviceName, _ outcome: Outcome, now: NIODeadline) {
        let waiters = self.state.withLockedValue { state -> [Waiter] in
            if state.outcomes.count >= Self.maximumOutcomes {
                state.outcomes = state.outcomes.filter { now - $0.value.at < Self.retention }
                if state.outcomes.count >= Self.maximumOutcomes { state.outcomes.removeAll() }
            }
            state.outcomes[name] = (outcome, now)
            return state.waiters.removeValue(forKey: name) ?? []
        }
        for waiter in waiters {
            waiter.eventLoop.execute { waiter.callback(outcome) }
        }
    }
}
