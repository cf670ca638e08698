public import Foundation

/// An account that signs in to the web administration with a password. Table `webAccount`.
///
/// Only a salted, slow hash of the password is stored, in a self-describing string that names the function and its
/// parameters (`$scrypt$ln=15,r=8,p=3$SALT$HASH`, written by the admin server), so that the parameters can be raised
/// later without invalidating older hashes. The built-in account `admin` is not a row: it signs in with the admin
/// token.
public struct WebAccountRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// The sign-in name: unique without regard to case (``Validation`` in ``validate()``).
    public var name: String
    /// The password hash as the admin server encodes it; never the password.
    public var passwordHash: String
    public var createdAt: Date

    /// The name of the built-in account that signs in with the admin token; no row may take it.
    public static let builtInName = "admin"
    /// The longest encoded hash accepted: scrypt's with a 16-byte salt and 32-byte key is about 90 characters.
    public static let maximumPasswordHashLength = 256

    public init(id: Int64? = nil, name: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.accountName(name, field: "account.name")
        if name.lowercased() == Self.builtInName {
            throw .invalidValue(
                "account.name",
                "account name \"\(name)\" is the built-in account, which signs in with the admin token"
            )
        }
        guard !passwordHash.isEmpty, passwordHash.utf8.count <= Self.maximumPasswordHashLength else {
            throw .invalidValue("account.passwordHash", "account passwordHash must be 1 to 256 characters")
        }
    }
}

extension WebAccountRecord: SQLAutoIncrementedRecord {
    static let tableName = "webAccount"
}
