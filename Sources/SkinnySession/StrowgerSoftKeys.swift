import CallControl
import SkinnyWire

/// Strowger's softkey template and softkey sets (reference §6.6, §6.7).
///
/// The template holds the 18 standard softkeys in the standard order, so a key's 1-based template position equals
/// its event number for those, as in CUCM 3.1–4.1 and chan-sccp; then DND (event 63) and DirTrfr (event 77), with
/// the event numbers of their labels. Labels are embedded localised labels (`80 01` Redial …), as CUCM 4.1 sends
/// them, so every phone shows them in its own language.
///
/// The sets are the device's softkey template (``SoftkeyTemplate``, stored by name and named by the device), or the
/// built-in one, which follows CUCM 4.1's defaults minus keys whose features Strowger does not implement (forwarding
/// from the phone, meet-me by key …): a key that does nothing is worse than no key. Keys that apply only
/// sometimes (Transfer while ringing out, DirTrfr) are hidden with SelectSoftKeys' valid-key mask when they would do
/// nothing (``mask(_:consultation:canJoin:)``).
enum StrowgerSoftKeys {
    /// The softkey events in template order (position = event number for 1–18).
    static let templateEvents: [SkinnySoftKeyEvent] =
        (1...18).map { SkinnySoftKeyEvent(rawValue: $0) } + [
            .doNotDisturb, .directTransfer, .removeLastParticipant, .conferenceList,
        ]

    /// SoftKeyTemplateRes: each key's label is the embedded label with the same id as its event (label ids 1–88 are
    /// the softkey names; reference §6.9).
    static let template = SkinnyMessage.SoftKeyTemplateRes(
        softKeys: templateEvents.map { event in
            SkinnyMessage.SoftKeyTemplateRes.SoftKey(label: SkinnyText.label(UInt8(event.rawValue)), event: event)
        }
    )

    /// The SCCP softkey event of each template key.
    static func event(_ key: SoftkeyTemplate.Key) -> SkinnySoftKeyEvent {
        switch key {
        case .redial: .redial
        case .newCall: .newCall
        case .hold: .hold
        case .transfer: .transfer
        case .backSpace: .backSpace
        case .endCall: .endCall
        case .resume: .resume
        case .answer: .answer
        case .conference: .conference
        case .park: .park
        case .join: .join
        case .pickUp: .pickUp
        case .groupPickUp: .groupPickUp
        case .doNotDisturb: .doNotDisturb
        case .directTransfer: .directTransfer
        case .removeLastParticipant: .removeLastParticipant
        case .conferenceList: .conferenceList
        }
    }

    /// The template state shown by softkey set `index` 0–11 (reference §6.7), in SoftKeySetRes order.
    static let setStates: [SoftkeyTemplate.State] = SoftkeyTemplate.State.allCases

    /// The events of each set of `template`, by set index 0–11. The built-in sets follow CUCM 4.1's defaults, minus
    /// keys whose features Strowger does not implement (``SoftkeyTemplate/standardUser``); a device's stored
    /// template replaces them state by state.
    static func setContents(_ template: SoftkeyTemplate) -> [[SkinnySoftKeyEvent]] {
        setStates.map { state in template.keys(for: state).map(event) }
    }

    /// SoftKeySetRes for `template`: for each key, its template position and `infoIndex` = 300 + event (CUCM 4.1).
    static func sets(_ template: SoftkeyTemplate) -> SkinnyMessage.SoftKeySetRes {
        SkinnyMessage.SoftKeySetRes(
            softKeySets: setContents(template).map { events in
                SkinnyMessage.SoftKeySetRes.SoftKeySet(
                    keys: events.map { event in
                        let position = templateEvents.firstIndex(of: event).map { $0 + 1 } ?? 0
                        return SkinnyMessage.SoftKeySetRes.Key(
                            templateIndex: UInt8(truncatingIfNeeded: position),
                            infoIndex: UInt16(truncatingIfNeeded: 300 + event.rawValue)
                        )
                    }
                )
            }
        )
    }

    /// SelectSoftKeys' valid-key mask for `set` (bit n enables the set's n-th key): Transfer on Ring Out only for a
    /// transfer's consultation, DirTrfr and Join only when the line has another call to join, ConfList and RmLstC
    /// only on a conference call.
    static func mask(
        _ set: SkinnySoftKeySet,
        template: SoftkeyTemplate = .standardUser,
        consultation: Bool,
        canJoin: Bool,
        isConference: Bool = false
    ) -> UInt32 {
        var mask: UInt32 = 0xFFFF_FFFF
        let index = Int(set.rawValue)
        guard index < setStates.count else { return mask }
        for (position, key) in template.keys(for: setStates[index]).enumerated() {
            let event = event(key)
            let hidden =
                (event == .transfer && set == .ringOut && !consultation)
                || ((event == .directTransfer || event == .join) && !canJoin)
                || ((event == .conferenceList || event == .removeLastParticipant) && !isConference)
            if hidden { mask &= ~(UInt32(1) << UInt32(position)) }
        }
        return mask
    }
}
