import AdminHTTP
import ArgumentParser
import Foundation
import NIOCore
import Store
import StrowgerApp

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `strowger backup FILE`: a consistent copy of the running server's database, over the admin API.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the running server's database to FILE (consistent, online; restore it with strowger restore).",
        discussion: """
            The server makes the copy with SQLite's online backup API (one snapshot; phones and calls carry on) and \
            sends it over the admin API. FILE is written readable by its owner only, and must not exist. It holds \
            the whole configuration, the call records and the admin tokens' hashes.
            """
    )

    @Argument(help: "Where to write the copy (a new file).") var file: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let target = URL(fileURLWithPath: file)
        guard !FileManager.default.fileExists(atPath: target.path) else {
            throw ValidationError("\(file) exists; give the backup a new file name")
        }
        var client = try options.client()
        client.timeout = .seconds(600)
        let bytes = try await client.bytes("/api/backup")
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString)")
        try StrowgerDatabase.createPrivateFile(at: temporary)
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: Data(bytes.readableBytesView))
            try handle.synchronize()
            try handle.close()
            // Checked before it takes the name: a copy that does not open is no backup.
            let info = try StrowgerDatabase.inspect(path: temporary.path)
            guard link(temporary.path, target.path) == 0 else {
                throw ValidationError("cannot write \(file): \(String(cString: strerror(errno)))")
            }
            try? FileManager.default.removeItem(at: temporary)
            if options.json {
                return try Output.json(
                    BackupReport(
                        file: target.path,
                        bytes: bytes.readableBytes,
                        devices: info.devices,
                        lines: info.lines
                    )
                )
            }
            print(
                "Backed up to \(target.path): \(bytes.readableBytes) bytes, \(info.devices) devices, \(info.lines) lines,"
                    + " \(info.callRecords) call records"
            )
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    struct BackupReport: Encodable {
        var file: String
        var bytes: Int
        var devices: Int
        var lines: Int
    }
}

/// `strowger restore FILE`: replaces a stopped server's database with a backup.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database in --data-dir with a backup (the server must be stopped).",
        discussion: """
            The backup is checked first (SQLite's integrity check, a Strowger database this version knows). The \
            current database is kept next to it as strowger.db.before-restore-TIME. Start the server afterwards; an \
            older backup is migrated then.
            """
    )

    @Argument(help: "The backup file (from strowger backup).") var file: String
    @Option(name: .customLong("data-dir"), help: "The stopped server's data directory.")
    var dataDirectory: String = ServerConfiguration().dataDirectory
    @Flag(name: .customLong("json"), help: "Print JSON (for scripts).")
    var json = false

    func run() async throws {
        let backup = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: backup.path) else {
            throw ValidationError("\(file) does not exist")
        }
        let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        try DataDirectory.prepare(directory)
        let lock = try DataDirectoryLock.acquire(in: directory, purpose: "restore a backup")
        defer { lock.release() }
        let summary: RestoreSummary
        do {
            summary = try StrowgerDatabase.restore(from: backup, intoDirectory: directory)
        } catch let error as StoreError {
            throw ValidationError("cannot restore \(file): \(error.message)")
        }
        if json {
            return try Output.json(
                RestoreReport(
                    file: backup.path,
                    devices: summary.restored.devices,
                    lines: summary.restored.lines,
                    callRecords: summary.restored.callRecords,
                    previousCopy: summary.previousCopy?.path
                )
            )
        }
        print(
            "Restored \(backup.path) into \(directory.path): \(summary.restored.devices) devices,"
                + " \(summary.restored.lines) lines, \(summary.restored.callRecords) call records"
        )
        if let previous = summary.previousCopy {
            print("The database it replaced is kept as \(previous.path)")
        }
    }

    struct RestoreReport: Encodable {
        var file: String
        var devices: Int
        var lines: Int
        var callRecords: Int
        var previousCopy: String?
    }
}
