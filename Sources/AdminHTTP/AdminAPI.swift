public import Foundation

/// The admin API's JSON shapes, shared by the server (``AdminRouter``) and its client (``AdminClient``, the CLI), so
/// that the two cannot drift apart. docs/admin-api.md describes every route.
///
/// Field names are the Store's column names (`displayName`, `forwardAll`, `buttonIndex` …), so that an error's
/// `field` (`line.forwardAll`) names the JSON key the caller sent. Devices name their owner by user name and their
/// lines by directory number rather than by row id.
public enum AdminAPI {
    /// Dates are ISO 8601 with milliseconds in UTC (`2026-11-26T15:51:00.123Z`), the precision CDRs are stored with.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    /// Accepts ISO 8601 dates with or without fractional seconds.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "must be an ISO 8601 date such as 2026-01-31T09:00:00Z, not \"\(text)\""
                )
            }
            return date
        }
        return decoder
    }

    /// `2026-11-26T15:51:00.123Z`.
    public static func formatDate(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)
        )
    }

    /// An ISO 8601 date and time (`2026-01-31T09:00:00Z`, `2026-01-31T09:00:00.250+01:00`) or a bare date
    /// (`2026-01-31`, midnight UTC).
    public static func parseDate(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        return nil
    }
}

// MARK: - Patch fields

extension KeyedDecodingContainer {
    /// A PATCH field that may be cleared: absent → nil (keep), `null` → `.some(nil)` (clear), a value → `.some(value)`.
    func decodePatch<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .some(nil) }
        return .some(try decode(T.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    /// The inverse of `decodePatch`: nothing for nil, `null` for `.some(nil)`.
    mutating func encodePatch<T: Encodable>(_ value: T??, forKey key: Key) throws {
        switch value {
        case .none: return
        case .some(.none): try encodeNil(forKey: key)
        case .some(.some(let value)): try encode(value, forKey: key)
        }
    }
}
