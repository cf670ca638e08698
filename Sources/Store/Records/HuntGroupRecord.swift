public import CallControl

/// A hunt group (CUCM: a hunt pilot with its line group): calls to ``pilot`` are offered to the member lines in turn,
/// or all at once, until one answers. Table `huntGroup` (migration `addCallFeatures`); the members are
/// ``HuntGroupMemberRecord`` rows, in order.
///
/// The pilot is a dialable number like a line's: it may not be a line, a pickup group's number or a park slot, and
/// the Store refuses a write that would make it one (Store+CallFeatures.swift).
public struct HuntGroupRecord: Codable, Hashable, Sendable {
    /// How the next member is chosen (CUCM's line group "distribution algorithm"); the text stored in `algorithm`.
    public enum Algorithm: String, Codable, CaseIterable, Hashable, Sendable, SQLValueConvertible {
        /// Always from the first member down.
        case topDown = "top-down"
        /// From the member after the one offered the previous call, wrapping round.
        case circular
        /// The member whose line has been idle longest first.
        case longestIdle = "longest-idle"
        /// Every available member at once; the first to answer takes the call.
        case broadcast

        /// The accepted spellings, for error messages.
        public static let spellings = allCases.map(\.rawValue).joined(separator: ", ")

        public init(_ algorithm: HuntGroup.Algorithm) {
            switch algorithm {
            case .topDown: self = .topDown
            case .circular: self = .circular
            case .longestIdle: self = .longestIdle
            case .broadcast: self = .broadcast
            }
        }

        /// CallControl's value.
        public var huntGroupAlgorithm: HuntGroup.Algorithm {
            switch self {
            case .topDown: .topDown
            case .circular: .circular
            case .longestIdle: .longestIdle
            case .broadcast: .broadcast
            }
        }
    }

    /// The most members a group may have: a broadcast group rings every one at once, and CUCM's line groups are
    /// of the same order.
    public static let maximumMembers = 100

    /// The row id; nil until inserted.
    public var id: Int64?
    /// The number callers dial, unique among lines, pilots, pickup groups and park slots: 1–24 of `0-9 * + A-D`.
    public var pilot: String
    public var algorithm: Algorithm
    /// How long one member rings before the next is tried (broadcast: how long all ring), 1–300 s (CUCM's "RNA
    /// Reversion Timeout", 10 s).
    public var noAnswerTimeoutSeconds: Int
    /// Where the call goes when no member answers or none is available: a dialled string (route patterns apply),
    /// not the pilot itself; nil: the caller hears busy.
    public var finalDestination: String?

    public init(
        id: Int64? = nil,
        pilot: String,
        algorithm: Algorithm = .topDown,
        noAnswerTimeoutSeconds: Int = 10,
        finalDestination: String? = nil
    ) {
        self.id = id
        self.pilot = pilot
        self.algorithm = algorithm
        self.noAnswerTimeoutSeconds = noAnswerTimeoutSeconds
        self.finalDestination = finalDestination
    }

    /// Checks every field and the member list's shape (each a directory number, none twice, at most
    /// ``maximumMembers``); throws a ``StoreError`` naming the first bad one. Whether the members are lines and the
    /// pilot is free is checked when the group is written.
    public func validate(members: [String]) throws(StoreError) {
        try Validation.directoryNumber(pilot, field: "huntGroup.pilot")
        try Validation.range(
            noAnswerTimeoutSeconds,
            1...300,
            field: "huntGroup.noAnswerTimeoutSeconds",
            unit: "seconds"
        )
        if let finalDestination {
            try Validation.dialString(finalDestination, field: "huntGroup.finalDestination")
            if finalDestination == pilot || finalDestination == pilot + "#" {
                throw .invalidValue(
                    "huntGroup.finalDestination",
                    "huntGroup finalDestination must not be the group's own pilot (\(pilot)): the call would hunt"
                        + " forever"
                )
            }
        }
        try Validation.memberNumbers(members, field: "huntGroup.members", maximum: Self.maximumMembers)
    }

    /// CallControl's hunt group with these members.
    public func huntGroup(members: [String]) -> HuntGroup {
        HuntGroup(
            pilot: DirectoryNumber(pilot),
            members: members.map(DirectoryNumber.init(rawValue:)),
            algorithm: algorithm.huntGroupAlgorithm,
            noAnswerTimeout: .seconds(noAnswerTimeoutSeconds),
            finalDestination: finalDestination
        )
    }
}

extension HuntGroupRecord: SQLAutoIncrementedRecord {
    static let tableName = "huntGroup"
}
