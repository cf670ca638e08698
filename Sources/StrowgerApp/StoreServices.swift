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

/// Persists the devices and numbers auto-registration hands out, off the call path: the core's loop only queues
/// them, and the writes run here, one transaction per batch of whatever arrived meanwhile. What is queued when the
/// server stops is still written.
final class AutoRegistrationRecorder: Service, Sendable {
    private struct Pending: Sendable {
        var items: [(DeviceName, DirectoryNumber)] = []
        var isFinished = false
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

    /// Queues a registration to persist; never waits. Auto-registrations are bounded by the number range.
    func record(device: DeviceName, number: DirectoryNumber) {
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

    /// Writes everything queued, in batches: whatever arrived while the last batch was written goes in the next one,
    /// in one transaction (a storm of new phones is one commit per batch, not one per phone). A batch that fails is
    /// written again one registration at a time, so that one bad pair costs only itself.
    private func writeQueued() async {
        while true {
            let batch = pending.withLockedValue { pending -> [(DeviceName, DirectoryNumber)] in
                let batch = Array(pending.items.prefix(Self.maximumBatch))
                pending.items.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            let store = self.store
            let failed = await Task.detached { () -> (any Error)? in
                do {
                    try await store.recordAutoRegistrations(batch.map { (device: $0.0, number: $0.1) })
                    return nil
                } catch {
                    return error
                }
            }.value
            guard failed != nil else { continue }
            for (device, number) in batch {
                let result = await Task.detached { () -> (any Error)? in
                    do {
                        try await store.recordAutoRegistration(device: device, number: number)
                        return nil
                    } catch {
                        return error
                    }
                }.value
                if let result {
                    logger.error(
                        "Could not save an auto-registration",
                        metadata: ["device.name": "\(device)", "line.number": "\(number)", "error": "\(result)"]
                    )
                }
            }
        }
    }

    /// The most registrations in one transaction: bounds the transaction's time and the changes it publishes.
    static let maximumBatch = 1_000
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
