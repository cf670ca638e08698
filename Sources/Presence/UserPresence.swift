public import CallControl

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
