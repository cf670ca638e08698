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
    @discardableResult
    public static func createIfNeeded(store: Store, dataDirectory: URL) async throws -> String? {
        guard try await store.adminTokens().isEmpty else { return nil }
        let token = try await store.createAdminToken(name: defaultTokenName)
        let file = url(in: dataDirectory)
        // The write ends with an fsync, which may take a while on a busy disk: do it on a Dispatch thread rather
        // than hold one of the few threads of Swift's cooperative pool.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try write(token.secret, to: file) })
            }
        }
        return token.secret
    }

    /// Writes `secret` to `url` with mode 0600: a new file is opened with that mode (so it is never readable by
    /// others, not even briefly), written and synced, then renamed over any old one.
    public static func write(_ secret: String, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(fileName).\(UUID().uuidString)")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data((secret + "\n").utf8))
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
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
