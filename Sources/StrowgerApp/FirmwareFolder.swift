public import Foundation
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import Provisioning

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
// `stat` and its fields come through CoreFoundation on Linux; MemberImportVisibility wants it named.
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// The `firmware/` folder of the data directory, served over TFTP and HTTP as it is (docs/provisioning.md,
/// "Firmware"): phone loads at the top (`*.loads`, `*.sbn`, `*.sb2`, `*.sgn`, `*.bin`, `*.zz`, any case) and
/// locale and other files in folders below it (`German_Germany/be-sccp.jar`).
///
/// Read-only: nothing is ever written there. A name is served only if each of its at most
/// ``maximumDepth`` segments is plain (no `..`, no hidden `.name`, printable ASCII), the file's real path (symbolic
/// links resolved) lies inside the folder's, it is a regular file, and it is at most ``maximumFileBytes``.
///
/// Files are read once, off the event loops and the cooperative pool, and kept in memory while they are
/// unchanged on disk (inode, size, modification time), up to ``maximumCachedBytes`` in all: a hundred phones
/// booting at once share one copy of their load, and each transfer sends slices of it.
public final class FirmwareFolder: TFTPFileProvider, Sendable {
    /// The extensions of the files served from the top of the folder: Cisco's phone loads.
    public static let loadExtensions: Set<String> = ["loads", "sbn", "sb2", "sgn", "bin", "zz"]
    /// Segments a name may have: a load, a locale file, or a little deeper.
    public static let maximumDepth = 4
    /// The largest file served. Phone load files are a few MB each (a 79x1 load's largest is about 7 MB).
    public static let maximumFileBytes = 64 * 1024 * 1024
    /// What the cache holds at most; beyond it, the oldest files are dropped (and read again when asked for).
    public static let maximumCachedBytes = 256 * 1024 * 1024

    /// The folder's name inside the data directory.
    public static let folderName = "firmware"

    private struct Cached {
        var stamp: FileStamp
        var contents: ByteBuffer
    }

    private struct State {
        var files: [String: Cached] = [:]
        /// Names in the order they were cached, for eviction.
        var order: [String] = []
        var bytes = 0
    }

    public let directory: URL
    private let state = NIOLockedValueBox(State())
    private let threadPool: NIOThreadPool

    public init(directory: URL, threadPool: NIOThreadPool = .singleton) {
        self.directory = directory
        self.threadPool = threadPool
    }

    /// The folder of `dataDirectory`.
    public convenience init(dataDirectory: URL) {
        self.init(directory: dataDirectory.appendingPathComponent(Self.folderName, isDirectory: true))
    }

    public func contents(ofFile filename: String) async throws -> ByteBuffer? {
        guard Self.isServable(filename) else { return nil }
        let directory = self.directory
        return try await self.threadPool.runIfActive { () -> ByteBuffer? in
            guard let (path, stamp) = Self.resolve(filename, in: directory) else { return nil }
            if let cached = self.state.withLockedValue({ $0.files[filename] }), cached.stamp == stamp {
                return cached.contents
            }
            guard let data = FileManager.default.contents(atPath: path), data.count == stamp.size else {
                return nil
            }
            let contents = ByteBuffer(bytes: data)
            self.remember(filename, Cached(stamp: stamp, contents: contents))
            return contents
        }
    }

    private func remember(_ name: String, _ entry: Cached) {
        self.state.withLockedValue { state in
            if let old = state.files.removeValue(forKey: name) {
                state.bytes -= old.contents.readableBytes
                state.order.removeAll { $0 == name }
            }
            while state.bytes + entry.contents.readableBytes > Self.maximumCachedBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                state.bytes -= state.files.removeValue(forKey: oldest)?.contents.readableBytes ?? 0
            }
            state.files[name] = entry
            state.order.append(name)
            state.bytes += entry.contents.readableBytes
        }
    }

    /// Whether `name` may be looked up: plain segments, at most ``maximumDepth`` of them, and a load extension
    /// when it has one segment.
    public static func isServable(_ name: String) -> Bool {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...Self.maximumDepth).contains(segments.count) else { return false }
        for segment in segments {
            guard !segment.isEmpty, !segment.hasPrefix("."),
                segment.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") })
            else { return false }
        }
        if segments.count == 1 {
            return Self.loadExtensions.contains(Self.fileExtension(name))
        }
        return true
    }

    /// The lower-cased extension of `name` ("" when it has none).
    static func fileExtension(_ name: some StringProtocol) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// The real path and stamp of `name` inside `directory`, or nil when it is missing, not a regular file, too
    /// large, or (through a symbolic link) outside the folder.
    static func resolve(_ name: String, in directory: URL) -> (String, FileStamp)? {
        guard let root = Self.realPath(directory.path),
            let file = Self.realPath(directory.appendingPathComponent(name).path),
            file.hasPrefix(root + "/")
        else { return nil }
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= Self.maximumFileBytes,
            let stamp = FileStamp(path: file)
        else { return nil }
        return (file, stamp)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: Listing

    /// One load: the files at the top of the folder that share its name.
    public struct Load: Hashable, Sendable {
        /// The name a `loadInformation` gives, e.g. `SCCP42.9-4-2SR3-1S`.
        public var name: String
        /// Its files, e.g. `SCCP42.9-4-2SR3-1S.loads`.
        public var files: [String]
        /// Their size in all.
        public var bytes: Int
    }

    /// A folder below the top (a locale), and how many files it holds, at any depth.
    public struct Folder: Hashable, Sendable {
        public var name: String
        public var files: Int
    }

    /// What is in the folder: loads by name, and the folders below it (locales).
    public struct Listing: Hashable, Sendable {
        public var loads: [Load]
        public var folders: [Folder]

        /// Whether a load of that name is here (a file `<name>.<load extension>` at the top).
        public func hasLoad(_ name: String) -> Bool {
            self.loads.contains { $0.name == name }
        }
    }

    /// Lists the folder (blocking file I/O: for the CLI). An absent folder lists as empty.
    public static func list(_ directory: URL) throws -> Listing {
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory.path) else { return Listing(loads: [], folders: []) }
        var loads: [String: Load] = [:]
        var folders: [Folder] = []
        for name in try manager.contentsOfDirectory(atPath: directory.path).sorted() where !name.hasPrefix(".") {
            let path = directory.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let count = manager.enumerator(atPath: path)?.allObjects.count ?? 0
                folders.append(Folder(name: name, files: count))
                continue
            }
            let fileExtension = Self.fileExtension(name)
            guard Self.loadExtensions.contains(fileExtension) else { continue }
            let base = String(name.dropLast(fileExtension.count + 1))
            let size = ((try? manager.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            var load = loads[base] ?? Load(name: base, files: [], bytes: 0)
            load.files.append(name)
            load.bytes += size
            loads[base] = load
        }
        return Listing(loads: loads.values.sorted { $0.name < $1.name }, folders: folders)
    }
}
