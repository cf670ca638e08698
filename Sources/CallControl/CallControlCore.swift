/// The call-processing core: devices, lines, calls, dial plan and timers as one deterministic state machine.
///
/// Events in, commands out (design.md, "CallControl knows calls, not bytes"). It performs no I/O and reads no clock:
/// the host passes the time with every event, turns ``CallCommand/startTimer(_:after:)`` into real timers and feeds
/// their expiry back as ``CallEvent/timerFired(_:)``. All cross-device state lives here, so the core must have exactly
/// one owner (an actor or one event loop); it is a value type so that tests can copy and replay it.
///
/// Cost: every event touches only the devices and legs it concerns, through dictionaries keyed by value types, plus
/// a scan of one device's own few legs. Number analysis is described in ``Directory``.
public struct CallControlCore: Sendable {
    /// The configuration in use, including auto-registered devices added since the last snapshot.
    public internal(set) var directory: Directory

    var devices: [DeviceName: RegisteredDevice] = [:]
    var legs: [CallReference: Leg] = [:]
    var calls: [CallID: Call] = [:]
    /// Live media streams, to find the leg from an acknowledgement that carries only the stream ID.
    var streams: [PassThroughPartyID: CallReference] = [:]
    /// Running timers and the leg each belongs to.
    var timers: [TimerID: CallReference] = [:]
    /// The last complete number each device dialled, for Redial. Bounded by the number of devices in the directory.
    var lastDialed: [DeviceName: String] = [:]
    var nextCallID: UInt32 = 1
    var nextCallReference: UInt32
    var nextPassThroughPartyID: UInt32
    var nextTimerSequence: UInt64 = 1
    /// Where the search for a free auto-registration number resumes, so that handing out numbers is amortised O(1).
    var autoRegistrationCursor: UInt32?
    /// Set when the range was found full; cleared when the directory changes. Spares a full scan per attempt.
    var autoRegistrationExhausted = false
    /// Live legs by the directory number they are on (their line's number when they started), for line states.
    var numberLegs: [DirectoryNumber: [CallReference]] = [:]
    /// The last state reported for each number with ``CallCommand/lineStateChanged(_:_:)``; idle numbers are absent.
    var lineStates: [DirectoryNumber: LineState] = [:]
    /// Numbers whose legs changed during the event being handled, in the order they were first touched.
    var touchedNumbers: [DirectoryNumber] = []
    var touchedNumberSet: Set<DirectoryNumber> = []
    /// When each number last became idle (for longest-idle hunting). A number never seen busy is absent: it counts as
    /// idle the longest. Bounded by the numbers that ever had a call.
    var idleSince: [DirectoryNumber: Timestamp] = [:]
    /// For circular hunting: the member of each hunt group that was offered the last call.
    var huntCursor: [DirectoryNumber: DirectoryNumber] = [:]
    /// Parked calls by slot.
    var parkedCalls: [DirectoryNumber: CallID] = [:]
    /// Trunks whose sessions are attached, and whether each is up. Calls are routed only to a trunk that is up.
    var trunks: [TrunkName: Bool] = [:]
    /// The media server's conference size limit while it is attached; nil without a media server.
    var mediaServerMaximumParticipants: Int?
    var nextConferenceID: UInt32 = 1
    /// Live conference bridges and the call each serves.
    var conferences: [ConferenceID: CallID] = [:]
    /// Meet-me rooms in use, by number.
    var meetMeRooms: [DirectoryNumber: CallID] = [:]

    /// The time of the event being handled.
    var now: Timestamp = .zero
    /// Commands produced by the event being handled.
    var output: [CallCommand] = []

    /// - Parameters:
    ///   - directory: the initial configuration.
    ///   - firstCallReference: the first call reference to hand out (never 0); later ones count up and wrap.
    ///   - firstPassThroughPartyID: likewise for media streams.
    public init(directory: Directory = Directory(), firstCallReference: UInt32 = 1, firstPassThroughPartyID: UInt32 = 1)
    {
        self.directory = directory
        self.nextCallReference = max(1, firstCallReference)
        self.nextPassThroughPartyID = max(1, firstPassThroughPartyID)
    }

    /// Handles one event at time `now` and returns what the host must do, in order.
    public mutating func handle(_ event: CallEvent, at now: Timestamp) -> [CallCommand] {
        self.now = now
        switch event {
        case .deviceRegistered(let device, let capabilities):
            register(device, capabilities: capabilities)
        case .capabilitiesChanged(let device, let capabilities):
            capabilitiesChanged(device, capabilities)
        case .deviceUnregistered(let device):
            unregister(device, reason: .deviceLost)
        case .offHook(let device, let line, let call):
            offHook(device, line: line, call: call)
        case .onHook(let device, _, _):
            onHook(device)
        case .digit(let device, let line, let call, let key):
            digit(device, line: line, call: call, key: key)
        case .enbloc(let device, let line, let number):
            dialComplete(device, line: line, number: number)
        case .lineButton(let device, let line):
            lineButton(device, line: line)
        case .speedDial(let device, let index):
            if let speedDial = devices[device]?.profile.speedDials.first(where: { $0.index == index }) {
                dialComplete(device, line: nil, number: speedDial.number)
            }
        case .softKey(let device, let key, let line, let call):
            softKey(device, key: key, line: line, call: call)
        case .receiveChannelOpened(let device, let call, let passThroughPartyID, let endpoint):
            receiveChannelOpened(device, call: call, passThroughPartyID: passThroughPartyID, endpoint: endpoint)
        case .timerFired(let id):
            timerFired(id)
        case .directoryChanged(let change):
            applyDirectoryChange(change)
        case .trunkAttached(let trunk, let isUp):
            trunkAttached(trunk, isUp: isUp)
        case .trunkDetached(let trunk):
            trunkDetached(trunk)
        case .trunkStatusChanged(let trunk, let isUp):
            trunkStatusChanged(trunk, isUp: isUp)
        case .trunkCallArrived(let trunk, let token, let caller, let called, let codecs, let defaultNumber):
            trunkCallArrived(
                trunk,
                token: token,
                caller: caller,
                called: called,
                codecs: codecs,
                defaultNumber: defaultNumber
            )
        case .trunkCallAlerting(let trunk, let call):
            trunkCallAlerting(trunk, call: call)
        case .trunkCallAnswered(let trunk, let call):
            trunkCallAnswered(trunk, call: call)
        case .trunkMediaAddress(let trunk, let call, let endpoint, let codecs):
            trunkMediaAddress(trunk, call: call, endpoint: endpoint, codecs: codecs)
        case .trunkCallEnded(let trunk, let call, let cause, let sipStatus):
            trunkCallEnded(trunk, call: call, cause: cause, sipStatus: sipStatus)
        case .trunkHoldChanged(let trunk, let call, let isHeld):
            trunkHoldChanged(trunk, call: call, isHeld: isHeld)
        case .trunkTelephoneEvents(let trunk, let call, let payloadType):
            trunkTelephoneEvents(trunk, call: call, payloadType: payloadType)
        case .trunkDigitStarted(let trunk, let call, let key):
            trunkDigit(trunk, call: call, key: key)
        case .trunkDigitEnded(let trunk, let call):
            trunkDigit(trunk, call: call, key: nil)
        case .mediaServerAttached(let maximumParticipants):
            mediaServerAttached(maximumParticipants: maximumParticipants)
        case .mediaServerDetached:
            mediaServerDetached()
        case .mediaResourceReady(let call, let endpoint):
            mediaResourceReady(call, endpoint: endpoint)
        case .mediaResourceFailed(let call, let failure):
            mediaResourceFailed(call, failure)
        }
        reportLineStates()
        let result = output
        output = []
        return result
    }

    // MARK: - Introspection (tests, metrics, admin)

    /// Registered devices.
    public var registeredDeviceCount: Int { devices.count }
    /// Calls alive (a transfer's consultation is a call of its own; a parked call is one).
    public var activeCallCount: Int { calls.count }
    /// Parked calls.
    public var parkedCallCount: Int { parkedCalls.count }
    /// Call legs alive (a two-party call has two).
    public var activeLegCount: Int { legs.count }
    /// Timers started and neither fired nor cancelled.
    public var activeTimerCount: Int { timers.count }
    /// Media streams open (one per device per conversation).
    public var activeMediaStreamCount: Int { streams.count }

    /// Whether `device` is registered.
    public func isRegistered(_ device: DeviceName) -> Bool { devices[device] != nil }

    /// The state of `number` over all its calls, as last reported with ``CallCommand/lineStateChanged(_:_:)``.
    public func lineState(of number: DirectoryNumber) -> LineState { lineStates[number] ?? .idle }

    /// Numbers that are not idle, with their states: for a presence engine that starts after calls did.
    public var busyLines: [DirectoryNumber: LineState] { lineStates }

    /// The legs of `device`, oldest first.
    public func calls(of device: DeviceName) -> [CallSummary] {
        guard let registered = devices[device] else { return [] }
        return registered.legs.compactMap { reference in
            guard let leg = legs[reference] else { return nil }
            return CallSummary(
                reference: reference,
                device: device,
                line: leg.line ?? 0,
                state: summaryState(leg),
                peer: peer(of: leg)
            )
        }
    }

    /// Every live call with all its legs, oldest call first: for `strowger show calls`.
    public var liveCalls: [CallSnapshot] {
        calls.values.sorted { $0.id < $1.id }.map { call in
            let legSnapshots = call.allLegs.compactMap { reference -> LegSnapshot? in
                guard let leg = legs[reference] else { return nil }
                return LegSnapshot(
                    reference: reference,
                    device: leg.device ?? DeviceName(""),
                    line: leg.line ?? 0,
                    number: leg.party.number,
                    state: summaryState(leg),
                    trunk: leg.trunk
                )
            }
            var dialed = call.draft.dialedNumber
            if dialed == nil, let first = call.parties.first, case .dialing(let digits) = legs[first]?.state {
                dialed = digits
            }
            return CallSnapshot(
                id: call.id,
                legs: legSnapshots,
                dialedNumber: dialed,
                parkSlot: call.park?.slot,
                huntPilot: call.hunt?.group.pilot
            )
        }
    }

    func summaryState(_ leg: Leg) -> CallSummary.State {
        switch leg.state {
        case .dialing(let digits): .dialing(digits)
        case .failed: .failed
        case .ringingOut: .ringingOut
        case .ringingIn: .ringingIn
        case .connected: leg.isHeld ? .held : .connected
        case .inUseRemote: .inUseRemote
        }
    }

    /// The leg `leg` is paired with: its conversation partner, the caller it rings for, or the first leg it rings.
    func peer(of leg: Leg) -> CallReference? {
        guard let call = calls[leg.call] else { return nil }
        switch leg.state {
        case .connected: return call.peer(of: leg.reference)
        case .ringingOut: return call.offered.first
        case .ringingIn, .inUseRemote: return call.parties.first
        case .dialing, .failed: return nil
        }
    }

    // MARK: - Output helpers

    mutating func emit(_ command: CallCommand) {
        output.append(command)
    }

    /// Shows `indication` on `leg`'s device, unless the device is gone, or tells the leg's trunk. Every visible
    /// change of a leg goes through here, so its number is marked for a line-state check.
    mutating func indicate(_ leg: Leg, _ indication: Indication) {
        switch leg.endpoint {
        case .phone(let device, let line):
            touchLineState(of: leg.party.number)
            guard devices[device] != nil else { return }
            emit(.indicate(device, line: line, call: leg.reference, indication))
        case .trunk(let trunk):
            guard trunks[trunk] != nil else { return }
            emit(.trunk(trunk, call: leg.reference, .indicate(indication)))
            // An answered trunk call's far end hears its tones from the media server.
            if let tone = resourceTone(for: leg, indication) { playResourceTone(leg.reference, tone) }
        }
    }

    mutating func startTimer(for reference: CallReference, _ purpose: TimerPurpose, after duration: Duration) {
        cancelTimer(of: reference)
        guard legs[reference] != nil else { return }
        let id = TimerID(nextTimerSequence, purpose)
        nextTimerSequence += 1
        timers[id] = reference
        legs[reference]?.timer = id
        emit(.startTimer(id, after: duration))
    }

    mutating func cancelTimer(of reference: CallReference) {
        guard let id = legs[reference]?.timer else { return }
        legs[reference]?.timer = nil
        timers[id] = nil
        emit(.cancelTimer(id))
    }

    mutating func allocateCallID() -> CallID {
        while true {
            let candidate = CallID(nextCallID)
            nextCallID = nextCallID == UInt32.max ? 1 : nextCallID + 1
            if calls[candidate] == nil { return candidate }
        }
    }

    mutating func allocateCallReference() -> CallReference {
        while true {
            let candidate = CallReference(nextCallReference)
            nextCallReference = nextCallReference == UInt32.max ? 1 : nextCallReference + 1
            if legs[candidate] == nil { return candidate }
        }
    }

    mutating func allocatePassThroughPartyID() -> PassThroughPartyID {
        while true {
            let candidate = PassThroughPartyID(nextPassThroughPartyID)
            nextPassThroughPartyID = nextPassThroughPartyID == UInt32.max ? 1 : nextPassThroughPartyID + 1
            if streams[candidate] == nil { return candidate }
        }
    }
}
