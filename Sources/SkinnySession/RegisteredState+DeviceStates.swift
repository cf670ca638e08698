import CallControl
import SkinnyWire

/// Device-wide states and messages that belong to no call: do-not-disturb, the message lamp, and notices such as
/// "Call Park At 7000" (call-flows §11–§13, §15).
extension RegisteredState {
    /// Labels of the phones' tables used here (reference §6.9).
    enum NoticeLabel {
        static let callParkAt: UInt8 = 33
        static let noParkNumberAvailable: UInt8 = 71
        static let canNotCompleteTransfer: UInt8 = 82
        static let noCallAvailableForPickup: UInt8 = 95
        static let noConferenceBridge: UInt8 = 39
        static let exceedMaximumParties: UInt8 = 44
        static let conference: UInt8 = 52
        /// DisplayLabels_36: "Do Not Disturb Is Active".
        static let doNotDisturbIsActive: UInt8 = 57
    }

    /// How long a notice stays on the status line, in seconds (CUCM shows "Call Park At" for about 10 s).
    static let noticeTimeout: UInt32 = 10
    /// The priority of the do-not-disturb notice: it stays until cleared, below a call's own notices (priority 5).
    static let doNotDisturbPriority: UInt32 = 2

    /// Do-not-disturb turned on or off: the phone shows "Do Not Disturb Is Active" while it is on (call-flows §13);
    /// calls then ring silently (``ringer(for:)``).
    mutating func doNotDisturbChanged(_ isOn: Bool) -> [CallManagerMessage] {
        self.doNotDisturb = isOn
        guard self.buttonTemplateSent else { return [] }
        return self.doNotDisturbDisplay()
    }

    func doNotDisturbDisplay() -> [CallManagerMessage] {
        guard self.doNotDisturb else {
            return [.clearPriNotify(SkinnyMessage.ClearPriNotify(priority: Self.doNotDisturbPriority))]
        }
        return [
            self.priorityNotify(
                SkinnyText.secondaryLabel(NoticeLabel.doNotDisturbIsActive),
                timeout: 0,
                priority: Self.doNotDisturbPriority
            )
        ]
    }

    /// Message waiting on `line` changed: the line's message lamp, and the phone's own message lamp (instance 0),
    /// which is on while any line has a message (call-flows §15).
    mutating func messageWaitingChanged(line: UInt32, isOn: Bool) -> [CallManagerMessage] {
        if isOn {
            self.messageWaitingLines.insert(line)
        } else {
            self.messageWaitingLines.remove(line)
        }
        guard self.buttonTemplateSent else { return [] }
        return [
            .setLamp(SkinnyMessage.SetLamp(.voiceMail, instance: line, mode: isOn ? .on : .off)),
            .setLamp(
                SkinnyMessage.SetLamp(.voiceMail, instance: 0, mode: self.messageWaitingLines.isEmpty ? .off : .on)
            ),
        ]
    }

    /// What the phone must be shown once it has its buttons: do-not-disturb and the message lamps (they may have been
    /// reported before the phone asked for its button template).
    func deviceStatesAfterTemplate() -> [SessionAction] {
        var messages: [CallManagerMessage] = []
        if self.doNotDisturb { messages += self.doNotDisturbDisplay() }
        for line in self.messageWaitingLines.sorted() {
            messages.append(.setLamp(SkinnyMessage.SetLamp(.voiceMail, instance: line, mode: .on)))
        }
        if !self.messageWaitingLines.isEmpty {
            messages.append(.setLamp(SkinnyMessage.SetLamp(.voiceMail, instance: 0, mode: .on)))
        }
        return messages.map(SessionAction.send)
    }

    /// A notice on the status line for a few seconds (DisplayNotify, V2 from v8).
    func notify(_ notice: Notice) -> CallManagerMessage {
        let text: String
        switch notice {
        case .callParked(let slot):
            text = SkinnyText.label(NoticeLabel.callParkAt) + " " + slot.rawValue
        case .noParkSlotAvailable:
            text = SkinnyText.label(NoticeLabel.noParkNumberAvailable)
        case .noCallForPickup:
            text = SkinnyText.label(NoticeLabel.noCallAvailableForPickup)
        case .transferFailed:
            text = SkinnyText.label(NoticeLabel.canNotCompleteTransfer)
        case .noConferenceBridge:
            text = SkinnyText.label(NoticeLabel.noConferenceBridge)
        case .conferenceFull:
            text = SkinnyText.label(NoticeLabel.exceedMaximumParties)
        case .conferenceParticipants(let parties):
            // "Conference: 1001 Alice, 1002" on the status line (ConfList's list view needs XML: not done).
            let names = parties.map { $0.name.isEmpty ? $0.number.rawValue : $0.name }
            text = SkinnyText.label(NoticeLabel.conference) + ": " + names.joined(separator: ", ")
        }
        if self.version.usesDynamicDisplay {
            return .displayNotifyV2(SkinnyMessage.DisplayNotifyV2(text, timeout: Self.noticeTimeout))
        }
        return .displayNotify(SkinnyMessage.DisplayNotify(text, timeout: Self.noticeTimeout))
    }
}
