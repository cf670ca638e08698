import Dispatch
import Foundation
import Hummingbird
import NIOCore
import Store

extension AdminRoutes {
    /// The size of the chunks a backup is sent in.
    static let backupChunkSize = 1 << 20

    /// `GET /api/backup`: a consistent copy of the database (`strowger backup FILE`), made with SQLite's online
    /// backup API while the server runs, sent as `application/vnd.sqlite3`. The copy is written to a temporary
    /// file in the data directory (mode 0600), sent, and removed.
    func addBackupRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            let directory = store.database.directory ?? FileManager.default.temporaryDirectory
            let file = directory.appendingPathComponent(".strowger-backup-\(UUID().uuidString).db")
            do {
                try await store.backup(to: file)
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw AdminAPIError.internal("the backup failed: \(error)")
            }
            let reader: FileHandle
            do {
                reader = try FileHandle(forReadingFrom: file)
            } catch {
                try? FileManager.default.removeItem(at: file)
                throw AdminAPIError.internal("cannot read the backup: \(error)")
            }
            // Unlinked at once: the open handle keeps the data readable until the response ends, and nothing is
            // left behind if the client goes away.
            try? FileManager.default.removeItem(at: file)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/vnd.sqlite3",
                    .contentDisposition: "attachment; filename=\"strowger-backup.db\"",
                ],
                body: ResponseBody { writer in
                    defer { try? reader.close() }
                    while true {
                        let chunk = try await Self.readChunk(reader, count: Self.backupChunkSize)
                        guard !chunk.isEmpty else { break }
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// Reads up to `count` bytes on a Dispatch thread (file reads block).
    static func readChunk(_ handle: FileHandle, count: Int) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            // Its own serial queue: a thread of its own, not one of the cooperative pool's (blocking work).
            DispatchQueue(label: "strowger.blocking").async {
                continuation.resume(with: Result { try handle.read(upToCount: count) ?? Data() })
            }
        }
    }
}
