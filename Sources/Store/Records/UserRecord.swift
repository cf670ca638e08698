public import GRDB

/// A person: the owner of devices and, later, the subject of presence. Table `user`.
public struct UserRecord: Codable, Hashable, Sendable {
    /// What the user can be reached by, for presence (CUPS-style capabilities). Stored as an integer bit set so a
    /// new capability needs no migration.
    public struct Capabilities: OptionSet, Codable, Hashable, Sendable {
        public var rawValue: Int

        public init(rawValue: Int) {
            self.rawValue = rawValue
        }

        /// Phone calls.
        public static let voice = Capabilities(rawValue: 1 << 0)
        /// Video calls.
        public static let video = Capabilities(rawValue: 1 << 1)
        /// Web collaboration (the admin pages' click-to-call, later).
        public static let web = Capabilities(rawValue: 1 << 2)
    }

    /// The row id; nil until inserted.
    public var id: Int64?
    /// A unique login-style name, e.g. `alice`. Compared without regard to case.
    public var name: String
    /// The name people see; may be empty.
    public var displayName: String
    public var capabilities: Capabilities

    public init(id: Int64? = nil, name: String, displayName: String = "", capabilities: Capabilities = [.voice]) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.capabilities = capabilities
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.text(name, field: "user.name", maximumLength: Validation.maximumNameLength, allowsEmpty: false)
        if name.contains(where: \.isWhitespace) {
            throw .invalidValue("user.name", "user name must not contain spaces, not \(Validation.quoted(name))")
        }
        try Validation.text(
            displayName,
            field: "user.displayName",
            maximumLength: Validation.maximumNameLength,
            allowsEmpty: true
        )
    }
}

extension UserRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "user"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let displayName = Column(CodingKeys.displayName)
        public static let capabilities = Column(CodingKeys.capabilities)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
