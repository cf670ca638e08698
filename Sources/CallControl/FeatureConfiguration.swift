/// A hunt group (CUCM: hunt pilot + line group): calls to `pilot` are offered to the member numbers in turn, or all
/// at once, until one answers.
public struct HuntGroup: Hashable, Sendable {
    /// How the next member is chosen (CUCM line group "distribution algorithm").
    public enum Algorithm: String, Hashable, Sendable, CaseIterable {
        /// Always from the first member down the list.
        case topDown = "top-down"
        /// From the member after the one that was offered the previous call, wrapping round.
        case circular
        /// The member whose line has been idle the longest first.
        case longestIdle = "longest-idle"
        /// Every available member at once; the first to answer takes the call.
        case broadcast
    }

    /// The number callers dial. Must not be a directory number on a device.
    public var pilot: DirectoryNumber
    /// Member directory numbers in list order. A member rings every device that carries it (a shared line).
    public var members: [DirectoryNumber]
    public var algorithm: Algorithm
    /// How long one member rings before the next is tried (broadcast: how long all ring). CUCM's "RNA Reversion
    /// Timeout" default is 10 s.
    public var noAnswerTimeout: Duration
    /// Where the call goes when no member answers or none is available: a dialled string, analysed like a complete
    /// number (route patterns apply). Nil: the caller hears busy.
    public var finalDestination: String?

    public init(
        pilot: DirectoryNumber,
        members: [DirectoryNumber],
        algorithm: Algorithm = .topDown,
        noAnswerTimeout: Duration = .seconds(10),
        finalDestination: String? = nil
    ) {
        self.pilot = pilot
        self.members = members
        self.algorithm = algorithm
        self.noAnswerTimeout = noAnswerTimeout
        self.finalDestination = finalDestination
    }
}

/// A call pickup group: a user whose line is a member can answer a call ringing on any other member with PickUp;
/// anyone can answer one with GPickUp followed by the group's number.
public struct PickupGroup: Hashable, Sendable {
    /// The group's number, dialled after GPickUp. It is not routed as a call.
    public var number: DirectoryNumber
    /// Member directory numbers. A number belongs to at most one group (the first one listing it wins).
    public var members: [DirectoryNumber]

    public init(number: DirectoryNumber, members: [DirectoryNumber]) {
        self.number = number
        self.members = members
    }
}

/// Call park: the slots a parked call can wait in, and how long before it rings back.
public struct ParkSettings: Hashable, Sendable {
    /// The park slot numbers (CUCM "call park numbers"); nil turns park off. Each slot is dialable: dialling a
    /// slot that holds a call retrieves it.
    public var slots: ClosedRange<UInt32>?
    /// How long a parked call waits before it rings the phone that parked it again (CUCM "Call Park Reversion
    /// Timer", default 60 s).
    public var reversionTimeout: Duration

    public init(slots: ClosedRange<UInt32>? = nil, reversionTimeout: Duration = .seconds(60)) {
        self.slots = slots
        self.reversionTimeout = reversionTimeout
    }

    /// Park is off until slots are configured.
    public static let off = ParkSettings()

    /// Whether `number` is one of the slots.
    public func isSlot(_ number: DirectoryNumber) -> Bool {
        guard let slots, let value = Self.slotValue(number) else { return false }
        return slots.contains(value)
    }

    /// The numeric value of a slot number: digits only, no leading zero unless it is "0".
    static func slotValue(_ number: DirectoryNumber) -> UInt32? {
        let text = number.rawValue
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt32(text)
    }
}

/// Meet-me conference numbers: dialling one joins the room of that number (the first caller opens it).
public struct MeetMeRange: Hashable, Sendable {
    /// The first and last numbers, digits of equal length; equal for a single number.
    public var first: DirectoryNumber
    public var last: DirectoryNumber

    public init(first: DirectoryNumber, last: DirectoryNumber? = nil) {
        self.first = first
        self.last = last ?? first
    }

    /// Whether `number` is one of the range's.
    public func contains(_ number: DirectoryNumber) -> Bool {
        let text = number.rawValue
        return text.count == first.rawValue.count && text >= first.rawValue && text <= last.rawValue
            && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

/// What a call to a phone in do-not-disturb does (CUCM's "DND Option").
public enum DoNotDisturbMode: String, Hashable, Sendable, CaseIterable {
    /// The call is shown and may be answered, but the phone does not ring (CUCM's default, "Ringer Off").
    case ringerOff = "ringer-off"
    /// The phone is skipped as if busy; if no other device takes the call the caller hears busy ("Call Reject").
    case reject
}
