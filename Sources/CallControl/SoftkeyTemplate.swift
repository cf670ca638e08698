/// Which softkeys a phone shows in each call state (CUCM's softkey template), stored by name and named by a device.
///
/// The core does not interpret it: it travels in the device's ``DeviceProfile`` to the device's session, which
/// turns it into the phone's softkey sets, and a change reaches the phone as a configuration change (a reset once the
/// phone is idle). Only keys whose features Strowger carries out can be placed: a key that does nothing is worse than
/// no key. A state the template does not name shows the built-in ``standardUser`` keys for that state.
public struct SoftkeyTemplate: Hashable, Sendable {
    /// The phone's call states that have a softkey set of their own (the order of SCCP's softkey sets).
    public enum State: String, CaseIterable, Hashable, Sendable, Codable {
        case onHook
        case connected
        case onHold
        case ringIn
        case offHook
        /// A transfer's consultation call, answered.
        case connectedTransfer
        case digitsFollowing
        /// A conference, or a conference's consultation call answered.
        case connectedConference
        case ringOut
        /// A transfer's or conference's consultation call, dialling.
        case offHookWithFeatures
        /// A shared line's call answered on another phone.
        case inUseHint
        case onHookWithStealableCall
    }

    /// A softkey whose feature Strowger carries out. Raw values are the names the API, the CLI and the store use
    /// (CUCM's softkey labels where they are short enough to type).
    public enum Key: String, CaseIterable, Hashable, Sendable, Codable {
        case redial = "Redial"
        case newCall = "NewCall"
        case hold = "Hold"
        case transfer = "Trnsfer"
        case backSpace = "BackSp"
        case endCall = "EndCall"
        case resume = "Resume"
        case answer = "Answer"
        case conference = "Confrn"
        case park = "Park"
        case join = "Join"
        case pickUp = "PickUp"
        case groupPickUp = "GPickUp"
        case doNotDisturb = "DND"
        case directTransfer = "DirTrfr"
        case removeLastParticipant = "RmLstC"
        case conferenceList = "ConfList"

        /// The key named `text`, without regard to case; also accepts "Transfer", "Conference" and "BackSpace".
        public init?(name text: some StringProtocol) {
            let lowered = text.lowercased()
            let aliases: [String: Key] = ["transfer": .transfer, "conference": .conference, "backspace": .backSpace]
            if let key = aliases[lowered] {
                self = key
                return
            }
            guard let key = Key.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
            self = key
        }
    }

    /// A phone shows at most this many keys a set (SoftKeySetRes has 16 slots per set).
    public static let maximumKeysPerSet = 16

    /// The template's name (1–50 characters).
    public var name: String
    /// The keys of each state it sets, in the order the phone shows them.
    public var sets: [State: [Key]]

    public init(name: String, sets: [State: [Key]]) {
        self.name = name
        self.sets = sets
    }

    /// The keys for `state`: the template's, else the built-in Standard User's.
    public func keys(for state: State) -> [Key] {
        self.sets[state] ?? Self.standardUser.sets[state] ?? []
    }

    /// What is wrong with the template, or nil: a set with more than ``maximumKeysPerSet`` keys or a key twice.
    public var problem: String? {
        for state in State.allCases {
            guard let keys = self.sets[state] else { continue }
            if keys.count > Self.maximumKeysPerSet {
                return "\(state.rawValue) has \(keys.count) keys; a phone shows at most \(Self.maximumKeysPerSet)"
            }
            if Set(keys).count != keys.count {
                return "\(state.rawValue) names a key more than once"
            }
        }
        return nil
    }

    /// The built-in template, CUCM's "Standard User" less the keys of features Strowger does not have (forwarding
    /// from the phone, meet-me by key, call info): what a device that names no template shows.
    public static let standardUser = SoftkeyTemplate(
        name: "Standard User",
        sets: [
            .onHook: [.redial, .newCall, .pickUp, .groupPickUp, .doNotDisturb],
            .connected: [.hold, .endCall, .transfer, .conference, .park, .directTransfer, .join],
            .onHold: [.resume, .newCall, .endCall, .directTransfer, .join],
            .ringIn: [.answer],
            .offHook: [.redial, .endCall, .pickUp, .groupPickUp],
            .connectedTransfer: [.hold, .endCall, .transfer],
            .digitsFollowing: [.backSpace, .endCall],
            .connectedConference: [.hold, .endCall, .conference, .conferenceList, .removeLastParticipant],
            .ringOut: [.endCall, .transfer],
            .offHookWithFeatures: [.redial, .endCall],
            .inUseHint: [.redial, .newCall],
            .onHookWithStealableCall: [.redial, .newCall],
        ]
    )
}
