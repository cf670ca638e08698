/// The name a device registers with, e.g. `SEP001122334455` ("SEP" + the phone's MAC address).
///
/// A wrapper rather than a bare `String` so that a device name can never be passed where a directory number is
/// expected; both are strings on the wire.
public struct DeviceName: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: DeviceName, rhs: DeviceName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name in its one canonical spelling (``canonicalSpelling(of:)``): what every edge (the SCCP session's
    /// Register, the admin API, the CLI, the CSV import, the Store) turns a name into before it is compared or kept.
    public init(canonicalizing text: some StringProtocol) {
        self.rawValue = Self.canonicalSpelling(of: text)
    }

    /// The canonical spelling of a device name: ASCII letters in upper case, everything else as it is.
    ///
    /// CUCM stores `SEP` + the MAC address in upper-case hex, and a phone's MAC is the same whatever case its hex is
    /// written in, so `SEP00aabbccddee` and `SEP00AABBCCDDEE` are one device. Names are normalised, not refused: a
    /// phone or a file that writes the hex in lower case still finds its device, and no spelling can be a second
    /// device beside the first (the phone hijack of issue 13, where the core compared names case-sensitively and the
    /// Store did not). Only ASCII is mapped, so the result never depends on a locale or a Unicode version.
    public static func canonicalSpelling(of text: some StringProtocol) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else {
            return String(text)
        }
        let upper = utf8.map { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 0x20 : byte
        }
        return String(decoding: upper, as: UTF8.self)
    }

    /// Whether the name is already in its canonical spelling.
    public var isCanonical: Bool {
        !rawValue.utf8.contains(where: { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
    }

    /// Whether the name has the shape auto-registration accepts: `SEP` followed by exactly 12 hexadecimal digits.
    ///
    /// Only such names may take a number from the auto-registration range, so that a port scanner sending random
    /// names cannot use up the range.
    public var isAutoRegistrationCandidate: Bool {
        let utf8 = rawValue.utf8
        guard utf8.count == 15, rawValue.hasPrefix("SEP") else { return false }
        return utf8.dropFirst(3).allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"),
                UInt8(ascii: "a")...UInt8(ascii: "f"):
                true
            default:
                false
            }
        }
    }
}

/// A SIP trunk's name, as configured (`strowger trunk add NAME`): a gateway, a carrier or another PBX that calls
/// reach through SIP. Each call on a trunk is a leg of its own.
public struct TrunkName: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: TrunkName, rhs: TrunkName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Names one conference bridge the core opened on the media server. Unique among live conferences, never 0, wraps.
public struct ConferenceID: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    public var description: String { String(rawValue) }

    public static func < (lhs: ConferenceID, rhs: ConferenceID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a call leg runs to.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// A line appearance of a phone.
    case phone(DeviceName, line: LineInstance)
    /// A SIP trunk: the far end is a gateway, a carrier or another PBX.
    case trunk(TrunkName)

    public var description: String {
        switch self {
        case .phone(let device, let line): "\(device) line \(line)"
        case .trunk(let trunk): "trunk \(trunk)"
        }
    }
}

/// A directory number (DN): the number a line answers to, e.g. `1001`.
///
/// Dialling a directory number exactly routes to the line that carries it; route patterns may also translate to one.
public struct DirectoryNumber: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: DirectoryNumber, rhs: DirectoryNumber) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A line's position on a device: line buttons are numbered 1...n in button order, as SCCP's `lineInstance`.
public struct LineInstance: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    public var description: String { String(rawValue) }

    public static func < (lhs: LineInstance, rhs: LineInstance) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One device's view of one call (a call *leg*), unique among live legs; SCCP's `callReference`.
///
/// A two-party call has two legs, one per device, each with its own reference. The core never hands out 0, which
/// SCCP uses for "no call".
public struct CallReference: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    public var description: String { String(rawValue) }

    public static func < (lhs: CallReference, rhs: CallReference) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Identifies one call: the legs that share one conversation or one offer, as long as they do. Unique among live
/// calls, never 0, wraps. Legs keep their own ``CallReference``s; a transfer moves a leg from one call to another.
public struct CallID: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    public var description: String { String(rawValue) }

    public static func < (lhs: CallID, rhs: CallID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Names one media stream (one device's receive channel plus its transmission), SCCP's `passThroughPartyId`.
///
/// Unique among live streams. Some phones (e.g. the 7912) acknowledge an open receive channel with this ID only and
/// no call reference, so the core finds the stream by this ID alone.
public struct PassThroughPartyID: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { self.rawValue = value }

    public var description: String { String(rawValue) }

    public static func < (lhs: PassThroughPartyID, rhs: PassThroughPartyID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a timer is for; carried in ``TimerID`` so that hosts can log and count timers by purpose.
public enum TimerPurpose: Hashable, Sendable {
    /// Off-hook with no digit dialled yet: on expiry the phone gets reorder (CUCM "off-hook to first digit").
    case offHook
    /// Waiting for another digit because the number dialled so far may still grow: on expiry the number is routed
    /// as it stands or, if it matches nothing, rejected as invalid.
    case interdigit
    /// A failed call (busy, reorder, invalid number) waiting for the user to hang up: on expiry the core clears it,
    /// so an abandoned handset cannot hold a call forever.
    case failedCall
    /// A forwarded-on-no-answer call ringing its callee: on expiry the offer is withdrawn and the call goes to the
    /// line's ``LineConfiguration/forwardNoAnswer`` target.
    case noAnswer
    /// A hunt group's members have rung for the group's no-answer time: the offer moves to the next member (or, for
    /// broadcast, to the final destination).
    case huntNoAnswer
    /// A parked call has waited for the park reversion time: it rings the phone that parked it.
    case parkReversion
    /// A call routed to a trunk waits for the calling phone's receive address, to offer it in the INVITE (an early
    /// offer): on expiry the call is placed without one (a delayed offer) rather than not at all.
    case earlyOffer
}

/// Identifies one started timer. Every `.startTimer` gets a fresh ID, so a late `.timerFired` for a timer the core
/// has since cancelled or restarted is recognised as stale and ignored.
public struct TimerID: Hashable, Sendable, CustomStringConvertible {
    /// Increases with every started timer; never reused.
    public var sequence: UInt64
    public var purpose: TimerPurpose

    public init(_ sequence: UInt64, _ purpose: TimerPurpose) {
        self.sequence = sequence
        self.purpose = purpose
    }

    public var description: String { "\(purpose)#\(sequence)" }
}

/// A point in time as the host tells it: a duration since an epoch of the host's choosing.
///
/// The core only stamps call records with it and never reads a clock, so it stays deterministic. Hosts should pass
/// wall-clock time since the Unix epoch so that call records carry real times; tests pass small values. Timers do
/// not depend on it: they are started with a relative duration.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var sinceEpoch: Duration

    public init(sinceEpoch: Duration) { self.sinceEpoch = sinceEpoch }

    public static let zero = Timestamp(sinceEpoch: .zero)

    public static func seconds(_ seconds: Int64) -> Timestamp { Timestamp(sinceEpoch: .seconds(seconds)) }
    public static func milliseconds(_ milliseconds: Int64) -> Timestamp {
        Timestamp(sinceEpoch: .milliseconds(milliseconds))
    }

    public func advanced(by duration: Duration) -> Timestamp { Timestamp(sinceEpoch: sinceEpoch + duration) }

    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration { lhs.sinceEpoch - rhs.sinceEpoch }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.sinceEpoch < rhs.sinceEpoch }

    public var description: String { "\(sinceEpoch)" }
}
