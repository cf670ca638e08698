/// Something that happened, told to ``CallControlCore/handle(_:at:)``: a device's action, a timer expiry, or a
/// configuration change. Protocol-neutral: the SCCP layer translates messages into these.
///
/// Where a device may or may not say which line or call it means (SCCP phones differ), the fields are optional and
/// the core picks the sensible one: the active call, else a ringing one, else the first line with room.
public enum CallEvent: Hashable, Sendable {
    /// A device asks to register. Answered with ``CallCommand/registrationAccepted(_:_:)`` or
    /// ``CallCommand/registrationRejected(_:_:)``.
    case deviceRegistered(DeviceName, DeviceCapabilities)
    /// The device reported (new) capabilities, e.g. SCCP `CapabilitiesRes` after registration.
    case capabilitiesChanged(DeviceName, DeviceCapabilities)
    /// The device is gone: connection closed, keepalive lost or unregistered, in any state. Every call of the device
    /// is cleared, the other parties return to idle, and nothing is sent to the device any more.
    case deviceUnregistered(DeviceName)
    /// Handset lifted or speaker pressed. Answers a ringing call if there is one (`call`, else any), otherwise goes
    /// off-hook for a new call on `line` (else the first line with room). Ignored while a call is already active.
    case offHook(DeviceName, line: LineInstance?, call: CallReference?)
    /// Handset replaced: clears the active call (dialling, ringing out, connected, or failed). Held and ringing
    /// calls stay.
    case onHook(DeviceName, line: LineInstance?, call: CallReference?)
    /// One key while dialling (`0`–`9`, `*`, `A`–`D`, `+`; `#` ends dialling). With no active call, goes off-hook
    /// first (on-hook dialling). Ignored during a conversation (DTMF travels in the media).
    case digit(DeviceName, line: LineInstance?, call: CallReference?, Character)
    /// A whole number at once (SCCP `EnblocCall`, directory dial): routed as complete, going off-hook if needed.
    case enbloc(DeviceName, line: LineInstance?, number: String)
    /// A line button: answers a call ringing on that line, else starts a new call on it (holding a connected call).
    case lineButton(DeviceName, line: LineInstance)
    /// A speed-dial button, by the device's speed-dial index: dials its number like ``enbloc(_:line:number:)``.
    case speedDial(DeviceName, index: UInt32)
    /// A softkey, with the line and call it was pressed on when the device says.
    case softKey(DeviceName, SoftKey, line: LineInstance?, call: CallReference?)
    /// The device acknowledged an open-receive-channel request: it listens for RTP of stream `passThroughPartyID`
    /// at `endpoint`. `call` is optional because some phones omit it.
    case receiveChannelOpened(
        DeviceName,
        call: CallReference?,
        passThroughPartyID: PassThroughPartyID,
        endpoint: MediaEndpoint
    )
    /// A timer the core started has expired. Stale IDs (cancelled or already fired) are ignored.
    case timerFired(TimerID)
    /// A trunk's session speaks for it from now on (the SIP service configured it); `isUp` as its keepalive says.
    case trunkAttached(TrunkName, isUp: Bool)
    /// The trunk is gone (removed from the configuration, or the service stopped): its calls end.
    case trunkDetached(TrunkName)
    /// The trunk's keepalive (SIP OPTIONS) found it up or down. Calls are not routed to a trunk that is down.
    case trunkStatusChanged(TrunkName, isUp: Bool)
    /// A call arrived on the trunk (SIP INVITE) for `called` (the number after the trunk's inbound translation) from
    /// `caller`. `token` names the call until the core answers with ``TrunkCommand/bound(token:)``, which gives its
    /// leg's call reference. `codecs` are those the far end offered; `defaultNumber` is where the call goes when
    /// `called` reaches nothing.
    case trunkCallArrived(
        TrunkName,
        token: UInt64,
        caller: Party,
        called: String,
        codecs: [Codec],
        defaultNumber: String?
    )
    /// The far end of a trunk call the core placed is ringing (SIP 180/183): the caller hears ring-back.
    case trunkCallAlerting(TrunkName, call: CallReference)
    /// The far end of a trunk call the core placed answered (SIP 200 OK).
    case trunkCallAnswered(TrunkName, call: CallReference)
    /// The far end's media address and codecs for the leg (from its SDP), answering ``TrunkCommand/openMedia(_:)``,
    /// answering an early offer (``TrunkCommand/place(caller:called:offer:)``: in a 180/183, which starts early media,
    /// or in the 200), or announced by the far end (a re-INVITE with a new address).
    case trunkMediaAddress(TrunkName, call: CallReference, MediaEndpoint, codecs: [Codec])
    /// The far end ended the call, or refused or failed it before an answer (SIP BYE, CANCEL, a final failure);
    /// `sipStatus` is the final response's status when there was one, for the call record.
    case trunkCallEnded(TrunkName, call: CallReference, TrunkEndCause, sipStatus: Int?)
    /// The far end put the call on hold or resumed it (SIP re-INVITE with a=sendonly/inactive, then sendrecv).
    case trunkHoldChanged(TrunkName, call: CallReference, isHeld: Bool)
    /// The media server (conference bridges, music on hold) is there, for conferences of at most
    /// `maximumParticipants`. Without it, held parties hear silence and Confrn and meet-me say "No Conference Bridge".
    case mediaServerAttached(maximumParticipants: Int)
    /// The media server is gone: its conferences fall back or end, its music stops.
    case mediaServerDetached
    /// The media server's end of `call`'s new stream (a conference participant's, or music on hold): where the leg's
    /// endpoint must send its RTP, answering ``MediaResourceCommand/addParticipant(_:conference:codec:)`` or
    /// ``MediaResourceCommand/startMusicOnHold(_:source:codec:remote:)``.
    case mediaResourceReady(CallReference, endpoint: MediaEndpoint)
    /// The media server could not give `call` the resource it was asked for.
    case mediaResourceFailed(CallReference, MediaResourceFailure)
    /// The configuration changed.
    case directoryChanged(DirectoryChange)
}

/// Why the media server refused a resource.
public enum MediaResourceFailure: Hashable, Sendable {
    /// No port or stream left (the media port range is exhausted).
    case noResources
    /// The conference has its maximum of participants.
    case conferenceFull
    /// The music source is not in the library.
    case unknownSource
}

/// Why the far end of a trunk call ended or refused it.
public enum TrunkEndCause: Hashable, Sendable {
    /// A normal end (BYE) or a cancelled call (CANCEL).
    case normal
    /// Busy (SIP 486, 600).
    case busy
    /// No such number (SIP 404, 484, 604).
    case invalidNumber
    /// Temporarily not reachable or not answered (SIP 408, 480, 487, 503, no response).
    case unavailable
    /// Refused (SIP 403, 603) or any other failure.
    case rejected
}

/// The softkeys the core acts on. Others (Conference, Join, Forward All …) are for later features; the SCCP layer
/// should not report them yet.
public enum SoftKey: Hashable, Sendable {
    /// Go off-hook for a new call, holding a connected call first.
    case newCall
    /// Dial the device's last dialled number.
    case redial
    /// Clear the call (`call`, else the active one), including a held call.
    case endCall
    /// Answer the ringing call (`call`, else the oldest ringing one).
    case answer
    /// Hold the connected call.
    case hold
    /// Resume the held call (`call`, else the first held one), holding whatever call is active.
    case resume
    /// Remove the last dialled digit.
    case backSpace
    /// Transfer: on a connected call, hold it and go off-hook for the consultation; on the consultation (ringing
    /// out or answered), complete the transfer.
    case transfer
    /// Direct transfer: join the call (`call`, else the active one) with the device's other call on the same line,
    /// and drop out.
    case directTransfer
    /// Park the connected call in a free park slot.
    case park
    /// Answer a call ringing on another line of the device's own pickup group.
    case pickUp
    /// Go off-hook to dial a pickup group's number, then answer a call ringing in that group.
    case groupPickUp
    /// Turn do-not-disturb on or off.
    case doNotDisturb
    /// Conference: on a connected call, hold it and go off-hook to add a party; on that consultation once answered,
    /// join everyone in a conference.
    case conference
    /// Join the call (`call`, else the active one) with the device's other call on the same line into a conference.
    case join
    /// Remove the party added last to the device's conference.
    case removeLastParticipant
    /// Show who is in the device's conference.
    case conferenceList
}
