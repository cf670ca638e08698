public import AdminHTTP
import Dispatch
public import Foundation
public import Logging
import Media
public import NIOCore
public import ServerNIO
public import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The music-on-hold sources of one server: converted audio in the data directory, records in the Store, clips in
/// the media engine (issue 14).
///
/// A user's file is converted once, when it is added, to 8 kHz µ-law and kept as `music/<name>.ulaw` in the data
/// directory (the folder mode 0700, each file 0600: what a user uploads is theirs). At start every stored source's
/// file is loaded into the engine; a file that is missing or unreadable is logged and skipped, and parties that
/// would hear it hear the built-in music instead. An add converts first, writes the file under a temporary name,
/// commits the record, then renames the file into place and loads it: a bad file, a taken name or a failed write
/// change nothing.
public final class MusicLibrary: AdminMusicLibrary {
    /// The folder in the data directory.
    public static let folderName = "music"

    let folder: URL
    let store: Store
    let media: MediaServer
    let logger: Logger

    public init(dataDirectory: URL, store: Store, media: MediaServer, logger: Logger) {
        self.folder = dataDirectory.appendingPathComponent(Self.folderName, isDirectory: true)
        self.store = store
        self.media = media
        self.logger = logger
    }

    /// The converted audio of source `name`.
    public func fileURL(of name: String) -> URL {
        self.folder.appendingPathComponent(name + ".ulaw")
    }

    /// Loads every stored source's converted audio into the engine.
    public func loadAll() async throws {
        for source in try await self.store.musicSources() where !source.isBuiltIn {
            let url = self.fileURL(of: source.name)
            let clip: AudioClip
            do {
                let bytes = try await offThePool { try [UInt8](Data(contentsOf: url)) }
                clip = try AudioFileDecoder.decode(bytes, fileName: url.lastPathComponent)
            } catch {
                self.logger.error(
                    "A music source's audio cannot be loaded; its listeners will hear the built-in music",
                    metadata: ["media.source": "\(source.name)", "media.file": "\(url.path)", "error": "\(error)"]
                )
                continue
            }
            _ = await self.media.execute(.addMusicSource(name: source.name, clip: clip))
        }
    }

    public func add(
        name: String,
        fileName: String,
        file: ByteBuffer,
        replacing: Bool
    ) async throws
        -> MusicSourceRecord
    {
        do {
            try MusicSourceRecord.validateName(name, field: "musicSource.name")
        } catch {
            throw AdminAPIError.invalidValue(error.field, error.message)
        }
        let bytes = [UInt8](file.readableBytesView)
        // Converting minutes of 44.1 kHz audio takes a while: off Swift's cooperative pool.
        let clip: AudioClip
        do {
            clip = try await offThePool { () throws(AudioFileError) -> AudioClip in
                try AudioFileDecoder.decode(bytes, fileName: fileName)
            }
        } catch let error as AudioFileError {
            throw AdminAPIError.unprocessable("musicSource.file", "\(fileName): \(error.message)")
        }
        let folder = self.folder
        let temporary = folder.appendingPathComponent(".\(UUID().uuidString).ulaw")
        try await offThePool { try Self.writePrivate(clip.muLaw, to: temporary, folder: folder) }
        var record = MusicSourceRecord(
            name: name,
            fileName: String(fileName.split(separator: "/").last ?? Substring(fileName)),
            sampleCount: clip.sampleCount,
            createdAt: Int64(Date().timeIntervalSince1970 * 1_000)
        )
        do {
            try await self.store.saveMusicSource(record, replacing: replacing)
            // The stored spelling of a replaced name.
            if let stored = try await self.store.musicSource(named: name) { record = stored }
            guard rename(temporary.path, self.fileURL(of: record.name).path) == 0 else {
                throw AdminAPIError.internal("cannot move the converted audio into \(folder.path)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        _ = await self.media.execute(.addMusicSource(name: record.name, clip: clip))
        self.logger.info(
            "Music source added",
            metadata: ["media.source": "\(record.name)", "media.seconds": "\(record.seconds)"]
        )
        return record
    }

    public func remove(name: String) async throws {
        guard let record = try await self.store.musicSource(named: name) else {
            throw AdminAPIError.notFound("musicSource.name", "no music source named \"\(name)\"")
        }
        try await self.store.removeMusicSource(named: record.name)
        try? FileManager.default.removeItem(at: self.fileURL(of: record.name))
        _ = await self.media.execute(.removeMusicSource(name: record.name))
    }

    /// Writes `bytes` to a new file with mode 0600 in `folder` (created with mode 0700 if missing).
    static func writePrivate(_ bytes: [UInt8], to url: URL, folder: URL) throws {
        try FileManager.default.createDirectory(
            at: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw AdminAPIError.internal("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw AdminAPIError.internal("cannot write \(url.path): \(error)")
        }
    }

}
