import CallControl
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Keeps `directory.json` current as auto-registration hands out numbers, writing off the call path.
final class DirectoryFileStore: Sendable {
    let initial: DirectoryFile
    private let directory: URL
    private let logger: Logger
    private let file: NIOLockedValueBox<DirectoryFile>
    /// File writes happen here, one at a time, never on an event loop.
    private let queue = DispatchQueue(label: "strowger.directory-file")

    init(directory: URL, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        self.initial = try DirectoryFile.load(from: directory)
        self.file = NIOLockedValueBox(self.initial)
    }

    func recordAutoRegistration(device: DeviceName, number: DirectoryNumber) {
        let snapshot = self.file.withLockedValue { file -> DirectoryFile in
            file.addAutoRegistered(device: device, number: number)
            return file
        }
        let directory = self.directory
        let logger = self.logger
        self.queue.async {
            do {
                try snapshot.save(to: directory)
            } catch {
                logger.error("Could not save the directory file", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Waits until every queued write is on disk.
    func flush() {
        self.queue.sync {}
    }
}
