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

    /// Who may see the user's presence (issue 8 §3). Column `presenceVisibility`.
    public enum PresenceVisibility: String, Codable, Hashable, Sendable, CaseIterable {
        /// Everyone (the default).
        case everyone
        /// No one but the user.
        case nobody
        /// The users in ``UserRecord/presenceAllowList`` only (and the user).
        case allowList
    }

    /// The status a user sets for presence (issue 8 §1), kept across restarts. Column `presenceStatus`.
    public enum PresenceStatus: String, Codable, Hashable, Sendable, CaseIterable {
        case available
        case away
        case busy
        case dnd
    }

    /// The longest presence note, in characters: the presence service's limit (Presence's `UserStatus`).
    public static let maximumPresenceNoteLength = 140
    /// The most names an allow-list holds: a team, not a company (a bound on what one row carries).
    public static let maximumAllowListCount = 1000

    /// The row id; nil until inserted.
    public var id: Int64?
    /// A unique login-style name, e.g. `alice`. Compared without regard to case.
    public var name: String
    /// The name people see; may be empty.
    public var displayName: String
    public var capabilities: Capabilities
    /// Who may see the user's presence.
    public var presenceVisibility: PresenceVisibility
    /// With ``PresenceVisibility/allowList``: the user names that may see it (stored as a JSON array; kept, but
    /// unused, with the other visibilities).
    public var presenceAllowList: [String]
    /// The status the user set, and its note (at most ``maximumPresenceNoteLength`` characters).
    public var presenceStatus: PresenceStatus
    public var presenceNote: String

    public init(
        id: Int64? = nil,
        name: String,
        displayName: String = "",
        capabilities: Capabilities = [.voice],
        presenceVisibility: PresenceVisibility = .everyone,
        presenceAllowList: [String] = [],
        presenceStatus: PresenceStatus = .available,
        presenceNote: String = ""
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.capabilities = capabilities
        self.presenceVisibility = presenceVisibility
        self.presenceAllowList = presenceAllowList
        self.presenceStatus = presenceStatus
        self.presenceNote = presenceNote
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
        if presenceAllowList.count > Self.maximumAllowListCount {
            throw .invalidValue(
                "user.presenceAllowList",
                "user presenceAllowList must have at most \(Self.maximumAllowListCount) names, "
                    + "not \(presenceAllowList.count)"
            )
        }
        for allowed in presenceAllowList {
            try Validation.text(
                allowed,
                field: "user.presenceAllowList",
                maximumLength: Validation.maximumNameLength,
                allowsEmpty: false
            )
            if allowed.contains(where: \.isWhitespace) {
                throw .invalidValue(
                    "user.presenceAllowList",
                    "user presenceAllowList names must not contain spaces, not \(Validation.quoted(allowed))"
                )
            }
        }
        try Validation.text(
            presenceNote,
            field: "user.presenceNote",
            maximumLength: Self.maximumPresenceNoteLength,
            allowsEmpty: true
        )
    }
}

extension UserRecord: SQLAutoIncrementedRecord {
    static let tableName = "\"user\""
}
