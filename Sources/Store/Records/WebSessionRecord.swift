public import Foundation

/// A signed-in browser. Table `webSession`.
///
/// The browser holds a random token in a cookie; the row is keyed by the token's SHA-256 (``id``), so that reading
/// the database does not hand out live sessions. The CSRF token is per session and is sent back in every form.
public struct WebSessionRecord: Codable, Hashable, Sendable {
    /// Hex SHA-256 of the cookie's token.
    public var id: String
    /// The account's name (`admin` for the token's built-in account).
    public var account: String
    /// The token every form and script request must carry (hex, 256 random bits).
    public var csrfToken: String
    public var createdAt: Date
    /// Updated at most once a minute, so that idle sessions expire without a write per request.
    public var lastSeenAt: Date
    /// When the session ends however busy it is.
    public var expiresAt: Date

    public init(
        id: String,
        account: String,
        csrfToken: String,
        createdAt: Date,
        lastSeenAt: Date,
        expiresAt: Date
    ) {
        self.id = id
        self.account = account
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}

extension WebSessionRecord: SQLRecord {
    static let tableName = "webSession"
    static let primaryKey = "id"
}
