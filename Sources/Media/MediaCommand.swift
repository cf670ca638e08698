/// What the call core asks of the media engine, as data (the runtime carries it to ``MediaEngine`` through the
/// NIO part, which binds the sockets).
///
/// The caller names conferences and legs, so that it can refer to them in the same breath as it creates them and
/// needs no answer to go on; every command gets a ``MediaCommandResult``.
public enum MediaCommand: Hashable, Sendable {
    /// Opens a conference bridge for at most `maximumParticipants` (nil: the engine's `--conference-max`).
    case createConference(ConferenceID, maximumParticipants: Int? = nil)
    /// Closes a conference and every participant's stream.
    case destroyConference(ConferenceID)
    /// Adds a participant who sends and receives `codec`. Result: ``MediaCommandResult/endpoint(_:)``, the local
    /// address and port the participant must send to (StartMediaTransmission); the bridge sends to the participant
    /// once ``setRemote(_:_:)`` says where.
    case addParticipant(MediaLegID, conference: ConferenceID, codec: G711Codec)
    /// Removes a participant; the others go on talking.
    case removeParticipant(MediaLegID)
    /// Where a leg's endpoint receives (OpenReceiveChannelAck, SDP). RTP for the leg is accepted only from here.
    case setRemote(MediaLegID, MediaSocketAddress)
    /// Streams music source `source` (``BuiltInMusic/sourceName`` for the built-in one) to a new leg. Result:
    /// the endpoint it is sent from. `remote` may be given now or later by ``setRemote(_:_:)``.
    case startMusicOnHold(MediaLegID, source: String, codec: G711Codec, remote: MediaSocketAddress? = nil)
    /// Ends a music-on-hold leg.
    case stopMusicOnHold(MediaLegID)
    /// Plays `tone` on a new leg of its own (e.g. ringback to a party the bridge holds while the next one rings).
    /// Result: the endpoint it is sent from.
    case startTone(MediaLegID, tone: MediaTone, codec: G711Codec, remote: MediaSocketAddress? = nil)
    /// Plays `tone` to an existing conference participant instead of the mix until it ends or ``stopTone(_:)``.
    case playTone(MediaLegID, tone: MediaTone)
    /// Stops a tone: a tone leg ends, a participant hears the mix again.
    case stopTone(MediaLegID)
    /// Adds or replaces a music source (listeners of a replaced source hear the new one from its start).
    case addMusicSource(name: String, clip: AudioClip)
    /// Removes a music source; its listeners hear the built-in source.
    case removeMusicSource(name: String)
}

/// The engine's answer to one ``MediaCommand``.
public enum MediaCommandResult: Hashable, Sendable {
    /// Done; nothing to report.
    case done
    /// Done; this is the engine's end of the new stream.
    case endpoint(MediaSocketAddress)
    /// Not done, and nothing changed.
    case failed(MediaCommandError)
}

/// What the engine reports on its own.
public enum MediaEvent: Hashable, Sendable {
    /// A tone that plays once (``MediaTone/repeats`` false) has ended. A tone leg stays open, silent, until stopped.
    case toneFinished(MediaLegID, MediaTone)
    /// A participant who had been sending sent nothing for ``MediaEngine/Configuration/inactivityTimeout``: its
    /// phone or network is gone (the call core decides what to do; the leg stays until removed).
    case mediaInactive(MediaLegID)
}

/// Why a command failed. Compare by `code`.
public struct MediaCommandError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case conferenceExists, unknownConference, conferenceFull, legExists, unknownLeg, wrongLegKind
            case portsExhausted, streamLimit, unknownSource
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A conference with that id is open.
        public static let conferenceExists = Code(.conferenceExists)
        /// No conference with that id.
        public static let unknownConference = Code(.unknownConference)
        /// The conference has its maximum of participants (`--conference-max`).
        public static let conferenceFull = Code(.conferenceFull)
        /// A leg with that id is open.
        public static let legExists = Code(.legExists)
        /// No leg with that id.
        public static let unknownLeg = Code(.unknownLeg)
        /// The leg is not of the kind the command works on (e.g. ``MediaCommand/playTone(_:tone:)`` on MoH).
        public static let wrongLegKind = Code(.wrongLegKind)
        /// Every port of the media range is in use or held by another process: phase 2 turns this into "No
        /// Conference Bridge" or a hold without music.
        public static let portsExhausted = Code(.portsExhausted)
        /// The engine already serves ``MediaEngine/Configuration/maximumLegs`` streams.
        public static let streamLimit = Code(.streamLimit)
        /// No music source of that name.
        public static let unknownSource = Code(.unknownSource)

        public var description: String {
            switch self.base {
            case .conferenceExists: "conference exists"
            case .unknownConference: "unknown conference"
            case .conferenceFull: "conference full"
            case .legExists: "leg exists"
            case .unknownLeg: "unknown leg"
            case .wrongLegKind: "wrong leg kind"
            case .portsExhausted: "media ports exhausted"
            case .streamLimit: "stream limit"
            case .unknownSource: "unknown music source"
            }
        }
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { "\(self.code): \(self.detail)" }
}
