public import Foundation
import NIOCore

extension AdminClient {
    /// `GET /api/music-sources`.
    public func musicSources() async throws -> [AdminAPI.MusicSource] {
        try await get("/api/music-sources")
    }

    /// `POST /api/music-sources/{name}?file=FILE` (or `PUT` when `replacing`) with the audio file as the body.
    @discardableResult
    public func addMusicSource(
        named name: String,
        fileName: String,
        file: Data,
        replacing: Bool = false
    ) async throws -> AdminAPI.MusicSource {
        let path = "/api/music-sources/" + Self.segment(name) + Self.query([("file", fileName)])
        let answer = try await request(
            replacing ? .put : .post,
            path,
            body: ByteBuffer(bytes: file),
            contentType: "application/octet-stream"
        )
        return try AdminAPI.makeDecoder().decode(AdminAPI.MusicSource.self, from: Data(answer.readableBytesView))
    }

    /// `DELETE /api/music-sources/{name}`.
    public func removeMusicSource(named name: String) async throws {
        try await delete("/api/music-sources/" + Self.segment(name))
    }

    /// `GET /api/meetme`.
    public func meetMeRanges() async throws -> [AdminAPI.MeetMe] {
        try await get("/api/meetme")
    }

    /// `POST /api/meetme`.
    @discardableResult
    public func addMeetMe(_ numbers: String) async throws -> AdminAPI.MeetMe {
        try await send(.post, "/api/meetme", json: AdminAPI.MeetMe(numbers: numbers))
    }

    /// `DELETE /api/meetme/{first}`.
    public func removeMeetMe(_ numbers: String) async throws {
        try await delete("/api/meetme/" + Self.segment(numbers))
    }
}
