import CallControl
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Store

/// Persists the do-not-disturb state the core reports (`doNotDisturbChanged`: the phone's DND softkey, and after
/// each registration), so that it survives a restart and the admin API shows it. The core's loop only notes the
/// latest state per device; the writes run here, one at a time, off the call path.
///
/// Memory is bounded by the number of devices: a device that toggles DND again before its write ran keeps one entry,
/// its latest state. The Store writes only a change and publishes `upsertDevice` for it, which the core already
/// has; a state the Store already holds (the report after registration) writes and publishes nothing.
final class DoNotDisturbRecorder: Service, Sendable {
    private struct Pending: Sendable {
        /// The latest state per device not yet written, and the order the devices were first noted in.
        var states: [DeviceName: Bool] = [:]
        var order: [DeviceName] = []
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

    /// Notes a device's DND state to persist; never waits.
    func record(device: DeviceName, isOn: Bool) {
        let accepted = pending.withLockedValue { pending in
            guard !pending.isFinished else { return false }
            if pending.states.updateValue(isOn, forKey: device) == nil { pending.order.append(device) }
            return true
        }
        if accepted {
            wake.yield()
        } else {
            logger.warning(
                "A do-not-disturb change arrived after shutdown and was not saved",
                metadata: ["device.name": "\(device)", "device.doNotDisturb": "\(isOn)"]
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
        // What is still queued is written in a task that cancellation does not reach (a cancelled task cannot start
        // a database write).
        pending.withLockedValue { $0.isFinished = true }
        await Task.detached { await self.writeQueued() }.value
    }

    private func writeQueued() async {
        while let (device, isOn) = pending.withLockedValue({ pending -> (DeviceName, Bool)? in
            guard !pending.order.isEmpty else { return nil }
            let device = pending.order.removeFirst()
            guard let isOn = pending.states.removeValue(forKey: device) else { return nil }
            return (device, isOn)
        }) {
            let store = self.store
            let result = await Task.detached { () -> (any Error)? in
                do {
                    try await store.setDoNotDisturb(isOn, deviceNamed: device.rawValue)
                    return nil
                } catch {
                    return error
                }
            }.value
            if let result {
                logger.error(
                    "Could not save a device's do-not-disturb",
                    metadata: ["device.name": "\(device)", "device.doNotDisturb": "\(isOn)", "error": "\(result)"]
                )
            }
        }
    }
}
