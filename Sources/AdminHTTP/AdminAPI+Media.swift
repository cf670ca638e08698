public import Foundation

extension AdminAPI {
    /// A music-on-hold source: `GET /api/music-sources`.
    public struct MusicSource: Codable, Hashable, Sendable {
        public var name: String
        /// The file it was converted from; empty for the built-in source.
        public var fileName: String
        /// Its length after conversion to 8 kHz.
        public var seconds: Double
        /// The source the engine generates; it cannot be replaced or removed.
        public var isBuiltIn: Bool
        /// When it was added; nil for the built-in source.
        public var createdAt: Date?

        public init(name: String, fileName: String, seconds: Double, isBuiltIn: Bool, createdAt: Date?) {
            self.name = name
            self.fileName = fileName
            self.seconds = seconds
            self.isBuiltIn = isBuiltIn
            self.createdAt = createdAt
        }
    }

    /// A meet-me number or range: `POST /api/meetme` with `{"numbers": "8000"}` or `{"numbers": "8000-8009"}`.
    public struct MeetMe: Codable, Hashable, Sendable {
        /// `8000` or `8000-8009`.
        public var numbers: String
        /// How many rooms (responses only).
        public var count: Int

        public init(numbers: String, count: Int = 0) {
            self.numbers = numbers
            self.count = count
        }

        enum CodingKeys: String, CodingKey {
            case numbers, count
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.numbers = try container.decode(String.self, forKey: .numbers)
            self.count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 0
        }
    }
}
