public import Foundation

/// An admin API token. Table `adminToken`. Only a salted SHA-256 hash of the token is stored: the token itself is
/// shown once, when it is created (``Store/createAdminToken(name:)``), and cannot be read back.
///
/// Tokens are 256 random bits, so a fast hash is enough: nobody can guess their way to a preimage, and the salt
/// keeps two databases' hashes of the same token apart.
public struct AdminTokenRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// A unique label, e.g. `default` or `backup-script`.
    public var name: String
    /// 16 random bytes mixed into the hash.
    public var salt: Data
    /// SHA-256 of `salt` followed by the token's UTF-8 bytes.
    public var hash: Data
    public var createdAt: Date

    public init(id: Int64? = nil, name: String, salt: Data, hash: Data, createdAt: Date) {
        self.id = id
        self.name = name
        self.salt = salt
        self.hash = hash
        self.createdAt = createdAt
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.text(
            name,
            field: "adminToken.name",
            maximumLength: Validation.maximumNameLength,
            allowsEmpty: false
        )
    }
}

extension AdminTokenRecord: SQLAutoIncrementedRecord {
    static let tableName = "adminToken"
}
