import CallControl
import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle
import Store

/// Which devices must register with a client certificate (the Store's `requiresClientCertificate`), held in memory
/// for the TLS listeners, which ask on the event loop when a Register arrives and must not wait for the database.
///
/// It is loaded at start and reloaded after every committed configuration change (the Store's change feed; a burst
/// of changes, such as a CSV import, costs one reload). Until a reload has finished, the previous set applies.
public final class DeviceSecurityPolicy: Service, Sendable {
    private let names: NIOLockedValueBox<Set<String>>
    private let store: Store
    private let changes: AsyncStream<DirectoryChange>
    private let logger: Logger

    /// Subscribes to the Store's changes, then loads the current set, so no change is missed in between.
    init(store: Store, logger: Logger) async throws {
        self.store = store
        self.logger = logger
        self.changes = store.changes()
        self.names = NIOLockedValueBox(try await store.namesRequiringClientCertificates())
    }

    /// Whether the device named `deviceName` (any case) must present a client certificate naming it.
    public func requiresClientCertificate(_ deviceName: String) -> Bool {
        let name = DeviceName.canonicalSpelling(of: deviceName)
        return self.names.withLockedValue { $0.contains(name) }
    }

    public func run() async {
        let (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in self.changes.cancelOnGracefulShutdown() {
                    wake.yield()
                }
                wake.finish()
            }
            group.addTask {
                for await _ in wakeUps {
                    await self.reload()
                }
            }
        }
    }

    private func reload() async {
        do {
            let names = try await self.store.namesRequiringClientCertificates()
            self.names.withLockedValue { $0 = names }
        } catch {
            self.logger.error(
                "Could not reload which devices require a client certificate",
                metadata: ["error": "\(error)"]
            )
        }
    }
}
