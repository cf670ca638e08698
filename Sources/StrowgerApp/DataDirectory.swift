public import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data directory's rules, checked and enforced when the server starts (issue 13):
///
/// - It is created if missing, with mode 0700, and brought to 0700 if it has another.
/// - Every regular file in it is brought to 0600: the database and its `-wal` and `-shm` (which hold every device,
///   line and call record), the admin token, the CA's private key. New files are created 0600 by the code that
///   writes them, and `strowger serve` runs with umask 077.
/// - It must be writable: a file is created, written, synced and removed. A read-only or full directory stops the
///   start with a clear error, rather than a server that accepts phones and saves nothing.
/// - One server at a time: the running server holds an exclusive lock on `strowger.lock` (``DataDirectoryLock``),
///   which `strowger restore` also takes.
public enum DataDirectory {
    /// The lock file's name.
    public static let lockFileName = "strowger.lock"

    /// Creates (or checks) `url` as described above; returns the files whose mode was tightened, for the log.
    @discardableResult
    public static func prepare(_ url: URL) throws -> [String] {
        let path = url.path
        do {
            try FileManager.default.createDirectory(
                at: url,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StrowgerConfigurationError(
                "cannot create the data directory \(path): \(error.localizedDescription)"
            )
        }
        var tightened: [String] = []
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StrowgerConfigurationError("cannot read the data directory \(path): \(Self.lastError())")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StrowgerConfigurationError("the data directory \(path) is not a directory")
        }
        try Self.checkWritable(url)
        if info.st_mode & 0o777 != 0o700 {
            guard chmod(path, 0o700) == 0 else {
                throw StrowgerConfigurationError(
                    "cannot make the data directory \(path) private (mode 0700): \(Self.lastError())"
                )
            }
            tightened.append(path)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for entry in entries.sorted() {
            let file = url.appendingPathComponent(entry).path
            var fileInfo = stat()
            guard lstat(file, &fileInfo) == 0, (fileInfo.st_mode & S_IFMT) == S_IFREG else { continue }
            guard fileInfo.st_mode & 0o777 & ~0o600 != 0 else { continue }
            guard chmod(file, fileInfo.st_mode & 0o600) == 0 else {
                throw StrowgerConfigurationError(
                    "cannot make \(file) readable by its owner only (mode 0600): \(Self.lastError())"
                )
            }
            tightened.append(file)
        }
        return tightened
    }

    /// Creates, writes, syncs and removes a file in `url`; throws a clear error if any step fails.
    static func checkWritable(_ url: URL) throws {
        let probe = url.appendingPathComponent(".strowger-write-check-\(getpid())")
        unlink(probe.path)
        let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw StrowgerConfigurationError(
                "the data directory \(url.path) is not writable (\(Self.lastError())); the server would accept "
                    + "phones and save nothing. Fix its permissions or free space, or choose another with --data-dir"
            )
        }
        defer {
            close(descriptor)
            unlink(probe.path)
        }
        let bytes = Array("strowger write check\n".utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw StrowgerConfigurationError(
                "the data directory \(url.path) cannot be written to (\(Self.lastError())); is the disk full?"
            )
        }
        for name in ["strowger.db", "strowger.db-wal", "strowger.db-shm"] {
            let file = url.appendingPathComponent(name).path
            if access(file, F_OK) == 0, access(file, W_OK) != 0 {
                throw StrowgerConfigurationError(
                    "\(file) is not writable (\(Self.lastError())); the server would accept phones and save nothing"
                )
            }
        }
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// An exclusive lock on the data directory's `strowger.lock`, held while a server runs (or a restore writes): a
/// second server, or a restore while the server runs, is refused with a clear message. The lock is the kernel's
/// (`flock`), so it goes away with the process however it ends.
public final class DataDirectoryLock: Sendable {
    private let descriptor: NIOLockedValueBox<Int32?>

    private init(descriptor: Int32) {
        self.descriptor = NIOLockedValueBox(descriptor)
    }

    /// Takes the lock, or throws naming what holds it.
    /// - Parameter purpose: what the caller is about to do, for the error message.
    public static func acquire(in directory: URL, purpose: String) throws -> DataDirectoryLock {
        let path = directory.appendingPathComponent(DataDirectory.lockFileName).path
        let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            throw StrowgerConfigurationError(
                "cannot open \(path) to lock the data directory: \(DataDirectory.lastError())"
            )
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? nil : DataDirectory.lastError()
            close(descriptor)
            if let reason {
                throw StrowgerConfigurationError("cannot lock the data directory \(directory.path): \(reason)")
            }
            throw StrowgerConfigurationError(
                "a Strowger server is using the data directory \(directory.path) (it holds \(path)); "
                    + "stop it before you \(purpose)"
            )
        }
        return DataDirectoryLock(descriptor: descriptor)
    }

    /// Gives the lock back (once; later calls do nothing).
    public func release() {
        let descriptor = self.descriptor.withLockedValue { value -> Int32? in
            defer { value = nil }
            return value
        }
        if let descriptor {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    deinit {
        self.release()
    }
}
