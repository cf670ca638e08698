import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

extension AdminRoutes {
    /// The largest audio file `POST /api/music-sources/{name}` reads: 64 MiB, about six minutes of CD-quality
    /// stereo WAV or an hour of 8 kHz mono. Hold music loops; longer files belong somewhere else.
    public static let maximumAudioBody = 64 << 20

    /// `/api/music-sources`: list, add (the request body is the audio file), replace and remove music-on-hold
    /// sources.
    func addMusicSourceRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        let library = self.music
        group.get { _, _ in
            try Self.json(try await store.musicSources().map(Self.musicSource))
        }
        for (method, replacing) in [(HTTPRequest.Method.post, false), (.put, true)] {
            group.on(":name", method: method) { request, context in
                guard library != nil else {
                    throw AdminAPIError.unavailable("this server has no media engine to play music sources")
                }
                let name = try Self.parameter("name", context)
                let fileName = request.uri.queryParameters.get("file") ?? name
                let file = try await Self.body(of: request, limit: Self.maximumAudioBody)
                let stored = try await Self.addMusicSource(
                    named: name,
                    fileName: fileName,
                    file: file,
                    replacing: replacing,
                    library
                )
                return try Self.json(stored, status: replacing ? .ok : .created)
            }
        }
        group.delete(":name") { _, context in
            try await Self.removeMusicSource(named: try Self.parameter("name", context), library)
            return Self.noContent()
        }
    }

    /// Converts and adds (or replaces) a music source (`POST`/`PUT /api/music-sources/{name}`, the web's upload).
    static func addMusicSource(
        named name: String,
        fileName: String,
        file: ByteBuffer,
        replacing: Bool,
        _ library: (any AdminMusicLibrary)?
    ) async throws -> AdminAPI.MusicSource {
        guard let library else {
            throw AdminAPIError.unavailable("this server has no media engine to play music sources")
        }
        guard file.readableBytes > 0 else {
            throw AdminAPIError.invalidValue(nil, "the request body must be the audio file (WAV or raw G.711)")
        }
        let stored = try await Self.renaming(["musicSource.name": "musicSource.name"]) {
            try await library.add(name: name, fileName: fileName, file: file, replacing: replacing)
        }
        return Self.musicSource(stored)
    }

    /// Removes a music source (`DELETE /api/music-sources/{name}`, the web's remove button).
    static func removeMusicSource(named name: String, _ library: (any AdminMusicLibrary)?) async throws {
        guard let library else {
            throw AdminAPIError.unavailable("this server has no media engine to play music sources")
        }
        try await Self.renaming([:]) { try await library.remove(name: name) }
    }

    /// `/api/meetme`: list, add and remove meet-me numbers and ranges.
    func addMeetMeRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.meetMeRanges().map(Self.meetMe))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.MeetMe.self, from: request, entity: "meetMe")
            return try Self.json(try await Self.createMeetMe(body, store), status: .created)
        }
        group.delete(":first") { _, context in
            try await Self.deleteMeetMe(first: try Self.parameter("first", context), store)
            return Self.noContent()
        }
    }

    /// Adds a meet-me number or range (`POST /api/meetme`, the web's meet-me form).
    static func createMeetMe(_ body: AdminAPI.MeetMe, _ store: Store) async throws -> AdminAPI.MeetMe {
        let parts = body.numbers.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 1 || parts.count == 2 else {
            throw AdminAPIError.invalidValue("meetMe.numbers", "meetMe numbers must be NUMBER or FIRST-LAST")
        }
        let range = MeetMeRangeRecord(first: parts[0], last: parts.count == 2 ? parts[1] : nil)
        return Self.meetMe(try await Self.renaming([:]) { try await store.insert(range) })
    }

    /// Removes the meet-me number or range that starts with `first` (`DELETE /api/meetme/{first}`, the web's
    /// remove button).
    static func deleteMeetMe(first: String, _ store: Store) async throws {
        // `8000-8009` names the range by its first number too.
        let key = first.split(separator: "-").first.map(String.init) ?? first
        do {
            try await store.removeMeetMeRange(first: key)
        } catch let error as StoreError where error.code == .notFound {
            throw AdminAPIError.notFound(error.field, error.message)
        }
    }

    /// `value` (nil or "" for none) when it names a stored music source, in the stored spelling; a 400 naming
    /// `field` otherwise.
    static func musicSourceName(_ value: String?, field: String, _ store: Store) async throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard let source = try await store.musicSource(named: value) else {
            throw AdminAPIError.invalidValue(
                field,
                "\(field.replacingOccurrences(of: ".", with: " ")) names no music source: \"\(value)\""
                    + " (strowger moh list)"
            )
        }
        return source.name
    }

    static func musicSource(_ record: MusicSourceRecord) -> AdminAPI.MusicSource {
        AdminAPI.MusicSource(
            name: record.name,
            fileName: record.fileName,
            seconds: record.isBuiltIn ? 16 : record.seconds,
            isBuiltIn: record.isBuiltIn,
            createdAt: record.isBuiltIn ? nil : Date(timeIntervalSince1970: Double(record.createdAt) / 1_000)
        )
    }

    static func meetMe(_ record: MeetMeRangeRecord) -> AdminAPI.MeetMe {
        AdminAPI.MeetMe(numbers: record.description, count: record.count)
    }
}
