import CallControl
import CallRuntime
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
/// registration; issue 12). The core's loop only queues; the writes run here, one at a time. What is queued when the
/// server stops is still written.
///
/// One queue for both keeps a new phone's auto-registration ahead of its first DND change, so the device is stored
/// when its DND is. A DND change for a device that has one queued already replaces that entry's value where it
/// stands, so the queue holds at most one DND entry per device (O(1) per report, through an index by device), and
/// auto-registrations are bounded by the number range.
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

        mutating func popFirst() -> Report? {
            while head < next {
                defer { head += 1 }
                guard let report = reports.removeValue(forKey: head) else { continue }
                if case .doNotDisturb(let device, _) = report, doNotDisturbEntries[device] == head {
                    doNotDisturbEntries[device] = nil
                }
                return report
            }
            return nil
        }
    }

    private let store: Store
    private let logger: Logger
    private let pending = NIOLockedValueBox(Pending())
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
        (self.wakeUps, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an auto-registration to persist; never waits.
    func record(device: DeviceName, number: DirectoryNumber) {
        self.queue(.autoRegistered(device, number))
    }

    /// Queues a device's DND state to persist (replacing one still queued for the device); never waits.
    func recordDoNotDisturb(device: DeviceName, isOn: Bool) {
        self.queue(.doNotDisturb(device, isOn: isOn))
    }

    private func queue(_ report: Report) {
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
    }

    func run() async {
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
        while let report = pending.withLockedValue({ $0.popFirst() }) {
            let store = self.store
            let result = await Task.detached { () -> (any Error)? in
                do {
                    switch report {
                    case .autoRegistered(let device, let number):
                        try await store.recordAutoRegistration(device: device, number: number)
                    case .doNotDisturb(let device, let isOn):
                        try await store.recordDoNotDisturb(isOn, device: device)
                    }
                    return nil
                } catch {
                    return error
                }
            }.value
            if let result {
                var metadata = Self.metadata(report)
                metadata["error"] = "\(result)"
                logger.error("Could not save what the core reported", metadata: metadata)
            }
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
