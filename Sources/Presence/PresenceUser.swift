/// How a user can be reached (CUPS-style capabilities). The bits are those of the Store's
/// `UserRecord.Capabilities`, so the host passes `rawValue` through.
public struct PresenceCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Phone calls: some device of the user is registered.
    public static let voice = PresenceCapabilities(rawValue: 1 << 0)
    /// Video calls: some registered device of the user listed video capabilities.
    public static let video = PresenceCapabilities(rawValue: 1 << 1)
    /// Web collaboration: from the user record.
    public static let web = PresenceCapabilities(rawValue: 1 << 2)

    /// The capabilities that are facts about devices, never taken from the user record.
    public static let fromDevices: PresenceCapabilities = [.voice, .video]
}

/// What the Store knows about a user that presence needs.
public struct PresenceUser: Hashable, Sendable {
    public var name: UserName
    /// The name people see; may be empty.
    public var displayName: String
    /// Web collaboration and other capabilities. Voice and video are ignored here: they come from the devices.
    public var capabilities: PresenceCapabilities
    public var visibility: PresenceVisibility

    public init(
        name: UserName,
        displayName: String = "",
        capabilities: PresenceCapabilities = [],
        visibility: PresenceVisibility = .everyone
    ) {
        self.name = name
        self.displayName = displayName
        self.capabilities = capabilities
        self.visibility = visibility
    }
}
