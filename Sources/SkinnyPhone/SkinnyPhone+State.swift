public import SkinnyWire

extension SkinnyPhone {
    /// A line button, as the ButtonTemplateRes placed it and LineStatRes and ForwardStatRes described it.
    public struct Line: Hashable, Sendable {
        /// The 1-based line instance (the button's instance number).
        public var instance: UInt32
        /// The directory number, e.g. "1001"; empty until the LineStatRes arrives.
        public var directoryNumber: String
        /// The caller-ID name of the line (lineFullyQualifiedDisplayName).
        public var displayName: String
        /// The button label (lineTextLabel).
        public var label: String
        /// The Call Forward All target, or empty when forwarding is off.
        public var forwardAllNumber: String

        public init(
            instance: UInt32,
            directoryNumber: String = "",
            displayName: String = "",
            label: String = "",
            forwardAllNumber: String = ""
        ) {
            self.instance = instance
            self.directoryNumber = directoryNumber
            self.displayName = displayName
            self.label = label
            self.forwardAllNumber = forwardAllNumber
        }
    }

    /// A speed-dial or BLF speed-dial button.
    public struct SpeedDial: Hashable, Sendable {
        /// The 1-based speed-dial instance.
        public var instance: UInt32
        /// The number it dials; empty until the SpeedDialStatRes arrives.
        public var number: String
        /// The label shown next to the button.
        public var name: String
        /// A BLF speed dial (button type 0x15), which also shows the watched line's state.
        public var isBLF: Bool

        public init(instance: UInt32, number: String = "", name: String = "", isBLF: Bool = false) {
            self.instance = instance
            self.number = number
            self.name = name
            self.isBLF = isBLF
        }
    }

    /// What the phone learned while registering.
    public struct Registration: Hashable, Sendable {
        /// The version of RegisterAck, which the phone now uses for every layout and header.
        public var negotiatedVersion: SkinnyProtocolVersion
        /// RegisterAck's keepAliveInterval, in seconds.
        public var keepAliveInterval: UInt32
        /// RegisterAck's secondaryKeepAliveInterval, in seconds.
        public var secondaryKeepAliveInterval: UInt32
        /// RegisterAck's date template, e.g. "M/D/YY".
        public var dateTemplate: String
        /// Every button of the ButtonTemplateRes, in order.
        public var buttons: [SkinnyMessage.ButtonTemplateRes.Button]
        /// The line buttons, in instance order.
        public var lines: [Line]
        /// The speed-dial buttons, in instance order.
        public var speedDials: [SpeedDial]
        /// The soft keys of the SoftKeyTemplateRes, if it arrived.
        public var softKeys: [SkinnyMessage.SoftKeyTemplateRes.SoftKey]
        /// The TimeDateRes that completed the registration.
        public var timeDate: SkinnyMessage.TimeDateRes
    }

    /// Where a phone's connection stands.
    public enum ConnectionState: Hashable, Sendable {
        /// TCP is up; Register not sent yet.
        case connected
        /// Register sent; the registration sequence is running.
        case registering
        /// The registration sequence completed.
        case registered
        /// The connection is closed (by either side, or by `disconnect()`/`abort()`).
        case closed
    }

    /// A lamp: a button's stimulus and instance (SetLamp).
    public struct Lamp: Hashable, Sendable {
        public var stimulus: SkinnyStimulus
        public var instance: UInt32

        public init(_ stimulus: SkinnyStimulus, instance: UInt32) {
            self.stimulus = stimulus
            self.instance = instance
        }
    }

    /// One call as the phone would display it, keyed by the call reference the call manager chose.
    public struct Call: Hashable, Sendable {
        /// The call reference (CallState, CallInfo, …).
        public var callReference: UInt32
        /// The line instance the call is on.
        public var lineInstance: UInt32
        /// The latest CallState; `.idle` when only CallInfo has arrived so far.
        public var state: SkinnyCallState
        /// Inbound, outbound or forwarded (CallInfo); 0 until CallInfo arrives.
        public var callType: SkinnyCallType
        public var callingParty: String
        public var callingPartyName: String
        public var calledParty: String
        public var calledPartyName: String
        public var originalCalledParty: String
        public var lastRedirectingParty: String
        /// The digits the call manager echoed in DialedNumber.
        public var dialedNumber: String
        /// The tone playing on this call (StartTone until StopTone).
        public var tone: SkinnyTone?
        /// Every tone StartTone played on this call, in order (a DTMF digit the far end sent out of band is one).
        public var tonesPlayed: [SkinnyTone] = []
        /// The keys this phone sent as RFC 4733 telephone-events in its RTP for this call, in order.
        public var telephoneEventsSent: String = ""
        /// The keys that arrived as RFC 4733 telephone-events for this call (one per event, retransmissions and end
        /// packets not counted again), in order.
        public var telephoneEventsReceived: String = ""
        /// The most tones and telephone-events kept per call (the oldest are dropped), so that a long call cannot
        /// grow the test phone's memory.
        public static let recordedEventCapacity = 64
        /// The ringer mode set for this call (SetRinger), `.off` when silent.
        public var ringer: SkinnyRingMode
        /// The soft-key set selected for this call (SelectSoftKeys).
        public var softKeySet: SkinnySoftKeySet?
        /// The prompt shown for this call (DisplayPromptStatus, V2 included), still carrying any embedded labels.
        public var prompt: String?
        /// Whether a receive channel is open for this call (OpenReceiveChannel until CloseReceiveChannel).
        public var isReceiving: Bool
        /// Where this call's RTP goes (StartMediaTransmission until StopMediaTransmission), as "address:port".
        public var transmittingTo: String?
        /// Valid RTP packets received for this call.
        public var rtpPacketsReceived: Int
        /// RTP packets sent for this call.
        public var rtpPacketsSent: Int
        /// Packets received for this call that were not RTP version 2 with the expected payload type.
        public var rtpPacketsInvalid: Int
        /// The message sequence number of the last change, to tell which call is the newest.
        public var lastChange: Int

        public init(callReference: UInt32, lineInstance: UInt32, state: SkinnyCallState = .idle, lastChange: Int = 0) {
            self.callReference = callReference
            self.lineInstance = lineInstance
            self.state = state
            self.callType = SkinnyCallType(rawValue: 0)
            self.callingParty = ""
            self.callingPartyName = ""
            self.calledParty = ""
            self.calledPartyName = ""
            self.originalCalledParty = ""
            self.lastRedirectingParty = ""
            self.dialedNumber = ""
            self.tone = nil
            self.ringer = .off
            self.softKeySet = nil
            self.prompt = nil
            self.isReceiving = false
            self.transmittingTo = nil
            self.rtpPacketsReceived = 0
            self.rtpPacketsSent = 0
            self.rtpPacketsInvalid = 0
            self.lastChange = lastChange
        }

        /// Whether the call is the one the user is dealing with: off hook, dialling, ringing out, connected, or
        /// hearing busy/reorder. Ringing-in, held and other devices' calls are not.
        public var isActive: Bool {
            switch self.state {
            case .offHook, .ringOut, .connected, .busy, .congestion, .proceed, .invalidNumber, .callTransfer,
                .callWaiting:
                true
            default:
                false
            }
        }
    }

    /// Everything the phone displays and counts. A value: `state()` returns a snapshot.
    public struct State: Hashable, Sendable {
        /// Where the connection stands.
        public var connection: ConnectionState = .connected
        /// The negotiated version once RegisterAck arrived.
        public var negotiatedVersion: SkinnyProtocolVersion?
        /// What the registration learned, once it completed.
        public var registration: Registration?
        /// The line buttons, kept up to date by LineStatRes and ForwardStatRes.
        public var lines: [Line] = []
        /// The speed-dial buttons, kept up to date by SpeedDialStatRes.
        public var speedDials: [SpeedDial] = []
        /// Live calls by call reference. A call leaves this when its CallState becomes OnHook.
        public var calls: [UInt32: Call] = [:]
        /// The last few calls that went on hook, newest last (at most `endedCallCapacity`).
        public var endedCalls: [Call] = []
        /// Lamp modes by button (SetLamp).
        public var lamps: [Lamp: SkinnyLampMode] = [:]
        /// Feature statuses by feature index (FeatureStatV2Res, v15+): a BLF speed dial's state, reference §6.8
        /// (0 unknown, 1 idle, 2 in use, 3 DND, 4 alerting). At most `lampCapacity` entries.
        public var featureStatuses: [UInt32: UInt32] = [:]
        /// The device ringer (the latest SetRinger, whatever its call).
        public var ringer: SkinnyRingMode = .off
        /// The speaker (SetSpeakerMode); `nil` until the call manager sets it.
        public var speaker: SkinnyOnOffMode?
        /// The line whose call plane is shown (ActivateCallPlane; 0 after DeactivateCallPlane).
        public var activeCallPlane: UInt32 = 0
        /// A tone playing outside any call (StartTone with call reference 0).
        public var tone: SkinnyTone?
        /// The idle-screen soft-key set (SelectSoftKeys with call reference 0).
        public var softKeySet: SkinnySoftKeySet?
        /// The idle-screen prompt (DisplayPromptStatus with call reference 0).
        public var prompt: String?
        /// The notify line (DisplayNotify until ClearNotify).
        public var notify: String?
        /// The priority notify line (DisplayPriNotify until ClearPriNotify).
        public var priorityNotify: String?
        /// The Reset the call manager sent, if any.
        public var reset: SkinnyResetType?
        /// KeepAlives sent.
        public var keepAlivesSent = 0
        /// KeepAliveAcks received.
        public var keepAliveAcks = 0
        /// Messages received from the call manager, including the ones history no longer holds.
        public var messagesReceived = 0
        /// Messages sent to the call manager.
        public var messagesSent = 0
        /// Valid RTP packets received, all calls.
        public var rtpPacketsReceived = 0
        /// RTP packets sent, all calls.
        public var rtpPacketsSent = 0
        /// Packets received that were not RTP version 2 with the expected payload type, all calls.
        public var rtpPacketsInvalid = 0

        /// How many ended calls `endedCalls` keeps.
        public static let endedCallCapacity = 4
        /// How many live calls the phone tracks; beyond it the call changed longest ago is forgotten, so that a
        /// call manager that never sends OnHook cannot grow a phone without bound. A real phone has a handful of
        /// call planes per line.
        public static let liveCallCapacity = 64
        /// How many lamps the phone tracks (a 7975 with sidecars has under 100 buttons).
        public static let lampCapacity = 256

        public init() {}

        /// The call the user is dealing with: the newest active call (`Call.isActive`).
        public var activeCall: Call? {
            self.calls.values.filter(\.isActive).max { $0.lastChange < $1.lastChange }
        }

        /// The call that has rung longest (CallState RingIn).
        public var ringingCall: Call? {
            self.calls.values.filter { $0.state == .ringIn }.min { $0.lastChange < $1.lastChange }
        }

        /// The newest held call (CallState Hold or HoldRevert).
        public var heldCall: Call? {
            self.calls.values.filter { $0.state == .hold || $0.state == .holdRevert }
                .max { $0.lastChange < $1.lastChange }
        }

        /// The live or recently ended call with this reference.
        public func call(_ callReference: UInt32) -> Call? {
            self.calls[callReference] ?? self.endedCalls.last { $0.callReference == callReference }
        }

        /// The line with this instance.
        public func line(_ instance: UInt32) -> Line? {
            self.lines.first { $0.instance == instance }
        }
    }
}

extension SkinnyPhone.State {
    /// Applies what `message` changes on the display. `sequence` orders the changes.
    mutating func apply(_ message: CallManagerMessage, sequence: Int) {
        switch message {
        case .keepAliveAck:
            self.keepAliveAcks += 1
        case .registerAck(let ack):
            self.negotiatedVersion = SkinnyProtocolVersion(ack.protocolVersion)
        case .reset(let reset):
            self.reset = reset.resetType
        case .callState(let message):
            self.applyCallState(message, sequence: sequence)
        case .callInfo(let info):
            self.updateCall(info.callReference, line: info.lineInstance, creating: true, sequence: sequence) {
                $0.callType = info.callType
                $0.callingParty = info.callingParty
                $0.callingPartyName = info.callingPartyName
                $0.calledParty = info.calledParty
                $0.calledPartyName = info.calledPartyName
                $0.originalCalledParty = info.originalCalledParty
                $0.lastRedirectingParty = info.lastRedirectingParty
            }
        case .callInfoV2(let info):
            self.updateCall(info.callReference, line: info.lineInstance, creating: true, sequence: sequence) {
                $0.callType = info.callType
                $0.callingParty = info.callingParty
                $0.callingPartyName = info.callingPartyName
                $0.calledParty = info.calledParty
                $0.calledPartyName = info.calledPartyName
                $0.originalCalledParty = info.originalCalledParty
                $0.lastRedirectingParty = info.lastRedirectingParty
            }
        case .dialedNumber(let message):
            self.updateCall(message.callReference, sequence: sequence) { $0.dialedNumber = message.number }
        case .startTone(let message):
            let played = self.updateCall(message.callReference, sequence: sequence) {
                $0.tone = message.tone
                $0.tonesPlayed.append(message.tone)
                if $0.tonesPlayed.count > SkinnyPhone.Call.recordedEventCapacity { $0.tonesPlayed.removeFirst() }
            }
            if !played {
                self.tone = message.tone
            }
        case .stopTone(let message):
            if !self.updateCall(message.callReference, sequence: sequence, { $0.tone = nil }) {
                self.tone = nil
            }
        case .setRinger(let message):
            self.ringer = message.ringMode
            self.updateCall(message.callReference, sequence: sequence) { $0.ringer = message.ringMode }
        case .setLamp(let message):
            let lamp = SkinnyPhone.Lamp(message.stimulus, instance: message.stimulusInstance)
            if self.lamps[lamp] != nil || self.lamps.count < Self.lampCapacity {
                self.lamps[lamp] = message.lampMode
            }
        case .featureStatV2Res(let message):
            if self.featureStatuses[message.featureIndex] != nil || self.featureStatuses.count < Self.lampCapacity {
                self.featureStatuses[message.featureIndex] = message.featureStatus
            }
        case .setSpeakerMode(let message):
            self.speaker = message.mode
        case .activateCallPlane(let message):
            self.activeCallPlane = message.lineInstance
        case .deactivateCallPlane:
            self.activeCallPlane = 0
        case .selectSoftKeys(let message):
            if !self.updateCall(message.callReference, sequence: sequence, { $0.softKeySet = message.softKeySet }) {
                self.softKeySet = message.softKeySet
            }
        case .displayPromptStatus(let message):
            self.setPrompt(message.text, callReference: message.callReference, sequence: sequence)
        case .displayPromptStatusV2(let message):
            self.setPrompt(message.text, callReference: message.callReference, sequence: sequence)
        case .clearPromptStatus(let message):
            self.setPrompt(nil, callReference: message.callReference, sequence: sequence)
        case .displayNotify(let message):
            self.notify = message.text
        case .displayNotifyV2(let message):
            self.notify = message.text
        case .clearNotify:
            self.notify = nil
        case .displayPriNotify(let message):
            self.priorityNotify = message.text
        case .displayPriNotifyV2(let message):
            self.priorityNotify = message.text
        case .clearPriNotify:
            self.priorityNotify = nil
        case .lineStatRes(let message):
            self.updateLine(message.lineNumber) {
                $0.directoryNumber = message.directoryNumber
                $0.displayName = message.fullyQualifiedDisplayName
                $0.label = message.textLabel
            }
        case .lineStatV2Res(let message):
            self.updateLine(message.lineNumber) {
                $0.directoryNumber = message.directoryNumber
                $0.displayName = message.fullyQualifiedDisplayName
                $0.label = message.textLabel
            }
        case .forwardStatRes(let message):
            self.updateLine(message.lineNumber) {
                $0.forwardAllNumber = message.forwardAllActive != 0 ? message.forwardAllNumber : ""
            }
        case .speedDialStatRes(let message):
            self.updateSpeedDial(message.speedDialNumber) {
                $0.number = message.directoryNumber
                $0.name = message.displayName
            }
        case .speedDialStatV2Res(let message):
            self.updateSpeedDial(message.speedDialNumber) {
                $0.number = message.directoryNumber
                $0.name = message.displayName
            }
        default:
            break
        }
    }

    /// Sets up the line and speed-dial lists from a complete button template.
    mutating func applyButtons(_ buttons: [SkinnyMessage.ButtonTemplateRes.Button]) {
        for button in buttons {
            let instance = UInt32(button.instanceNumber)
            switch button.buttonType {
            case .line:
                self.updateLine(instance) { _ in }
            case .speedDial, .blfSpeedDial:
                self.updateSpeedDial(instance) { $0.isBLF = button.buttonType == .blfSpeedDial }
            default:
                break
            }
        }
    }

    private mutating func applyCallState(_ message: SkinnyMessage.CallState, sequence: Int) {
        let reference = message.callReference
        guard reference != 0 else { return }
        guard message.callState != .onHook else {
            if var call = self.calls.removeValue(forKey: reference) {
                call.state = .onHook
                call.lineInstance = message.lineInstance
                call.lastChange = sequence
                call.isReceiving = false
                call.transmittingTo = nil
                self.endedCalls.removeAll { $0.callReference == reference }
                self.endedCalls.append(call)
                if self.endedCalls.count > Self.endedCallCapacity {
                    self.endedCalls.removeFirst(self.endedCalls.count - Self.endedCallCapacity)
                }
            }
            return
        }
        // A call reference that went on hook and comes back is a new call on the phone's screen.
        self.endedCalls.removeAll { $0.callReference == reference }
        var call =
            self.calls[reference] ?? SkinnyPhone.Call(callReference: reference, lineInstance: message.lineInstance)
        call.state = message.callState
        call.lineInstance = message.lineInstance
        call.lastChange = sequence
        self.insert(call)
    }

    /// Changes the live call `callReference` (or, with `creating`, a call that only CallInfo announced so far);
    /// returns false when there is no such call. Ended calls still take updates, so that late CallInfo lands.
    @discardableResult
    mutating func updateCall(
        _ callReference: UInt32,
        line: UInt32? = nil,
        creating: Bool = false,
        sequence: Int,
        _ change: (inout SkinnyPhone.Call) -> Void
    ) -> Bool {
        guard callReference != 0 else { return false }
        if var call = self.calls[callReference] {
            change(&call)
            call.lastChange = sequence
            self.calls[callReference] = call
            return true
        }
        if let index = self.endedCalls.lastIndex(where: { $0.callReference == callReference }) {
            change(&self.endedCalls[index])
            return true
        }
        guard creating else { return false }
        var call = SkinnyPhone.Call(callReference: callReference, lineInstance: line ?? 0, lastChange: sequence)
        change(&call)
        self.insert(call)
        return true
    }

    /// Adds or replaces a live call, forgetting the stalest one when the phone tracks `liveCallCapacity` already.
    private mutating func insert(_ call: SkinnyPhone.Call) {
        if self.calls[call.callReference] == nil, self.calls.count >= Self.liveCallCapacity,
            let stalest = self.calls.values.min(by: { $0.lastChange < $1.lastChange })
        {
            self.calls.removeValue(forKey: stalest.callReference)
        }
        self.calls[call.callReference] = call
    }

    private mutating func setPrompt(_ text: String?, callReference: UInt32, sequence: Int) {
        if !self.updateCall(callReference, sequence: sequence, { $0.prompt = text }) {
            self.prompt = text
        }
    }

    private mutating func updateLine(_ instance: UInt32, _ change: (inout SkinnyPhone.Line) -> Void) {
        if let index = self.lines.firstIndex(where: { $0.instance == instance }) {
            change(&self.lines[index])
        } else {
            var line = SkinnyPhone.Line(instance: instance)
            change(&line)
            self.lines.append(line)
            self.lines.sort { $0.instance < $1.instance }
        }
    }

    private mutating func updateSpeedDial(_ instance: UInt32, _ change: (inout SkinnyPhone.SpeedDial) -> Void) {
        if let index = self.speedDials.firstIndex(where: { $0.instance == instance }) {
            change(&self.speedDials[index])
        } else {
            var speedDial = SkinnyPhone.SpeedDial(instance: instance)
            change(&speedDial)
            self.speedDials.append(speedDial)
            self.speedDials.sort { $0.instance < $1.instance }
        }
    }
}
