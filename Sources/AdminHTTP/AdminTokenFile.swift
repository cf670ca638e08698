import Dispatch
public import Foundation
public import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The admin token file in the data directory: `admin-token`, one line, readable by its owner only (0600).
///
/// On first start the server creates a token named `default` and writes its secret here; the CLI reads it from
/// here unless given `--token`. The Store keeps only a salted hash, so the file is the only copy of the secret.
public enum AdminTokenFile {
    public static let fileName = "admin-token"
    /// The token the first start creates.
    public static let defaultTokenName = "default"

    /// The file's path in `dataDirectory`.
    public static func url(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent(fileName)
    }

    /// Creates the `default` token and writes the file when the Store has no admin token yet. Returns the secret it
    /// wrote, or nil when tokens already existed (the file is then left as it is).
    ///
    /// The file is written first, atomically (a temporary file, synced, renamed over the path, the directory synced),
    /// and only then is the token stored: a start that cannot write the file stores nothing and fails with a message
    /// that says why, and the next start tries again (issue 13: the row was stored first, one failed write left a
    /// token that was written nowhere, and every later start wrote no file). A `default` token whose file is missing
    /// (lost that way by an earlier version) is replaced by a new one, written the same way.
    ///
    /// - Parameter name: the token's name: ``defaultTokenName`` for a server with a database of its own. A node of a
    ///   cluster (a database shared with other nodes) names its own (`default-NODE`), made when its data directory
    ///   has no token file: replacing the shared `default` instead would lock every other node's CLI out.
    @discardableResult
    public static func createIfNeeded(
        store: Store,
        dataDirectory: URL,
        name: String = defaultTokenName
    ) async throws -> String? {
        let file = url(in: dataDirectory)
        let tokens = try await store.adminTokens()
        let replacing: Bool
        if tokens.isEmpty {
            replacing = false
        } else if name != defaultTokenName {
            // A cluster node: its file (its own token's, or one copied from another node) is kept; without one it
            // gets a token of its own.
            if try exists(file) { return nil }
            replacing = tokens.contains { $0.name == name }
        } else if tokens.contains(where: { $0.name == defaultTokenName }), try !exists(file) {
            replacing = true
        } else {
            return nil
        }
        let secret = Store.newAdminTokenSecret()
        // The write ends with fsyncs, which may take a while on a busy disk: do it on a Dispatch thread rather
        // than hold one of the few threads of Swift's cooperative pool.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            // Its own serial queue: a thread of its own, not one of the cooperative pool's (blocking work).
            DispatchQueue(label: "strowger.blocking").async {
                continuation.resume(with: Result { try write(secret, to: file) })
            }
        }
        do {
            _ = try await store.createAdminToken(name: name, secret: secret, replacing: replacing)
        } catch {
            // No token for this secret: do not leave a file that would not authenticate.
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return secret
    }

    /// Whether a token file is at `url`; throws if something that is not a regular file is there.
    static func exists(_ url: URL) throws -> Bool {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            guard errno == ENOENT else { throw AdminTokenFileError(url, "cannot look at it", errno: errno) }
            return false
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw AdminTokenFileError(url, "it exists but is not a regular file (a directory?); remove it")
        }
        return true
    }

    /// Writes `secret` to `url` with mode 0600, atomically: a new temporary file is opened with that mode (so it is
    /// never readable by others, not even briefly), written and synced, then renamed over any old one, and the
    /// directory is synced so that the rename survives a crash. Every failure names the step and the reason.
    public static func write(_ secret: String, to url: URL) throws {
        _ = try exists(url)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(fileName).\(UUID().uuidString)")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw AdminTokenFileError(url, "cannot create a temporary file in \(directory.path)", errno: errno)
        }
        let bytes = Array((secret + "\n").utf8)
        var failure: AdminTokenFileError?
        if writeAll(descriptor, bytes) != bytes.count {
            failure = AdminTokenFileError(url, "cannot write the temporary file", errno: errno)
        } else if fsync(descriptor) != 0 {
            failure = AdminTokenFileError(url, "cannot sync the temporary file", errno: errno)
        }
        close(descriptor)
        if failure == nil, rename(temporary.path, url.path) != 0 {
            failure = AdminTokenFileError(url, "cannot rename the temporary file over it", errno: errno)
        }
        if let failure {
            unlink(temporary.path)
            throw failure
        }
        let directoryDescriptor = open(directory.path, O_RDONLY)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// The token in the file, or nil if there is no file.
    public static func read(from dataDirectory: URL) throws -> String? {
        let url = url(in: dataDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let text = try String(contentsOf: url, encoding: .utf8)
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}

/// Writing the admin token file failed: the path, the step and the reason.
public struct AdminTokenFileError: Error, CustomStringConvertible {
    public let description: String

    init(_ url: URL, _ step: String, errno code: Int32? = nil) {
        let reason = code.map { ": " + String(cString: strerror($0)) } ?? ""
        self.description = "cannot write the admin token file \(url.path): \(step)\(reason)"
    }
}

/// `write(2)` of all of `bytes`; the count written.
private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}
