import CallControl
import CallRuntime
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

/// Persists what the core reports about devices, off the call path and in the order it reported them: the devices
/// and numbers auto-registration hands out, and do-not-disturb changes (the DND softkey, and the report after each
/// registration; issue 12). The core's loop only queues; the writes run here. What is queued when the server stops is
/// still written.
///
/// One queue for both keeps a new phone's auto-registration ahead of its first DND change, so the device is stored
/// when its DND is. A DND change for a device that has one queued already replaces that entry's value where it
/// stands, so the queue holds at most one DND entry per device (O(1) per report, through an index by device), and
/// auto-registrations are bounded by the number range and the registration gate's rates.
///
/// A phone is told yes only once its auto-registration is saved (issue 13): each outcome goes to the
/// `AutoRegistrationLedger`, where the phone's connection holds its RegisterAck until then. Consecutive
/// auto-registrations are saved in batches (one transaction, one fsync, up to ``batchSize``), so that a storm of new
/// phones keeps up. A write that fails is retried (``retryDelays``), counted and logged; an auto-registration that
/// fails for good is reported failed (the phone gets RegisterReject) and revoked in the core (`revoke`), so that no
/// number lives only in memory. It also watches how full the auto-registration range is, and logs a warning when it
/// reaches 80 %.
final class DeviceReportRecorder: Service, Sendable {
    /// One write to make.
    enum Report: Sendable, Hashable {
        case autoRegistered(DeviceName, DirectoryNumber)
        case doNotDisturb(DeviceName, isOn: Bool)
    }

    private struct Pending: Sendable {
        /// The reports not yet written, by sequence number; `head` is the oldest.
        var reports: [UInt64: Report] = [:]
        var head: UInt64 = 0
        var next: UInt64 = 0
        /// The sequence number of each device's queued DND report.
        var doNotDisturbEntries: [DeviceName: UInt64] = [:]
        var isFinished = false

        mutating func append(_ report: Report) {
            reports[next] = report
            if case .doNotDisturb(let device, _) = report { doNotDisturbEntries[device] = next }
            next += 1
        }

        /// The oldest report, or, when the oldest ones are auto-registrations, up to `limit` of them in a row.
        mutating func popNext(limit: Int) -> (registrations: [(DeviceName, DirectoryNumber)], other: Report?) {
            var registrations: [(DeviceName, DirectoryNumber)] = []
            while head < next, registrations.count < limit {
                guard let report = reports[head] else {
                    head += 1
                    continue
                }
                switch report {
                case .autoRegistered(let device, let number):
                    reports[head] = nil
                    head += 1
                    registrations.append((device, number))
                case .doNotDisturb(let device, _):
                    guard registrations.isEmpty else { return (registrations, nil) }
                    reports[head] = nil
                    if doNotDisturbEntries[device] == head { doNotDisturbEntries[device] = nil }
                    head += 1
                    return ([], report)
                }
            }
            return (registrations, nil)
        }
    }

    /// What the recorder has done, for `/metrics`.
    struct Statistics: Sendable, Hashable {
        /// Auto-registrations saved.
        var saved = 0
        /// Writes that failed and were tried again.
        var retried = 0
        /// Auto-registrations that could not be saved after every retry (the phone was refused).
        var failed = 0
        /// DND changes that could not be saved after every retry.
        var doNotDisturbFailed = 0
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
    /// The most auto-registrations saved in one transaction: a storm of new phones costs one commit (one fsync)
    /// per batch, not per phone, so the phones' RegisterAcks, which wait for the save, keep up.
    static let batchSize = 500

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
        ledger: AutoRegistrationLedger = AutoRegistrationLedger(),
        retryDelays: [Duration] = DeviceReportRecorder.retryDelays
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

    /// Queues an auto-registration to persist; never waits.
    func record(device: DeviceName, number: DirectoryNumber) {
        self.ledger.pending(device)
        if !self.queue(.autoRegistered(device, number)) {
            self.ledger.failed(device)
        }
    }

    /// Queues a device's DND state to persist (replacing one still queued for the device); never waits.
    func recordDoNotDisturb(device: DeviceName, isOn: Bool) {
        _ = self.queue(.doNotDisturb(device, isOn: isOn))
    }

    private func queue(_ report: Report) -> Bool {
        let accepted = pending.withLockedValue { pending in
            guard !pending.isFinished else { return false }
            if case .doNotDisturb(let device, _) = report, let entry = pending.doNotDisturbEntries[device],
                pending.reports[entry] != nil
            {
                pending.reports[entry] = report
            } else {
                pending.append(report)
            }
            return true
        }
        if accepted {
            wake.yield()
        } else {
            logger.warning("A device report arrived after shutdown and was not saved", metadata: Self.metadata(report))
        }
        return accepted
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

    private func writeQueued() async {
        while true {
            let (registrations, other) = pending.withLockedValue { $0.popNext(limit: Self.batchSize) }
            if !registrations.isEmpty {
                await self.saveAutoRegistrations(registrations)
            } else if let other {
                if let error = await self.save(other) {
                    self.state.withLockedValue { $0.statistics.doNotDisturbFailed += 1 }
                    var metadata = Self.metadata(other)
                    metadata["error"] = "\(error)"
                    logger.error("Could not save what the core reported", metadata: metadata)
                }
            } else {
                break
            }
        }
        await self.checkUsage(force: false)
    }

    private func saveAutoRegistrations(_ batch: [(DeviceName, DirectoryNumber)]) async {
        if let error = await self.save(.batch(batch)) {
            // One of them may be at fault (a number configured as a pilot meanwhile), so each is tried once more on
            // its own before it is given up.
            for item in batch {
                if let error = batch.count == 1 ? error : await self.attempt(.batch([item])) {
                    self.failed(device: item.0, number: item.1, error: error)
                } else {
                    self.saved(item.0)
                }
            }
        } else {
            for item in batch { self.saved(item.0) }
        }
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

    /// What one write saves.
    private enum Write: Sendable {
        case batch([(DeviceName, DirectoryNumber)])
        case report(Report)

        var count: Int {
            switch self {
            case .batch(let batch): batch.count
            case .report: 1
            }
        }
    }

    private func save(_ report: Report) async -> (any Error)? {
        await self.save(.report(report))
    }

    /// Writes, retrying after each failure that may pass (the database's own: the disk, a lock); nil when it is
    /// saved, else the last error. A write the Store refuses for what it says (an unknown device, a number that is
    /// taken) is not tried again.
    private func save(_ write: Write) async -> (any Error)? {
        var lastError: (any Error)?
        for attempt in 0...self.retryDelays.count {
            if let error = lastError as? StoreError, error.code != .database { return error }
            if attempt > 0 {
                self.state.withLockedValue { $0.statistics.retried += 1 }
                logger.warning(
                    "Saving device reports failed; retrying",
                    metadata: [
                        "devices": "\(write.count)", "store.attempt": "\(attempt)",
                        "error": "\(lastError.map { "\($0)" } ?? "")",
                    ]
                )
                // Not cancellable: a stopping server still finishes what it queued.
                await Task.detached { [delay = self.retryDelays[attempt - 1]] in
                    try? await Task.sleep(for: delay)
                }.value
            }
            lastError = await self.attempt(write)
            if lastError == nil { return nil }
        }
        return lastError
    }

    /// One write, in a task that cancellation does not reach; nil on success.
    private func attempt(_ write: Write) async -> (any Error)? {
        let store = self.store
        return await Task.detached { () -> (any Error)? in
            do {
                switch write {
                case .batch(let batch):
                    try await store.recordAutoRegistrations(batch.map { (device: $0.0, number: $0.1) })
                case .report(.autoRegistered(let device, let number)):
                    try await store.recordAutoRegistration(device: device, number: number)
                case .report(.doNotDisturb(let device, let isOn)):
                    try await store.recordDoNotDisturb(isOn, device: device)
                }
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
    private static func metadata(_ report: Report) -> Logger.Metadata {
        switch report {
        case .autoRegistered(let device, let number):
            ["device.name": "\(device)", "line.number": "\(number)"]
        case .doNotDisturb(let device, let isOn):
            ["device.name": "\(device)", "device.doNotDisturb": "\(isOn)"]
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
