import CallControl
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Keeps `directory.json` current as auto-registration hands out numbers, writing off the call path.
///
/// Writes are coalesced: a registration marks the file dirty and, if no write is pending, schedules one
/// `writeDelay` later; that write saves whatever the file holds by then. Writing the whole file once per
/// registration costs O(n²) for n auto-registered phones (strowger-bench: 5,000 phones kept a core busy for
/// minutes and queued hundreds of MiB of snapshots).
final class DirectoryFileStore: Sendable {
    let initial: DirectoryFile
    private let directory: URL
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    /// File writes happen here, one at a time, never on an event loop.
    private let queue = DispatchQueue(label: "strowger.directory-file")
    /// How long a change waits for others to join its write.
    private let writeDelay: DispatchTimeInterval

    private struct State {
        var file: DirectoryFile
        /// A write is scheduled and has not taken its snapshot yet.
        var writePending = false
    }

    init(directory: URL, logger: Logger, writeDelay: DispatchTimeInterval = .seconds(1)) throws {
        self.directory = directory
        self.logger = logger
        self.writeDelay = writeDelay
        self.initial = try DirectoryFile.load(from: directory)
        self.state = NIOLockedValueBox(State(file: self.initial))
    }

    func recordAutoRegistration(device: DeviceName, number: DirectoryNumber) {
        let schedule = self.state.withLockedValue { state -> Bool in
            state.file.addAutoRegistered(device: device, number: number)
            guard !state.writePending else { return false }
            state.writePending = true
            return true
        }
        if schedule {
            self.queue.asyncAfter(deadline: .now() + self.writeDelay) { self.writePending() }
        }
    }

    /// Writes the file if a change is waiting for its write; on `queue` only.
    private func writePending() {
        let snapshot = self.state.withLockedValue { state -> DirectoryFile? in
            guard state.writePending else { return nil }
            state.writePending = false
            return state.file
        }
        guard let snapshot else { return }
        do {
            try snapshot.save(to: self.directory)
        } catch {
            self.logger.error("Could not save the directory file", metadata: ["error": "\(error)"])
        }
    }

    /// Writes every recorded change now and waits until it is on disk.
    func flush() {
        self.queue.sync { self.writePending() }
    }
}
