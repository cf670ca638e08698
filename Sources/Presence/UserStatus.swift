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
