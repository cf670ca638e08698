public import Foundation
public import GRDB

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

extension AdminTokenRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "adminToken"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let salt = Column(CodingKeys.salt)
        public static let hash = Column(CodingKeys.hash)
        public static let createdAt = Column(CodingKeys.createdAt)
    }

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { StoreTime.milliseconds(since1970: $0) }
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .millisecondsSince1970
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension AdminTokenRecord: SQLAutoIncrementedRecord {
    static let tableName = "adminToken"
}
