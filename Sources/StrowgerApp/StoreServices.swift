import CallControl
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServerNIO
import ServiceLifecycle
import Store

/// Feeds the Store's committed changes to the CallControl core, in commit order, so that configuration applies
/// live: a changed number, line or device reaches the next call without a restart (design.md).
final class DirectoryChangeForwarder: Service, Sendable {
    private let changes: AsyncStream<DirectoryChange>
    private let host: CallControlHost

    init(changes: AsyncStream<DirectoryChange>, host: CallControlHost) {
        self.changes = changes
        self.host = host
    }

    func run() async {
        for await change in changes.cancelOnGracefulShutdown() {
            host.submit(.directoryChanged(change))
        }
    }
}

/// Persists the devices and numbers auto-registration hands out, off the call path: the core's loop only queues
/// them, and the writes run here, one at a time. What is queued when the server stops is still written.
///
/// A phone is told yes only once its device is saved (issue 13): each outcome goes to the `AutoRegistrationLedger`,
/// where the phone's connection holds its RegisterAck until then. A write that fails is retried
/// (``retryDelays``), counted and logged; one that fails for good is reported failed (the phone gets
/// RegisterReject) and revoked in the core (`revoke`), so that no number lives only in memory.
///
/// It also watches how full the auto-registration range is (``usage``), and logs a warning when it reaches 80 %.
final class AutoRegistrationRecorder: Service, Sendable {
    private struct Pending: Sendable {
        var items: [(DeviceName, DirectoryNumber)] = []
        var isFinished = false
    }

    /// What the recorder has done, for `/metrics`.
    struct Statistics: Sendable, Hashable {
        /// Auto-registrations saved.
        var saved = 0
        /// Writes that failed and were tried again.
        var retried = 0
        /// Auto-registrations that could not be saved after every retry (the phone was refused).
        var failed = 0
        /// The range's usage when last looked at.
        var usage: AutoRegistrationUsage?
    }

    /// The share of the range at which a warning is logged (once, until usage falls below it again).
    static let warningFraction = 0.8
    /// How long to wait before each retry of a failed write: about 3 s in all, within the time a phone's
    /// RegisterAck may wait (`GuardLimits.autoRegistrationSaveDeadline`).
    static let retryDelays: [Duration] = [.milliseconds(200), .seconds(1), .seconds(2)]
    /// The range's usage is read at most this often (a count over the lines).
    static let usageInterval: Duration = .seconds(1)

    private let store: Store
    private let logger: Logger
    private let ledger: AutoRegistrationLedger
    private let retryDelays: [Duration]
    private let pending = NIOLockedValueBox(Pending())
    private let state = NIOLockedValueBox(
        (statistics: Statistics(), warned: false, lastUsageCheck: ContinuousClock.Instant?.none)
    )
    private let hooks = NIOLockedValueBox(
        (
            saved: (@Sendable (DeviceName) -> Void)?.none,
            revoke: (@Sendable (DeviceName, DirectoryNumber) -> Void)?.none
        )
    )
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(
        store: Store,
        logger: Logger,
        ledger: AutoRegistrationLedger,
        retryDelays: [Duration] = AutoRegistrationRecorder.retryDelays
    ) {
        self.store = store
        self.logger = logger
        self.ledger = ledger
        self.retryDelays = retryDelays
        (self.wakeUps, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Sets what happens after a save (`saved`: the known-device set learns the name) and after a failure for good
    /// (`revoke`: the core forgets the device and its number).
    func onOutcome(
        saved: @escaping @Sendable (DeviceName) -> Void,
        revoke: @escaping @Sendable (DeviceName, DirectoryNumber) -> Void
    ) {
        self.hooks.withLockedValue { $0 = (saved, revoke) }
    }

    var statistics: Statistics {
        self.state.withLockedValue { $0.statistics }
    }

    /// Queues a registration to persist; never waits. Auto-registrations are bounded by the number range and by
    /// the registration gate's rates.
    func record(device: DeviceName, number: DirectoryNumber) {
        self.ledger.pending(device)
        let accepted = pending.withLockedValue { pending in
            guard !pending.isFinished else { return false }
            pending.items.append((device, number))
            return true
        }
        if accepted {
            wake.yield()
        } else {
            logger.warning(
                "Auto-registration arrived after shutdown and was not saved",
                metadata: ["device.name": "\(device)", "line.number": "\(number)"]
            )
            self.ledger.failed(device)
        }
    }

    func run() async {
        await self.checkUsage(force: true)
        await withGracefulShutdownHandler {
            for await _ in wakeUps {
                await writeQueued()
            }
        } onGracefulShutdown: {
            self.wake.finish()
        }
        // Stopped (gracefully or cancelled): what is still queued is written, in a task that cancellation does not
        // reach (a cancelled task cannot start a database write).
        pending.withLockedValue { $0.isFinished = true }
        await Task.detached { await self.writeQueued() }.value
    }

    /// The most auto-registrations saved in one transaction: a storm of new phones costs one commit (one fsync)
    /// per batch, not per phone, so the phones' RegisterAcks, which wait for the save, keep up.
    static let batchSize = 500

    private func writeQueued() async {
        while true {
            let batch = pending.withLockedValue { pending -> [(DeviceName, DirectoryNumber)] in
                let batch = Array(pending.items.prefix(Self.batchSize))
                pending.items.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { break }
            if let error = await self.save(batch) {
                // One of them may be at fault (it should not be: the core hands out valid names and numbers), so
                // each is tried once more on its own before it is given up.
                for item in batch {
                    if let error = batch.count == 1 ? error : await self.attempt([item]) {
                        self.failed(device: item.0, number: item.1, error: error)
                    } else {
                        self.saved(item.0)
                    }
                }
            } else {
                for item in batch { self.saved(item.0) }
            }
        }
        await self.checkUsage(force: false)
    }

    private func saved(_ device: DeviceName) {
        // Each auto-registration takes one more number of the range: counted at once, recounted from the Store at
        // most once per usageInterval (an administrator's changes move it too).
        let usage = self.state.withLockedValue { state -> AutoRegistrationUsage? in
            state.statistics.saved += 1
            state.statistics.usage?.used += 1
            return state.statistics.usage
        }
        if let usage { self.warnIfFull(usage) }
        self.hooks.withLockedValue { $0.saved }?(device)
        self.ledger.saved(device)
    }

    private func failed(device: DeviceName, number: DirectoryNumber, error: any Error) {
        self.state.withLockedValue { $0.statistics.failed += 1 }
        logger.error(
            "Could not save an auto-registration; the phone is refused and its number given back",
            metadata: [
                "device.name": "\(device)", "line.number": "\(number)", "error": "\(error)",
                "store.attempts": "\(self.retryDelays.count + 1)",
            ]
        )
        self.ledger.failed(device)
        self.hooks.withLockedValue { $0.revoke }?(device, number)
    }

    /// Writes a batch of auto-registrations, retrying after each failure; nil when it is saved, else the last
    /// error.
    private func save(_ batch: [(DeviceName, DirectoryNumber)]) async -> (any Error)? {
        var lastError: (any Error)?
        for attempt in 0...self.retryDelays.count {
            if attempt > 0 {
                self.state.withLockedValue { $0.statistics.retried += 1 }
                logger.warning(
                    "Saving auto-registrations failed; retrying",
                    metadata: [
                        "devices": "\(batch.count)", "store.attempt": "\(attempt)",
                        "error": "\(lastError.map { "\($0)" } ?? "")",
                    ]
                )
                // Not cancellable: a stopping server still finishes what it queued.
                await Task.detached { [delay = self.retryDelays[attempt - 1]] in
                    try? await Task.sleep(for: delay)
                }.value
            }
            lastError = await self.attempt(batch)
            if lastError == nil { return nil }
        }
        return lastError
    }

    /// One write of `batch`, in a task that cancellation does not reach; nil on success.
    private func attempt(_ batch: [(DeviceName, DirectoryNumber)]) async -> (any Error)? {
        let store = self.store
        let items = batch.map { (device: $0.0, number: $0.1) }
        return await Task.detached { () -> (any Error)? in
            do {
                try await store.recordAutoRegistrations(items)
                return nil
            } catch {
                return error
            }
        }.value
    }

    /// Reads how full the range is (at most once per ``usageInterval`` unless `force`) and warns once it reaches
    /// ``warningFraction``.
    private func checkUsage(force: Bool) async {
        let now = ContinuousClock.now
        let due = self.state.withLockedValue { state -> Bool in
            if !force, let last = state.lastUsageCheck, now - last < Self.usageInterval { return false }
            state.lastUsageCheck = now
            return true
        }
        guard due, let usage = try? await self.store.autoRegistrationUsage() else { return }
        self.state.withLockedValue { $0.statistics.usage = usage }
        self.warnIfFull(usage)
    }

    /// Logs the warning when `usage` reaches ``warningFraction`` for the first time since it was last below it.
    private func warnIfFull(_ usage: AutoRegistrationUsage) {
        let warn = self.state.withLockedValue { state -> Bool in
            let over = usage.fraction >= Self.warningFraction
            defer { state.warned = over }
            return over && !state.warned
        }
        if warn {
            logger.warning(
                """
                The auto-registration range is 80 % used; widen it (strowger serve --auto-register-range) \
                or prune unused devices (strowger device prune --auto-registered --unused-for 30d)
                """,
                metadata: [
                    "autoRegistration.used": "\(usage.used)", "autoRegistration.size": "\(usage.size)",
                    "autoRegistration.range": "\(usage.range.lowerBound)-\(usage.range.upperBound)",
                ]
            )
        }
    }
}

/// Keeps each device's last registration (`lastRegisteredAt`) from the registration gate's reports, written in
/// batches every few seconds off the call path, with retries; failures are counted and logged. What is pending at
/// shutdown is written.
final class RegistrationTimeRecorder: Service, Sendable {
    /// How often the seen names are written.
    static let interval: Duration = .seconds(5)

    private let store: Store
    private let logger: Logger
    private let seen = NIOLockedValueBox(Set<DeviceName>())
    /// Batches that could not be written (each after its retries).
    let failures = NIOLockedValueBox(0)

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// The gate's report; never waits.
    func observe(_ observation: RegistrationGate.Observation) {
        switch observation {
        case .registered(let name), .unregistered(let name):
            _ = self.seen.withLockedValue { $0.insert(name) }
        }
    }

    func run() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            } catch {
                break
            }
            await self.flush()
        }
        // What was seen since the last write, in a task that cancellation does not reach.
        await Task.detached { await self.flush() }.value
    }

    private func flush() async {
        let names = self.seen.withLockedValue { seen -> [DeviceName] in
            defer { seen.removeAll(keepingCapacity: true) }
            return Array(seen)
        }
        guard !names.isEmpty else { return }
        let now = Date()
        for attempt in 0..<3 {
            do {
                try await self.store.recordRegistrations(of: names, at: now)
                return
            } catch {
                logger.warning(
                    "Could not save when devices last registered",
                    metadata: ["store.attempt": "\(attempt + 1)", "devices": "\(names.count)", "error": "\(error)"]
                )
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        self.failures.withLockedValue { $0 += 1 }
    }
}

/// At a clean shutdown, ends every registration before the CDR writer drains, so that the calls still up end with
/// a record that is written (issue 4: no CDR lost on a clean shutdown). Listed after the CDR writer: services stop
/// in reverse order.
final class SessionDrain: Service, Sendable {
    private let host: CallControlHost

    init(host: CallControlHost) {
        self.host = host
    }

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // Cancelled: no orderly stop.
        }
        try await host.closeAllSessions()
    }
}
