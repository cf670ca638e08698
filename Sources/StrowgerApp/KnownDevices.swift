import CallControl
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The names of the devices in the Store, held in memory for the registration gate (`RegistrationGate`), which asks
/// on the event loop when a Register arrives whether the device is known (only unknown ones are auto-registration,
/// and rate-limited). Loaded from one snapshot and kept current by the Store's change feed; an auto-registration is
/// added as soon as it is saved.
final class KnownDevices: Service, Sendable {
    private let names: NIOLockedValueBox<Set<DeviceName>>
    private let changes: AsyncStream<DirectoryChange>

    /// - Parameters:
    ///   - directory: a snapshot, and `changes` the changes committed after it (`Store.directoryAndChanges()`).
    init(directory: Directory, changes: AsyncStream<DirectoryChange>) {
        self.names = NIOLockedValueBox(Set(directory.devices.keys))
        self.changes = changes
    }

    /// Whether the Store has a device of this canonical name.
    func contains(_ name: DeviceName) -> Bool {
        self.names.withLockedValue { $0.contains(name) }
    }

    /// A device that was just saved.
    func insert(_ name: DeviceName) {
        _ = self.names.withLockedValue { $0.insert(name) }
    }

    func run() async {
        for await change in self.changes.cancelOnGracefulShutdown() {
            self.names.withLockedValue { names in
                switch change {
                case .replace(let directory):
                    names = Set(directory.devices.keys)
                case .upsertDevice(let device):
                    names.insert(device.name)
                case .removeDevice(let name):
                    names.remove(name)
                case .upsertLine, .removeLine, .replaceRoutePatterns, .replaceSettings, .upsertHuntGroup,
                    .removeHuntGroup, .upsertPickupGroup, .removePickupGroup, .replaceMeetMeRanges:
                    break
                }
            }
        }
    }
}
