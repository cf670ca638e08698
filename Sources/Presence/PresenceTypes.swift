public import CallControl

/// The name of a presentity: a user of the Store (`alice`), or an ownerless device's first directory number (`1001`),
/// which counts as a user of its own so that presence works with auto-registered phones (docs/presence.md).
///
/// Names are one namespace and are compared exactly: the host passes the Store's spelling.
public struct UserName: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The presentity an ownerless device counts as: named by its first line's directory number.
    public init(deviceNumber number: DirectoryNumber) { self.rawValue = number.rawValue }

    public var description: String { rawValue }

    public static func < (lhs: UserName, rhs: UserName) -> Bool { lhs.rawValue < rhs.rawValue }
}

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

/// What a user says about themselves, set through the API (or a client later).
public enum Availability: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case available
    case away
    case busy
    case doNotDisturb

    public var description: String {
        switch self {
        case .available: "available"
        case .away: "away"
        case .busy: "busy"
        case .doNotDisturb: "do not disturb"
        }
    }
}

/// The status a user sets: an availability and a short note. Always valid: the note is at most
/// ``maximumNoteLength`` characters and has no control characters (it ends up in JSON and Server-Sent Events lines).
public struct UserStatus: Hashable, Sendable {
    /// The longest note, in characters (extended grapheme clusters), as the issue asks: a short note.
    public static let maximumNoteLength = 140

    public let availability: Availability
    public let note: String

    /// A status, or nil if the note is longer than ``maximumNoteLength`` characters or has a control character
    /// (newline, tab, escape …).
    public init?(_ availability: Availability, note: String = "") {
        guard note.count <= Self.maximumNoteLength,
            !note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        self.availability = availability
        self.note = note
    }

    private init(unchecked availability: Availability) {
        self.availability = availability
        self.note = ""
    }

    /// Available, no note: every user's status until they set one.
    public static let available = UserStatus(unchecked: .available)
}

/// Who may see a user's presence (issue 8 §3). The user always sees their own; BLF lamps and the API both obey it.
public enum PresenceVisibility: Hashable, Sendable {
    /// Everyone, including anonymous API clients (the default).
    case everyone
    /// No one but the user.
    case nobody
    /// The listed users only (and the user).
    case only(Set<UserName>)

    /// Whether `viewer` (nil: an anonymous client) may see the presence of `owner`.
    public func allows(_ viewer: UserName?, toSee owner: UserName) -> Bool {
        if viewer == owner { return true }
        switch self {
        case .everyone: return true
        case .nobody: return false
        case .only(let allowed): return viewer.map(allowed.contains) ?? false
        }
    }
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

/// What a user's phones say, aggregated over every line of every registered device (docs/presence.md).
public enum PresenceActivity: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No device of the user is registered.
    case offline
    /// Registered, every line idle, no device in do-not-disturb.
    case available
    /// Some line is in use: dialling, ringing out, talking (including when the other side holds).
    case onCall
    /// Some line rings and none is in use.
    case ringing
    /// Some line has a held call and none is in use or ringing.
    case onHold
    /// Every line idle and a registered device is in do-not-disturb.
    case doNotDisturb

    public var description: String {
        switch self {
        case .offline: "offline"
        case .available: "available"
        case .onCall: "on a call"
        case .ringing: "ringing"
        case .onHold: "on hold"
        case .doNotDisturb: "do not disturb"
        }
    }
}

/// A user's presence as one state: the phones' activity combined with the status the user set
/// (docs/presence.md, "Combining"). Phone facts win over what the user set, because they are current.
public enum PresenceState: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case offline
    case onCall
    case ringing
    case onHold
    case doNotDisturb
    case busy
    case away
    case available

    public var description: String {
        switch self {
        case .offline: "offline"
        case .onCall: "on a call"
        case .ringing: "ringing"
        case .onHold: "on hold"
        case .doNotDisturb: "do not disturb"
        case .busy: "busy"
        case .away: "away"
        case .available: "available"
        }
    }
}

/// One user's presence, as a watcher allowed to see it gets it.
public struct UserPresence: Hashable, Sendable {
    /// The combined state.
    public var state: PresenceState
    /// What the phones say.
    public var activity: PresenceActivity
    /// What the user set (kept and reported while offline too).
    public var status: UserStatus
    public var capabilities: PresenceCapabilities
    /// From the user record; empty for a device-user or a user without a record.
    public var displayName: String

    public init(
        state: PresenceState,
        activity: PresenceActivity,
        status: UserStatus,
        capabilities: PresenceCapabilities,
        displayName: String
    ) {
        self.state = state
        self.activity = activity
        self.status = status
        self.capabilities = capabilities
        self.displayName = displayName
    }

    /// A presentity nobody told the engine about: offline, available, no capabilities.
    public static let unknownUser = UserPresence(
        state: .offline,
        activity: .offline,
        status: .available,
        capabilities: [],
        displayName: ""
    )

    /// What a BLF lamp watching this user shows: the line-like part of the presence. Offline is unknown; on a call
    /// or on hold in use; do not disturb (set or on a device) DND when no line is busy; away, busy and available
    /// are idle, because a lamp shows whether the phone will ring, not a mood.
    public var busyLampState: BusyLampState {
        switch state {
        case .offline: .unknown
        case .onCall, .onHold: .inUse
        case .ringing: .ringing
        case .doNotDisturb: .doNotDisturb
        case .busy, .away, .available: .idle
        }
    }
}

/// A user's presence as one particular watcher sees it.
public enum PresenceView: Hashable, Sendable {
    case visible(UserPresence)
    /// The user hides their presence from this watcher: nothing about it is shown, and changes are not reported.
    case hidden
}

/// What a watcher watches.
public enum WatchTarget: Hashable, Sendable {
    /// One user's presence.
    case user(UserName)
    /// One directory number's line state (what a BLF speed dial shows).
    case number(DirectoryNumber)
    /// Every user's presence: the admin API's event stream. Subscribing returns every user's current view.
    case allUsers
}

/// Someone who watches. Each kind sees with an identity that privacy is checked against.
public enum Watcher: Hashable, Sendable {
    /// A BLF speed dial: button `index` of a device. Sees as the device's user (its owner, or the device-user).
    /// Its updates are ``PresenceOutput/busyLamp(_:index:_:)`` for the device's session.
    case busyLampField(DeviceName, index: UInt32)
    /// A user watching (a buddy list through the API, SIP SUBSCRIBE later). Sees as that user.
    case user(UserName)
    /// An anonymous API client, such as an admin's event stream, told apart by an id the host picks. Sees only what
    /// everyone may see.
    case anonymous(UInt64)
}

/// Something the host must pass on, returned by ``PresenceEngine/handle(_:)``. Privacy is already applied.
public enum PresenceOutput: Hashable, Sendable {
    /// Set BLF speed dial `index` of `device` to this state (SkinnySession's `busyLampFieldChanged(index:state:)`).
    case busyLamp(DeviceName, index: UInt32, BusyLampState)
    /// Tell `watcher` how it now sees `user`.
    case userPresence(Watcher, UserName, PresenceView)
    /// Tell `watcher` the state of `number` as it may see it (``BusyLampState/unknown`` when hidden).
    case numberState(Watcher, DirectoryNumber, BusyLampState)
}
