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
    /// The configuration changed.
    case directoryChanged(DirectoryChange)
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
}
