import Dispatch
public import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What ``StrowgerDatabase/inspect(path:)`` found in a database file.
public struct DatabaseFileInfo: Sendable, Hashable {
    /// The migrations the file has, in order.
    public var migrations: [String]
    /// Devices, lines and call records in it.
    public var devices: Int
    public var lines: Int
    public var callRecords: Int
}

/// What ``StrowgerDatabase/restore(from:intoDirectory:now:)`` did.
public struct RestoreSummary: Sendable, Hashable {
    /// The restored file's contents.
    public var restored: DatabaseFileInfo
    /// Where the database that was replaced was kept (a consistent copy), or nil if there was none.
    public var previousCopy: URL?
}

extension Store {
    /// Copies everything in the write-ahead log into the database file and empties the log (`PRAGMA
    /// wal_checkpoint(TRUNCATE)`): after a clean stop, `strowger.db` alone holds all the data. Issue 13 found the
    /// data left in `strowger.db-wal`, so that copying the database file copied nothing.
    public func checkpoint() async throws {
        let writer = try self.database.writer
        try await Self.mappingErrors {
            try await Self.offThePool {
                try writer.writeWithoutTransaction { db in
                    _ = try db.checkpoint(.truncate)
                }
            }
        }
    }

    /// Writes a consistent copy of the database to a new file at `url`, readable by its owner only, with SQLite's
    /// online backup API while the server keeps running: the copy is one snapshot (a read transaction), and writes
    /// go on meanwhile. Fails if `url` exists.
    public func backup(to url: URL) async throws {
        let writer = try self.database.writer
        try await Self.mappingErrors {
            try await Self.offThePool {
                try StrowgerDatabase.createPrivateFile(at: url)
                do {
                    let destination = try DatabaseQueue(path: url.path)
                    try writer.backup(to: destination)
                    try destination.close()
                } catch {
                    try? FileManager.default.removeItem(at: url)
                    throw error
                }
            }
        }
    }

    /// Runs blocking database work (a backup, a checkpoint) on a Dispatch thread rather than one of the few threads
    /// of Swift's cooperative pool.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            // Its own serial queue: a thread of its own, not one of the cooperative pool's (blocking work).
            DispatchQueue(label: "strowger.blocking").async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

extension StrowgerDatabase {
    /// The directory of the database file; nil for an in-memory database.
    public var directory: URL? {
        guard let path = sqliteWriter?.path else { return nil }
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file::memory:") else { return nil }
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    /// Creates an empty file at `url` with mode 0600 (never readable by others, not even briefly); fails if it
    /// exists.
    public static func createPrivateFile(at url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.database("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }

    /// Opens the database file at `path` read-only and says what it is: refuses a file that is not an SQLite
    /// database, fails SQLite's integrity check, is not a Strowger database, or was written by a newer Strowger.
    public static func inspect(path: String) throws -> DatabaseFileInfo {
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError.database("\(path) cannot be opened as an SQLite database: \(error)")
        }
        defer { try? queue.close() }
        return try queue.read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard check == ["ok"] else {
                throw StoreError.database(
                    "\(path) fails SQLite's integrity check: \(check.prefix(3).joined(separator: "; "))"
                )
            }
            let migrator = Self.migrator
            let applied: [String]
            do {
                applied = try migrator.completedMigrations(db)
            } catch {
                throw StoreError.database("\(path) is not a Strowger database (no migrations): \(error)")
            }
            guard applied.contains("createConfigurationTables") else {
                throw StoreError.database("\(path) is not a Strowger database")
            }
            let unknown = Set(applied).subtracting(migrator.migrations)
            guard unknown.isEmpty else {
                throw StoreError.database(
                    "\(path) was written by a newer version of Strowger (migrations \(unknown.sorted().joined(separator: ", ")));"
                        + " upgrade Strowger to restore it"
                )
            }
            return DatabaseFileInfo(
                migrations: applied,
                devices: try db.fetchCount("SELECT COUNT(*) FROM device"),
                lines: try db.fetchCount("SELECT COUNT(*) FROM line"),
                callRecords: try db.fetchCount("SELECT COUNT(*) FROM callDetailRecord")
            )
        }
    }

    /// Replaces the database in `directory` with the backup at `backup`. The server must be stopped (the caller
    /// holds the data directory's lock).
    ///
    /// The backup is checked first (``inspect(path:)``); the current database, write-ahead log included, is kept
    /// as a consistent copy `strowger.db.before-restore-<time>` next to it; the backup is copied in with SQLite's
    /// backup API into a temporary file, synced, and renamed over `strowger.db` after the old log and shared-memory
    /// files are removed (a log left behind would be replayed into the restored file). The next start migrates it
    /// if it is older.
    public static func restore(
        from backup: URL,
        intoDirectory directory: URL,
        now: Date = Date()
    ) throws -> RestoreSummary {
        let info = try inspect(path: backup.path)
        let target = directory.appendingPathComponent(fileName)
        let manager = FileManager.default
        var previousCopy: URL?
        if manager.fileExists(atPath: target.path) {
            let stamp = Self.timestamp(now)
            let copy = directory.appendingPathComponent("\(fileName).before-restore-\(stamp)")
            try createPrivateFile(at: copy)
            do {
                let current = try DatabaseQueue(path: target.path)
                let destination = try DatabaseQueue(path: copy.path)
                try current.backup(to: destination)
                try destination.close()
                try current.close()
            } catch {
                try? manager.removeItem(at: copy)
                throw StoreError.database(
                    "cannot keep a copy of the current database before restoring (\(error)); nothing was changed"
                )
            }
            previousCopy = copy
        }
        let temporary = directory.appendingPathComponent(".\(fileName).restoring-\(UUID().uuidString)")
        try createPrivateFile(at: temporary)
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            let source = try DatabaseQueue(path: backup.path, configuration: readOnly)
            let destination = try DatabaseQueue(path: temporary.path)
            try source.backup(to: destination)
            try destination.close()
            try source.close()
            try Self.sync(temporary)
            for suffix in ["-wal", "-shm", "-journal"] {
                let stale = directory.appendingPathComponent(fileName + suffix)
                if manager.fileExists(atPath: stale.path) { try manager.removeItem(at: stale) }
            }
            guard rename(temporary.path, target.path) == 0 else {
                throw StoreError.database(
                    "cannot move the restored database into place: \(String(cString: strerror(errno)))"
                )
            }
            try Self.sync(directory)
        } catch {
            try? manager.removeItem(at: temporary)
            throw error
        }
        return RestoreSummary(restored: info, previousCopy: previousCopy)
    }

    /// fsync of a file or a directory (a rename is durable once its directory is synced).
    static func sync(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw StoreError.database("cannot open \(url.path) to sync it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw StoreError.database("cannot sync \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
