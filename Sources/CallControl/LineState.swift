/// How a directory number is used right now, over all its calls on every device that carries it: what presence
/// and busy lamp fields (BLF) are built from (docs/presence.md).
///
/// The cases are ordered by precedence: when a number has several calls, the greatest state wins
/// (``aggregate(_:)``). Someone talking is busy whatever else rings or waits on hold; a ringing call is shown next,
/// because a watcher may want to pick it up; a held call still means the user is engaged.
public enum LineState: Int, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// No call on the number.
    case idle
    /// Every call on the number is held by its user (and none rings).
    case held
    /// A call rings on the number and none is in use.
    case ringing
    /// Off-hook on the number: dialling, hearing a failure tone, ringing out, or in conversation (including when the
    /// other side holds).
    case inUse

    public static func < (lhs: LineState, rhs: LineState) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The state of a number whose calls are in `states`: the one with the highest precedence, idle for none.
    public static func aggregate(_ states: some Sequence<LineState>) -> LineState {
        states.reduce(.idle, max)
    }

    public var description: String {
        switch self {
        case .idle: "idle"
        case .held: "held"
        case .ringing: "ringing"
        case .inUse: "in use"
        }
    }
}

/// What a busy lamp field (a BLF speed dial, or a subscription to a number) shows: reference §6.8, protocol-neutral.
/// The SCCP layer maps it to FeatureStatV2Res status values or, on phones below v15, to lamp modes.
public enum BusyLampState: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Nothing to show: no registered device carries the number, or its owner hides their presence from the
    /// watcher (SCCP status 0).
    case unknown
    /// Registered and not in use (SCCP 1).
    case idle
    /// In use or on hold (SCCP 2).
    case inUse
    /// Idle, and every device that carries the number is in do-not-disturb (SCCP 3).
    case doNotDisturb
    /// A call rings on the number (SCCP 4, "alerting").
    case ringing

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .idle: "idle"
        case .inUse: "in use"
        case .doNotDisturb: "do not disturb"
        case .ringing: "ringing"
        }
    }
}

/// A device's registration as presence sees it, reported with ``CallCommand/deviceStatusChanged(_:_:)``.
public enum DeviceStatus: Hashable, Sendable {
    /// Registered with this profile (lines in button order, speed dials with their BLF flag) and these capabilities.
    /// Reported again when either changes.
    case registered(DeviceProfile, DeviceCapabilities)
    /// No longer registered (connection gone, unregistered, or removed from the directory).
    case unregistered
}
