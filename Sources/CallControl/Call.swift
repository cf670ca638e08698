/// One call: the legs that share a conversation, or that are offered one, and what the call record needs.
///
/// A call has at most two parties (the media runs directly between them); while its first party waits for an
/// answer, the call is offered to any number of legs at once (a shared line rings every device, a broadcast hunt
/// every member), and the first to answer becomes the second party. Legs that rang on the same shared line as the
/// winner stay in the call as In Use Remote shadows until it ends. Features live on the call as small state
/// machines of their own (hunt, park) or on a leg (transfer).
struct Call: Sendable {
    let id: CallID
    /// The parties, in the order they joined: the one that placed the call (or, after a transfer, the party that
    /// stayed) first. One while the call is dialled, offered or parked; two in conversation.
    var parties: [CallReference]
    /// Legs ringing for this call, oldest first. Only while there is one party.
    var offered: [CallReference] = []
    /// Legs showing this call as In Use Remote (the winner's shared-line appearances on other devices).
    var shadows: [CallReference] = []
    /// The call record being built for the current pair of parties.
    var draft: CallDraft
    /// A hunt group is offering the call to its members.
    var hunt: HuntStateMachine?
    /// The call waits in a park slot.
    var park: ParkedCall?
    /// The call is a conference: its parties talk through a bridge on the media server, not directly.
    var conference: ConferenceState?

    /// Every leg of the call: parties, then offered legs, then shadows.
    var allLegs: [CallReference] { parties + offered + shadows }

    /// The other party of `reference` in a two-party call.
    func peer(of reference: CallReference) -> CallReference? {
        guard parties.count == 2, parties.contains(reference) else { return nil }
        return parties[0] == reference ? parties[1] : parties[0]
    }
}

/// The facts a call record needs, for the current pair of parties. A transfer, park or pickup closes the draft with
/// a record and starts another for the same call ID.
struct CallDraft: Sendable {
    var setupTime: Timestamp
    /// The leg that placed the call (or took it over), and its device and number as they were then.
    var callingReference: CallReference
    var callingDevice: DeviceName
    var callingNumber: DirectoryNumber
    /// Set once the number is complete; a draft without it leaves no record.
    var dialedNumber: String?
    var calledNumber: DirectoryNumber?
    var calledDevice: DeviceName?
    var calledReference: CallReference?
    var answerTime: Timestamp?
    var codec: Codec?
    /// The first number the call reached, before it was forwarded, hunted, picked up, transferred or parked.
    var originalCalledNumber: DirectoryNumber?
    var redirect: CallRedirect?
    /// The numbers this call was forwarded away from, in order: a forward back to one of them is a loop.
    var forwardedFrom: [DirectoryNumber] = []
    /// The trunk the call came in on or went out through.
    var trunk: TrunkName?
    /// The SIP status that ended or refused it on the trunk.
    var sipStatus: Int?

    init(setupTime: Timestamp, calling leg: CallControlCore.Leg) {
        self.setupTime = setupTime
        self.callingReference = leg.reference
        self.callingDevice = leg.device ?? DeviceName("")
        self.callingNumber = leg.party.number
        self.trunk = leg.trunk
    }

    /// Records that the call reached `number`, keeping the first number reached as the original.
    mutating func reached(_ number: DirectoryNumber) {
        if originalCalledNumber == nil { originalCalledNumber = calledNumber ?? number }
        calledNumber = number
    }
}

/// A conference call's bridge and who built it.
struct ConferenceState: Hashable, Sendable {
    let id: ConferenceID
    /// The leg of the phone that built the conference (Confrn, Join): it may remove the last party added (RmLstC).
    var controller: CallReference
    /// The parties in the order they joined, for RmLstC and ConfList.
    var joinOrder: [CallReference]
}

/// A call waiting in a park slot: who parked it, so it can ring them again when nobody retrieves it.
struct ParkedCall: Hashable, Sendable {
    let slot: DirectoryNumber
    /// The parking phone's line: the call reverts to this number (every device that carries it).
    let parkerNumber: DirectoryNumber
    /// The party the parker showed, for the reverting call's display.
    let parkerParty: Party
}
