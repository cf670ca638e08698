import CallControl
import SkinnyWire

/// Embedded label ids of the phones' DisplayLabels_200 table (reference §6.9), sent as `80 xx` so that each phone
/// shows the text in its own language.
enum DisplayLabel {
    static let hold: UInt8 = 3
    static let yourCurrentOptions: UInt8 = 19
    static let ringOut: UInt8 = 22
    static let from: UInt8 = 23
    static let connected: UInt8 = 24
    static let busy: UInt8 = 25
    static let callWaiting: UInt8 = 27
    static let callProceed: UInt8 = 30
    static let enterNumber: UInt8 = 32
    static let tempFail: UInt8 = 35
    static let inUseRemote: UInt8 = 31
    static let unknownNumber: UInt8 = 56
}

/// The core's indications rendered as SCCP bursts at the phone's version (call-flows §2–§7; docs/sccp-session.md).
extension RegisteredState {
    /// Renders `indication` for `call` on `line` and updates what the session knows about the call.
    mutating func indicate(
        _ indication: Indication,
        line: LineInstance,
        call reference: CallReference
    )
        -> [CallManagerMessage]
    {
        if case .cleared = indication {
            return self.cleared(line: line, call: reference)
        }
        let index: Int
        let isNew: Bool
        if let known = self.callIndex(reference) {
            index = known
            isNew = false
        } else {
            isNew = true
            let isOutbound: Bool
            switch indication {
            case .ringIn, .inUseRemote: isOutbound = false
            default: isOutbound = true
            }
            self.calls.append(
                TrackedCall(
                    reference: reference,
                    line: line,
                    callInstance: self.freeCallInstance(on: line),
                    isOutbound: isOutbound,
                    phase: isOutbound ? .offHook : .ringingIn(waiting: false)
                )
            )
            index = self.calls.count - 1
        }
        let previous = self.calls[index].phase
        let l = line.rawValue
        let c = reference.rawValue

        switch indication {
        case .offHook:
            self.calls[index].phase = .offHook
            // CUCM 4.1's exact burst (call-flows §2).
            return [
                .setRinger(SkinnyMessage.SetRinger(.off)),
                .setSpeakerMode(SkinnyMessage.SetSpeakerMode(.on)),
                .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .on)),
                self.callState(.offHook, l, c),
                self.callSoftKeys(.offHook, self.calls[index]),
                self.prompt(SkinnyText.label(DisplayLabel.enterNumber), l, c),
                .activateCallPlane(SkinnyMessage.ActivateCallPlane(lineInstance: l)),
                .startTone(SkinnyMessage.StartTone(.insideDialTone, lineInstance: l, callReference: c)),
            ]

        case .digitsCollected:
            self.calls[index].phase = .dialing
            // The first key stops dial tone and brings up the digits-following keys; later keys need nothing.
            guard previous == .offHook else { return [] }
            return [
                .stopTone(SkinnyMessage.StopTone(lineInstance: l, callReference: c)),
                self.softKeys(.digitsFollowing, l, c),
            ]

        case .digitRemoved(let remaining):
            var messages: [CallManagerMessage] = [
                .backSpaceRes(SkinnyMessage.BackSpaceRes(lineInstance: l, callReference: c))
            ]
            if remaining.isEmpty {
                self.calls[index].phase = .offHook
                messages.append(self.callSoftKeys(.offHook, self.calls[index]))
            }
            return messages

        case .proceeding(let dialed):
            self.calls[index].phase = .proceeding
            self.calls[index].dialed = dialed
            return [
                .stopTone(SkinnyMessage.StopTone(lineInstance: l, callReference: c)),
                self.callInfo(self.calls[index]),
                .dialedNumber(SkinnyMessage.DialedNumber(dialed, lineInstance: l, callReference: c)),
                self.callState(.proceed, l, c),
                self.prompt(SkinnyText.label(DisplayLabel.callProceed), l, c),
            ]

        case .ringOut(let callee):
            self.calls[index].phase = .ringingOut
            self.calls[index].remote = callee
            // After a blind transfer the transferred party is the caller of the call it now rings out on.
            self.calls[index].isOutbound = true
            return [
                self.callState(.ringOut, l, c),
                self.callInfo(self.calls[index]),
                .startTone(SkinnyMessage.StartTone(.alerting, lineInstance: l, callReference: c)),
                self.callSoftKeys(.ringOut, self.calls[index]),
                self.prompt(SkinnyText.label(DisplayLabel.ringOut), l, c),
            ]

        case .earlyMedia(let callee):
            // Ringing out with the far end's audio (a trunk's early media, which the phone was told to receive and
            // play): the ring-out screen without the local ring-back, which stops if it was playing.
            self.calls[index].phase = .ringingOut
            self.calls[index].remote = callee
            self.calls[index].isOutbound = true
            let stopTone = CallManagerMessage.stopTone(SkinnyMessage.StopTone(lineInstance: l, callReference: c))
            guard previous != .ringingOut else { return [stopTone] }
            return [
                self.callState(.ringOut, l, c),
                self.callInfo(self.calls[index]),
                stopTone,
                self.callSoftKeys(.ringOut, self.calls[index]),
                self.prompt(SkinnyText.label(DisplayLabel.ringOut), l, c),
            ]

        case .ringIn(let caller, let isCallWaiting):
            self.calls[index].phase = .ringingIn(waiting: isCallWaiting)
            self.calls[index].remote = caller
            let from = SkinnyText.label(DisplayLabel.from) + " " + caller.number.rawValue
            if !isNew, previous == .ringingIn(waiting: isCallWaiting) {
                // The same ringing call with a new caller (a blind transfer handed it on): new caller ID only.
                return [
                    self.callInfo(self.calls[index]),
                    self.prompt(isCallWaiting ? SkinnyText.label(DisplayLabel.callWaiting) : from, l, c),
                ]
            }
            // CUCM 4.1's burst to a ringing 7912 (call-flows §3), CallInfo after the state as chan-sccp sends it. A
            // waiting call gets "Call Waiting" and no ringer; the active call gets the tone (`callWaiting`).
            var messages: [CallManagerMessage] = [
                self.callState(.ringIn, l, c),
                self.callInfo(self.calls[index]),
                self.softKeys(.ringIn, l, c),
                self.prompt(isCallWaiting ? SkinnyText.label(DisplayLabel.callWaiting) : from, l, c),
                self.priorityNotify(from, timeout: 10, priority: 5),
                .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .blink)),
            ]
            // Do-not-disturb in ringer-off mode: the call is shown but the phone stays silent (call-flows §13).
            if !isCallWaiting && !self.doNotDisturb {
                messages.append(
                    .setRinger(SkinnyMessage.SetRinger(.inside, duration: .normal, lineInstance: l, callReference: c))
                )
            }
            return messages

        case .callWaiting:
            // On the active call: the call-waiting tone (call-flows §3).
            return [.startTone(SkinnyMessage.StartTone(.callWaiting, lineInstance: l, callReference: c))]

        case .connected(let remote):
            self.calls[index].phase = .connected
            self.calls[index].remote = remote
            var messages: [CallManagerMessage]
            switch previous {
            case .ringingIn:
                // The answer: CUCM 4.1's burst to the callee (call-flows §4), media following separately.
                messages = [
                    .setRinger(SkinnyMessage.SetRinger(.off)),
                    .setSpeakerMode(SkinnyMessage.SetSpeakerMode(.on)),
                    .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .on)),
                    self.callState(.offHook, l, c),
                    .activateCallPlane(SkinnyMessage.ActivateCallPlane(lineInstance: l)),
                    .stopTone(SkinnyMessage.StopTone(lineInstance: l, callReference: c)),
                    self.callState(.connected, l, c),
                ]
            case .held:
                // Resume (call-flows §7).
                messages = [
                    .setSpeakerMode(SkinnyMessage.SetSpeakerMode(.on)),
                    .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .on)),
                    self.callState(.connected, l, c),
                    .activateCallPlane(SkinnyMessage.ActivateCallPlane(lineInstance: l)),
                ]
            case .offHook, .dialing, .proceeding, .ringingOut, .connected, .remoteHeld, .failed, .remoteInUse:
                // The caller's side of an answer, the other side resumed, or a transfer brought a new party.
                messages = [
                    .stopTone(SkinnyMessage.StopTone(lineInstance: l, callReference: c)),
                    self.callState(.connected, l, c),
                ]
            }
            messages += [
                self.callInfo(self.calls[index]),
                self.callSoftKeys(.connected, self.calls[index]),
                self.prompt(SkinnyText.label(DisplayLabel.connected), l, c),
            ]
            return messages

        case .hold:
            self.calls[index].phase = .held
            // call-flows §7; media is closed by the core's own closeMedia commands.
            var messages: [CallManagerMessage] = [
                .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .wink)),
                self.callState(.hold, l, c),
                self.prompt(SkinnyText.label(DisplayLabel.hold), l, c),
                self.callInfo(self.calls[index]),
            ]
            if !self.hasOtherActiveCall(than: reference) {
                messages.append(.setSpeakerMode(SkinnyMessage.SetSpeakerMode(.off)))
            }
            messages.append(self.callSoftKeys(.onHold, self.calls[index]))
            return messages

        case .remoteHold:
            self.calls[index].phase = .remoteHeld
            guard previous == .held else {
                // The other side held this call: nothing changes on screen (CUCM shows nothing either; the user
                // hears silence where CUCM would play music on hold).
                return []
            }
            // This phone resumed while the other side still holds: back to a connected screen, without media.
            return [
                .setSpeakerMode(SkinnyMessage.SetSpeakerMode(.on)),
                .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .on)),
                self.callState(.connected, l, c),
                .activateCallPlane(SkinnyMessage.ActivateCallPlane(lineInstance: l)),
                self.callSoftKeys(.connected, self.calls[index]),
            ]

        case .busy:
            self.calls[index].phase = .failed
            return [
                .startTone(SkinnyMessage.StartTone(.lineBusy, lineInstance: l, callReference: c)),
                self.prompt(SkinnyText.label(DisplayLabel.busy), l, c),
                self.callState(.busy, l, c),
            ]

        case .invalidNumber:
            self.calls[index].phase = .failed
            return [
                .startTone(SkinnyMessage.StartTone(.reorder, lineInstance: l, callReference: c)),
                self.prompt(SkinnyText.label(DisplayLabel.unknownNumber), l, c),
                self.callState(.invalidNumber, l, c),
            ]

        case .reorder(let cause):
            self.calls[index].phase = .failed
            var messages: [CallManagerMessage] = [
                .startTone(SkinnyMessage.StartTone(.reorder, lineInstance: l, callReference: c))
            ]
            switch cause {
            case .unavailable, .blocked:
                messages.append(self.prompt(SkinnyText.label(DisplayLabel.tempFail), l, c))
            case .offHookTimeout:
                // CUCM's off-hook warning is the tone alone.
                break
            }
            messages.append(self.callState(.congestion, l, c))
            return messages

        case .cleared:
            preconditionFailure("cleared is handled before the call is looked up")
        case .transferConsultation:
            // The new call consults for a transfer: Transfer on it completes the transfer (call-flows §8).
            self.calls[index].isConsultation = true
            return [self.callSoftKeys(.offHook, self.calls[index])]

        case .conferenceConsultation:
            // The new call consults for a conference: Confrn on it once answered joins everyone (call-flows §9).
            self.calls[index].isConferenceConsultation = true
            return [self.callSoftKeys(.offHook, self.calls[index])]

        case .conference:
            // A conference call: the other party is "Conference" (label 52), with the conference softkeys.
            self.calls[index].isConference = true
            return self.indicate(
                .connected(remote: Party(name: SkinnyText.label(NoticeLabel.conference), number: "")),
                line: line,
                call: reference
            )

        case .inUseRemote:
            self.calls[index].phase = .remoteInUse
            // Answered on another phone of the shared line (reference §6.4: CallState 13; label 31).
            var messages: [CallManagerMessage] = []
            if !self.calls.contains(where: { $0.phase == .ringingIn(waiting: false) }) {
                messages.append(.setRinger(SkinnyMessage.SetRinger(.off)))
            }
            messages += [
                .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: .on)),
                self.callState(.remoteMultiline, l, c),
                self.callInfo(self.calls[index]),
                self.softKeys(.inUseHint, l, c),
                self.prompt(SkinnyText.label(DisplayLabel.inUseRemote), l, c),
            ]
            return messages
        }
    }

    /// The on-hook burst (call-flows §5). Speaker off only if this was the call in use; the ringer is left alone if
    /// another call still rings; the line lamp follows a call that remains on the line; the idle prompt only when no
    /// call remains.
    private mutating func cleared(line: LineInstance, call reference: CallReference) -> [CallManagerMessage] {
        let l = line.rawValue
        let c = reference.rawValue
        let wasActive = self.callIndex(reference).map { self.calls[$0].phase.isActive } ?? true
        self.calls.removeAll { $0.reference == reference }

        let lampMode = self.calls.first { $0.line == line }.map { Self.lampMode(for: $0.phase) } ?? .off
        let resetNow = self.resetPending && self.calls.isEmpty
        var messages: [CallManagerMessage] = [
            .stopTone(SkinnyMessage.StopTone(lineInstance: l, callReference: c)),
            .setLamp(SkinnyMessage.SetLamp(.line, instance: l, mode: lampMode)),
            .clearPromptStatus(SkinnyMessage.ClearPromptStatus(lineInstance: l, callReference: c)),
            self.callState(.onHook, l, c),
            self.idleSoftKeys(),
        ]
        if wasActive && !self.hasOtherActiveCall(than: reference) {
            messages.append(.setSpeakerMode(SkinnyMessage.SetSpeakerMode(.off)))
        }
        if !self.calls.contains(where: { $0.phase == .ringingIn(waiting: false) }) {
            messages.append(
                .setRinger(SkinnyMessage.SetRinger(.off, duration: .normal, lineInstance: l, callReference: c))
            )
        }
        if self.calls.isEmpty {
            messages.append(self.prompt(SkinnyText.label(DisplayLabel.yourCurrentOptions), 0, 0))
        }
        if resetNow {
            // The configuration changed during the call: the phone restarts now that it is idle.
            self.resetPending = false
            messages.append(.reset(SkinnyMessage.Reset(.restart)))
        }
        return messages
    }

    // MARK: - Building blocks

    /// The idle screen after registration (call-flows §1): on-hook softkeys and "Your current options".
    func idleScreen() -> [CallManagerMessage] {
        [self.idleSoftKeys(), self.prompt(SkinnyText.label(DisplayLabel.yourCurrentOptions), 0, 0)]
    }

    /// SelectSoftKeys(0, 0, On Hook): the device-wide idle set.
    func idleSoftKeys() -> CallManagerMessage {
        self.softKeys(.onHook, 0, 0)
    }

    func softKeys(_ set: SkinnySoftKeySet, _ line: UInt32, _ call: UInt32) -> CallManagerMessage {
        .selectSoftKeys(SkinnyMessage.SelectSoftKeys(lineInstance: line, callReference: call, softKeySet: set))
    }

    /// The softkeys of `call` in the set for its phase: a transfer's consultation uses Off Hook with Features and
    /// Connected Transferable, and the keys that would do nothing are masked (``StrowgerSoftKeys/mask``).
    func callSoftKeys(_ set: SkinnySoftKeySet, _ call: TrackedCall) -> CallManagerMessage {
        var chosen = set
        if call.isConsultation {
            if set == .offHook { chosen = .offHookWithFeatures }
            if set == .connected { chosen = .connectedTransferable }
        }
        if call.isConferenceConsultation {
            if set == .offHook { chosen = .offHookWithFeatures }
            if set == .connected { chosen = .connectedConference }
        }
        if call.isConference, set == .connected { chosen = .connectedConference }
        let canJoin = self.calls.contains { other in
            other.reference != call.reference && other.line == call.line
                && (other.phase == .connected || other.phase == .held || other.phase == .remoteHeld)
        }
        return .selectSoftKeys(
            SkinnyMessage.SelectSoftKeys(
                lineInstance: call.line.rawValue,
                callReference: call.reference.rawValue,
                softKeySet: chosen,
                validKeyMask: StrowgerSoftKeys.mask(
                    chosen,
                    template: self.profile.softkeys,
                    consultation: call.isConsultation,
                    canJoin: canJoin,
                    isConference: call.isConference
                )
            )
        )
    }

    func callState(_ state: SkinnyCallState, _ line: UInt32, _ call: UInt32) -> CallManagerMessage {
        .callState(SkinnyMessage.CallState(state, lineInstance: line, callReference: call))
    }

    /// A prompt on the call plane: DisplayPromptStatus (32 bytes) below v8, the dynamic V2 from v8 (reference §2.3).
    func prompt(_ text: String, _ line: UInt32, _ call: UInt32) -> CallManagerMessage {
        if self.version.usesDynamicDisplay {
            return .displayPromptStatusV2(
                SkinnyMessage.DisplayPromptStatusV2(text, lineInstance: line, callReference: call)
            )
        }
        return .displayPromptStatus(SkinnyMessage.DisplayPromptStatus(text, lineInstance: line, callReference: call))
    }

    /// A priority notification: DisplayPriNotify below v8, DisplayPriNotifyV2 from v8.
    func priorityNotify(_ text: String, timeout: UInt32, priority: UInt32) -> CallManagerMessage {
        if self.version.usesDynamicDisplay {
            return .displayPriNotifyV2(SkinnyMessage.DisplayPriNotifyV2(text, timeout: timeout, priority: priority))
        }
        return .displayPriNotify(SkinnyMessage.DisplayPriNotify(text, timeout: timeout, priority: priority))
    }

    /// The parties of `call`: static CallInfo below v17, CallInfoV2 from v17. Wireshark and chan-sccp disagree on
    /// CallInfoV2's string list below v17 and agree from v17, so static CallInfo is the safe choice below it
    /// (reference §5.2, §7 #2); v16 phones get static CallInfo too.
    func callInfo(_ call: TrackedCall) -> CallManagerMessage {
        let own = self.ownParty(on: call.line)
        let remoteNumber = call.remote?.number.rawValue ?? call.dialed
        let remoteName = call.remote?.name ?? ""
        let calling = call.isOutbound ? (own.number.rawValue, own.name) : (remoteNumber, remoteName)
        let called = call.isOutbound ? (remoteNumber, remoteName) : (own.number.rawValue, own.name)
        let type: SkinnyCallType = call.isOutbound ? .outbound : .inbound
        let line = call.line.rawValue
        let reference = call.reference.rawValue
        if self.version.usesAddressBlocks {
            return .callInfoV2(
                SkinnyMessage.CallInfoV2(
                    lineInstance: line,
                    callReference: reference,
                    callType: type,
                    callingParty: calling.0,
                    callingPartyName: calling.1,
                    calledParty: called.0,
                    calledPartyName: called.1,
                    callInstance: call.callInstance
                )
            )
        }
        return .callInfo(
            SkinnyMessage.CallInfo(
                lineInstance: line,
                callReference: reference,
                callType: type,
                callingParty: calling.0,
                callingPartyName: calling.1,
                calledParty: called.0,
                calledPartyName: called.1,
                callInstance: call.callInstance
            )
        )
    }

    /// The line lamp for a call in `phase` (reference §6.3; CUCM: on while off-hook, blink while ringing; wink for
    /// held).
    static func lampMode(for phase: TrackedCall.Phase) -> SkinnyLampMode {
        switch phase {
        case .ringingIn: .blink
        case .held: .wink
        case .offHook, .dialing, .proceeding, .ringingOut, .connected, .remoteHeld, .failed, .remoteInUse: .on
        }
    }

    func hasOtherActiveCall(than reference: CallReference) -> Bool {
        self.calls.contains { $0.reference != reference && $0.phase.isActive }
    }

    /// The lowest call instance not used by another call on `line`.
    func freeCallInstance(on line: LineInstance) -> UInt32 {
        let used = Set(self.calls.lazy.filter { $0.line == line }.map(\.callInstance))
        var instance: UInt32 = 1
        while used.contains(instance) { instance += 1 }
        return instance
    }
}
