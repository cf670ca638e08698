/// Something the host must do, returned by ``CallControlCore/handle(_:at:)``, in order.
///
/// Commands that name a device are for that device's session, which renders them in its own protocol; the host
/// drops them if the device has meanwhile gone. Timer commands are for the host's timer wheel. The core never
/// addresses a device that is not registered.
public enum CallCommand: Hashable, Sendable {
    /// Registration accepted: the session answers the device (SCCP RegisterAck) and serves its button template,
    /// lines and speed dials from `profile`.
    case registrationAccepted(DeviceName, DeviceProfile)
    /// Registration refused (SCCP RegisterReject with ``RegistrationRejection/description``, then close).
    case registrationRejected(DeviceName, RegistrationRejection)
    /// An unknown device was given `number` from the auto-registration range. The host should persist the new
    /// device and line so it keeps the number across restarts (and include them in later directory snapshots).
    case autoRegistered(DeviceName, DirectoryNumber)
    /// A registered device's lines or speed dials changed. The session should make the phone fetch them again (SCCP:
    /// Reset with restart). Calls in progress keep the line they started on.
    case configurationChanged(DeviceName, DeviceProfile)
    /// The device may no longer be registered (removed from the directory). Its calls are already cleared; the
    /// session should unregister or close it.
    case unregister(DeviceName, reason: UnregisterReason)
    /// Show `indication` for call `call` on `line` of `device`: what the user sees and hears in that call.
    case indicate(DeviceName, line: LineInstance, call: CallReference, Indication)
    /// Ask the device to open a receive channel for stream `passThroughPartyID` of `call` (SCCP OpenReceiveChannel;
    /// the conference ID can be the call reference, as CUCM does). The device answers with
    /// ``CallEvent/receiveChannelOpened(_:call:passThroughPartyID:endpoint:)``.
    case openReceiveChannel(
        DeviceName,
        call: CallReference,
        passThroughPartyID: PassThroughPartyID,
        media: MediaParameters
    )
    /// Tell the device to send its RTP for stream `passThroughPartyID` to `remote`, the other party's receive address
    /// (SCCP StartMediaTransmission).
    case startMediaTransmission(
        DeviceName,
        call: CallReference,
        passThroughPartyID: PassThroughPartyID,
        remote: MediaEndpoint,
        media: MediaParameters
    )
    /// Stop stream `passThroughPartyID`: close its receive channel and stop its transmission (SCCP
    /// CloseReceiveChannel + StopMediaTransmission). Sent on hang-up and hold.
    case closeMedia(DeviceName, call: CallReference, passThroughPartyID: PassThroughPartyID)
    /// Start a timer; when it expires, send ``CallEvent/timerFired(_:)`` with the same ID.
    case startTimer(TimerID, after: Duration)
    /// Cancel a timer. If it fires anyway (a race), the core ignores the event.
    case cancelTimer(TimerID)
    /// A call ended: its detail record for the CDR store.
    case callRecord(CallRecord)
    /// Presence: the state of `number` over all its calls on every device changed (docs/presence.md). Emitted after
    /// the event's other commands, once per number whose state differs from the last one reported, in the order the
    /// numbers were first touched. A number starts idle; nothing is reported for a number that never left idle.
    case lineStateChanged(DirectoryNumber, LineState)
    /// Presence: a device registered (its profile and capabilities), its profile or capabilities changed while
    /// registered, or it unregistered for any reason. For the presence engine only; sessions ignore it.
    case deviceStatusChanged(DeviceName, DeviceStatus)
    /// The device's do-not-disturb is now `isOn`: after its registration when it is on, and whenever it changes (DND
    /// softkey or the administrator). The session shows it; the host keeps the Store and presence in step.
    case doNotDisturbChanged(DeviceName, isOn: Bool)
    /// Message waiting on `line` of the device is now `isOn`: after its registration for every line with a message,
    /// and whenever it changes. The session lights or clears the message lamp.
    case messageWaiting(DeviceName, line: LineInstance, isOn: Bool)
    /// A short message for the user that belongs to no call (SCCP DisplayNotify): where a call was parked, that
    /// nothing can be picked up, …
    case notify(DeviceName, Notice)
    /// For the leg `call` on a trunk: what the trunk's session must do in its protocol (SIP).
    case trunk(TrunkName, call: CallReference, TrunkCommand)
    /// A session claimed a trunk another session speaks for (the runtime's take-over refused it).
    case trunkAttachRefused(TrunkName)
    /// For the media server: open or close a conference bridge, add or remove a participant, music on hold.
    case media(MediaResourceCommand)
    /// A second media server claimed the media server while the first is alive (the runtime refused it).
    case mediaServerAttachRefused
}

/// What the core asks of the media server (``CallCommand/media(_:)``). Legs are named by their call reference; the
/// server answers a new stream with ``CallEvent/mediaResourceReady(_:endpoint:)`` or
/// ``CallEvent/mediaResourceFailed(_:_:)``.
public enum MediaResourceCommand: Hashable, Sendable {
    /// Open conference bridge `id` for at most `maximumParticipants`.
    case createConference(ConferenceID, maximumParticipants: Int)
    /// Close the bridge and every participant's stream.
    case destroyConference(ConferenceID)
    /// Add leg `call` to the bridge: the answer is the bridge's end, where the leg's endpoint sends its RTP.
    case addParticipant(CallReference, conference: ConferenceID, codec: Codec)
    /// Take leg `call` off its bridge.
    case removeParticipant(CallReference)
    /// Where leg `call`'s endpoint receives (its phone acknowledged the receive channel, or its trunk's SDP): the
    /// bridge sends the leg its mix there, and takes RTP for the leg from there only.
    case setRemote(CallReference, MediaEndpoint)
    /// Stream music source `source` (nil: the built-in one) to leg `call`, which receives at `remote`.
    case startMusicOnHold(CallReference, source: String?, codec: Codec, remote: MediaEndpoint)
    /// Stop leg `call`'s music.
    case stopMusicOnHold(CallReference)
}

/// What the core asks of a trunk session for one of the trunk's legs (``CallCommand/trunk(_:call:_:)``). The session
/// renders it in SIP; docs/sip.md has the mapping.
public enum TrunkCommand: Hashable, Sendable {
    /// The call that arrived as `token` (``CallEvent/trunkCallArrived(_:token:caller:called:codecs:defaultNumber:)``)
    /// is leg `call` from now on.
    case bound(token: UInt64)
    /// Place a call to `called` (the digits after the route pattern's manipulation) from `caller` (SIP INVITE).
    /// With `offer`, the INVITE offers the calling phone's receive address (an early offer, so that the far end can
    /// answer it in a 183 and send early media): the leg's media is then set up as after `openMedia` and `startMedia`,
    /// and the far end's answer comes back as ``CallEvent/trunkMediaAddress(_:call:_:codecs:)``. Without it, the
    /// INVITE has no SDP (a delayed offer) and media starts with `openMedia` once the far end answers.
    case place(caller: Party, called: String, offer: TrunkOffer? = nil)
    /// What the leg's user would see on a phone, for the session to say in SIP: `ringOut` (the callee rings: 180),
    /// `connected` (answered: 200 OK once the media address is known; later, a new remote party), `hold` and
    /// `remoteHold` (re-INVITE with sendonly/inactive), `busy`, `invalidNumber`, `reorder` (a final failure), and
    /// `cleared` (BYE, CANCEL or a final response, whatever fits the dialog's state).
    case indicate(Indication)
    /// Media starts on the leg: the session answers with ``CallEvent/trunkMediaAddress(_:call:_:codecs:)`` (the far
    /// end's address from its SDP), as a phone answers an open receive channel.
    case openMedia(MediaParameters)
    /// Media for the far end goes to `remote` (the other party's receive address): the session puts it in its SDP
    /// (the answer, the ACK of a delayed offer, or a re-INVITE).
    case startMedia(remote: MediaEndpoint, MediaParameters)
    /// Media stops (hold, hang-up).
    case closeMedia
}

/// What a call placed on a trunk offers the far end (``TrunkCommand/place(caller:called:offer:)``): the calling
/// phone's receive channel, open before the INVITE goes out.
public struct TrunkOffer: Hashable, Sendable {
    /// Where the phone receives RTP (its open-receive-channel acknowledgement).
    public var endpoint: MediaEndpoint
    /// The codec and packet time the phone's receive channel is open for: offered first.
    public var media: MediaParameters
    /// Further codecs the phone can use, offered after ``media``'s (the core reopens the phone's channel if the far
    /// end answers with one of these).
    public var alternatives: [Codec]

    public init(endpoint: MediaEndpoint, media: MediaParameters, alternatives: [Codec] = []) {
        self.endpoint = endpoint
        self.media = media
        self.alternatives = alternatives
    }
}

/// A message for the user of a device that belongs to no call (``CallCommand/notify(_:_:)``).
public enum Notice: Hashable, Sendable {
    /// The call was parked in `slot` ("Call Park At 7001"); dialling the slot retrieves it.
    case callParked(slot: DirectoryNumber)
    /// Park found no free slot, or park is off ("No Park Number Available"); the call stays as it was.
    case noParkSlotAvailable
    /// PickUp or GPickUp found no ringing call to answer ("No Call Available For Pickup").
    case noCallForPickup
    /// A transfer could not be completed (the target was busy or invalid); the held party is back.
    case transferFailed
    /// No conference bridge could be had (no media server, or its ports are used up); the calls stay as they were.
    case noConferenceBridge
    /// The conference has its maximum of participants ("Exceed Maximum Parties").
    case conferenceFull
    /// Who is in the device's conference, for ConfList: each participant's party, the one added last last.
    case conferenceParticipants([Party])
}

/// What a user sees and hears in one call on one device. The SCCP layer turns each into the message burst of
/// call-flows.md (call state, tones, prompts, softkey set, lamp, ringer).
public enum Indication: Hashable, Sendable {
    /// Off-hook for a new call: dial tone, "Enter number", off-hook softkeys (call-flows §2).
    case offHook
    /// The digits dialled so far, after each key (the first key stops dial tone; digits-following softkeys).
    case digitsCollected(String)
    /// BackSpace removed the last digit; these remain (SCCP BackSpaceRes).
    case digitRemoved(String)
    /// The number is complete and being routed: the called number as dialled, "Call Proceed".
    case proceeding(dialed: String)
    /// The called phone rings: ring-back tone, ring-out softkeys, the callee's name and number.
    case ringOut(callee: Party)
    /// The call rings out and the far end's network sends audio before answering (early media from a trunk: an
    /// announcement, its own ring-back): shown as ``ringOut(callee:)``, but the local ring-back tone stops (or never
    /// starts) so that the user hears the far end. The phone was told to transmit to the far end already.
    case earlyMedia(callee: Party)
    /// This phone rings for an incoming call from `caller`. With `isCallWaiting` the device is busy with another call:
    /// no ringer, "Call Waiting" (the active call gets ``callWaiting(caller:)``). Sent again with `false` when the
    /// other call ends or is held, so the phone starts ringing normally.
    case ringIn(caller: Party, isCallWaiting: Bool)
    /// Sent on the *active* call when another call arrives for this device: play the call-waiting tone.
    case callWaiting(caller: Party)
    /// In conversation with `remote` (after answer, or after a resume).
    case connected(remote: Party)
    /// This side put the call on hold (hold softkeys, wink lamp).
    case hold
    /// The other side put this call on hold: the user hears silence.
    case remoteHold
    /// The called line is busy: busy tone until the user hangs up (or ``CallControlSettings/failedCallTimeout``).
    case busy
    /// The number matches nothing, or no device has the number it routes to: "Unknown Number" and reorder.
    case invalidNumber
    /// The call cannot proceed for `cause`: reorder (fast busy).
    case reorder(ReorderCause)
    /// The call is gone from this device (either side hung up, or a failed call timed out): the on-hook burst.
    case cleared
    /// This new call consults for a transfer of another call of the device, which is on hold: pressing Transfer on
    /// it (while it rings out, or once answered) completes the transfer. Sent right after ``offHook``.
    case transferConsultation
    /// The call rang here and was answered on another device that shares the line: shown as "In Use Remote" (no
    /// ringer, no media) until it ends, when ``cleared`` follows.
    case inUseRemote
    /// This new call consults for a conference of another call of the device, which is on hold: pressing Confrn on it
    /// once answered joins everyone. Sent right after ``offHook``.
    case conferenceConsultation
    /// The call is a conference of `participants` parties (this one included): the phone shows "Conference" as the
    /// other party. Sent when it becomes one and when the count changes.
    case conference(participants: Int)
}

/// Why a call gets reorder.
public enum ReorderCause: Hashable, Sendable {
    /// The number belongs to a device that is not registered ("Temp Fail").
    case unavailable
    /// The number matched a blocking route pattern.
    case blocked
    /// Off-hook too long without dialling (CUCM's off-hook warning).
    case offHookTimeout
}

/// Who is at the other end of a call, as the user sees it.
public struct Party: Hashable, Sendable {
    /// The line's display name; empty when none is configured (show the number).
    public var name: String
    public var number: DirectoryNumber

    public init(name: String, number: DirectoryNumber) {
        self.name = name
        self.number = number
    }
}

/// A registered device's configuration as its session needs it: lines with their instances, speed dials and softkeys.
public struct DeviceProfile: Hashable, Sendable {
    public var name: DeviceName
    /// In button order; `instance` is 1...n.
    public var lines: [LineAppearance]
    public var speedDials: [SpeedDial]
    /// The softkeys of each call state (the device's template, or the built-in one).
    public var softkeys: SoftkeyTemplate

    public init(
        name: DeviceName,
        lines: [LineAppearance],
        speedDials: [SpeedDial],
        softkeys: SoftkeyTemplate = .standardUser
    ) {
        self.name = name
        self.lines = lines
        self.speedDials = speedDials
        self.softkeys = softkeys
    }
}

/// One line as it appears on a device.
public struct LineAppearance: Hashable, Sendable {
    public var instance: LineInstance
    public var number: DirectoryNumber
    public var displayName: String
    /// The line's call forwards, for the phone's display ("Forwarded to …"; SCCP ForwardStatRes). A change of these
    /// alone needs no reset: the session sends the phone its new forwards.
    public var forwardAll: String?
    public var forwardBusy: String?
    public var forwardNoAnswer: String?

    public init(
        instance: LineInstance,
        number: DirectoryNumber,
        displayName: String,
        forwardAll: String? = nil,
        forwardBusy: String? = nil,
        forwardNoAnswer: String? = nil
    ) {
        self.instance = instance
        self.number = number
        self.displayName = displayName
        self.forwardAll = forwardAll
        self.forwardBusy = forwardBusy
        self.forwardNoAnswer = forwardNoAnswer
    }
}

/// Why a registration was refused. ``description`` is suitable for SCCP's RegisterReject text.
public enum RegistrationRejection: Hashable, Sendable, CustomStringConvertible {
    /// Not in the directory and auto-registration is off.
    case unknownDevice
    /// Not in the directory, and the name is not `SEP` + 12 hex digits, so it cannot auto-register.
    case invalidDeviceName
    /// Every number of the auto-registration range is taken.
    case autoRegistrationRangeExhausted
    /// A device of this name is registered already. The SCCP layer should unregister the old session first if it
    /// wants the new one to take over.
    case alreadyRegistered

    public var description: String {
        switch self {
        case .unknownDevice: "Unknown device: not configured and auto-registration is off"
        case .invalidDeviceName: "Unknown device: name is not SEP followed by 12 hex digits"
        case .autoRegistrationRangeExhausted: "Auto-registration range exhausted"
        case .alreadyRegistered: "Device is already registered"
        }
    }
}

/// Why the core wants a device unregistered.
public enum UnregisterReason: Hashable, Sendable {
    /// The device was removed from the directory.
    case removedFromDirectory
    /// An administrator reset the device (CUCM's Reset): it restarts and registers again.
    case resetByAdministrator
}

/// A call detail record: one per call that got as far as a complete number. Calls abandoned while dialling leave no
/// record.
public struct CallRecord: Hashable, Sendable {
    public var callingDevice: DeviceName
    public var callingNumber: DirectoryNumber
    public var callingReference: CallReference
    /// The number as dialled.
    public var dialedNumber: String
    /// The directory number it routed to (after translation), if it matched one.
    public var calledNumber: DirectoryNumber?
    public var calledDevice: DeviceName?
    public var calledReference: CallReference?
    /// When the caller went off-hook.
    public var setupTime: Timestamp
    /// When the callee answered; nil if it never did.
    public var answerTime: Timestamp?
    public var endTime: Timestamp
    public var endCause: CallEndCause
    public var releasedBy: ReleasingParty
    /// The codec of the conversation; nil if there was none.
    public var codec: Codec?
    /// The call this record belongs to: every record of one call (a transfer, a park and its retrieval…) carries the
    /// same ID, so the records can be read as one story.
    public var callID: CallID?
    /// The number first reached, before any forward, hunt, pickup, transfer or park moved the call on; nil when it
    /// equals ``calledNumber`` or the call reached no number.
    public var originalCalledNumber: DirectoryNumber?
    /// How the call came to this called party, if not by plain dialling (CUCM's "on behalf of").
    public var redirect: CallRedirect?
    /// The trunk the call came in on or went out through, if any. A trunk caller has an empty ``callingDevice``; a
    /// trunk callee an empty ``calledDevice``.
    public var trunk: TrunkName?
    /// The SIP status that ended or refused the call on the trunk, when the far end sent one.
    public var sipStatus: Int?

    public init(
        callingDevice: DeviceName,
        callingNumber: DirectoryNumber,
        callingReference: CallReference,
        dialedNumber: String,
        calledNumber: DirectoryNumber?,
        calledDevice: DeviceName?,
        calledReference: CallReference?,
        setupTime: Timestamp,
        answerTime: Timestamp?,
        endTime: Timestamp,
        endCause: CallEndCause,
        releasedBy: ReleasingParty,
        codec: Codec?,
        callID: CallID? = nil,
        originalCalledNumber: DirectoryNumber? = nil,
        redirect: CallRedirect? = nil,
        trunk: TrunkName? = nil,
        sipStatus: Int? = nil
    ) {
        self.callingDevice = callingDevice
        self.callingNumber = callingNumber
        self.callingReference = callingReference
        self.dialedNumber = dialedNumber
        self.calledNumber = calledNumber
        self.calledDevice = calledDevice
        self.calledReference = calledReference
        self.setupTime = setupTime
        self.answerTime = answerTime
        self.endTime = endTime
        self.endCause = endCause
        self.releasedBy = releasedBy
        self.codec = codec
        self.callID = callID
        self.originalCalledNumber = originalCalledNumber
        self.redirect = redirect
        self.trunk = trunk
        self.sipStatus = sipStatus
    }
}

/// Why and by whom a call was moved to the party a record names (CUCM's "on behalf of" and "last redirecting
/// party").
public struct CallRedirect: Hashable, Sendable {
    public var reason: RedirectReason
    /// The number that moved the call: the forwarding line, the transferring or parking party, the hunt pilot, or
    /// the number whose ringing call was picked up.
    public var by: DirectoryNumber

    public init(_ reason: RedirectReason, by: DirectoryNumber) {
        self.reason = reason
        self.by = by
    }
}

/// How a call was moved on.
public enum RedirectReason: String, Hashable, Sendable, CaseIterable {
    case forwardAll = "forward-all"
    case forwardBusy = "forward-busy"
    case forwardNoAnswer = "forward-no-answer"
    /// A hunt pilot offered it to a member (or to the final destination).
    case hunt
    /// Answered from another phone with PickUp or GPickUp.
    case pickup
    /// Transferred (blind, consulted or direct transfer).
    case transfer
    /// Retrieved from a park slot, or rung back at the parker when nobody retrieved it.
    case park
}

/// Why a call ended, for the call record.
public enum CallEndCause: Hashable, Sendable {
    /// Answered, then one side hung up.
    case normalClearing
    /// The caller hung up before the callee answered.
    case abandoned
    case busy
    case invalidNumber
    case unavailable
    case blocked
    /// A device of the call unregistered or was removed.
    case deviceLost
    /// This party left and the call went on elsewhere: transferred, parked or picked up (the next record of the same
    /// call says where).
    case redirected
}

/// Which side ended a call.
public enum ReleasingParty: Hashable, Sendable {
    case caller
    case callee
    /// The core, on a timeout.
    case system
}

/// One call leg as the core sees it, for tests, metrics and the admin API.
public struct CallSummary: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        case dialing(String)
        case failed
        case ringingOut
        case ringingIn
        case connected
        /// Connected, and this side pressed Hold.
        case held
        /// Answered on another device that shares the line.
        case inUseRemote
    }

    public var reference: CallReference
    public var device: DeviceName
    public var line: LineInstance
    public var state: State
    public var peer: CallReference?
}

/// One live call with all its legs, for status pages and `strowger show calls` (``CallControlCore/liveCalls``).
public struct CallSnapshot: Hashable, Sendable {
    public var id: CallID
    /// The legs, the one that placed the call (or, after a transfer, the party that stayed) first.
    public var legs: [LegSnapshot]
    /// The digits dialled so far, or the complete number as dialled.
    public var dialedNumber: String?
    /// The park slot, while the call is parked.
    public var parkSlot: DirectoryNumber?
    /// The hunt pilot, while a hunt group offers the call.
    public var huntPilot: DirectoryNumber?

    public init(
        id: CallID,
        legs: [LegSnapshot],
        dialedNumber: String? = nil,
        parkSlot: DirectoryNumber? = nil,
        huntPilot: DirectoryNumber? = nil
    ) {
        self.id = id
        self.legs = legs
        self.dialedNumber = dialedNumber
        self.parkSlot = parkSlot
        self.huntPilot = huntPilot
    }
}

/// One leg of a ``CallSnapshot``.
public struct LegSnapshot: Hashable, Sendable {
    public var reference: CallReference
    public var device: DeviceName
    public var line: LineInstance
    /// The directory number of the line the leg is on.
    public var number: DirectoryNumber
    public var state: CallSummary.State
    /// The trunk, for a leg on a trunk (then ``device`` is empty and ``line`` 0, and ``number`` is the far end's).
    public var trunk: TrunkName?

    public init(
        reference: CallReference,
        device: DeviceName,
        line: LineInstance,
        number: DirectoryNumber,
        state: CallSummary.State,
        trunk: TrunkName? = nil
    ) {
        self.reference = reference
        self.device = device
        self.line = line
        self.number = number
        self.state = state
        self.trunk = trunk
    }
}
