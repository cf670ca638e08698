import SkinnyWire

/// Strowger's softkey template and softkey sets (reference §6.6, §6.7).
///
/// The template holds the 18 standard softkeys in the standard order, so a key's 1-based template position equals
/// its event number for those, as in CUCM 3.1–4.1 and chan-sccp; then DND (event 63) and DirTrfr (event 77), with
/// the event numbers of their labels. Labels are embedded localised labels (`80 01` Redial …), as CUCM 4.1 sends
/// them, so every phone shows them in its own language.
///
/// The sets follow CUCM 4.1's defaults, minus keys whose features Strowger does not implement yet (conference,
/// forwarding from the phone, meet-me …): a key that does nothing is worse than no key. Keys that apply only
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

    /// The keys of each set, by set index 0–11 (reference §6.7).
    static let setContents: [[SkinnySoftKeyEvent]] = [
        // 0 On Hook (CUCM: Redial, NewCall, CFwdAll; chan-sccp adds DND, PickUp, GPickUp)
        [.redial, .newCall, .pickUp, .groupPickUp, .doNotDisturb],
        // 1 Connected (CUCM: Hold, EndCall, Trnsfer, Park, Confrn, ConfList, Select, Join, DirTrfr, VidMode)
        [.hold, .endCall, .transfer, .conference, .park, .directTransfer, .join],
        // 2 On Hold (CUCM: Resume, NewCall, DirTrfr, Select, Join); EndCall clears a held call in Strowger
        [.resume, .newCall, .endCall, .directTransfer, .join],
        // 3 Ring In
        [.answer],
        // 4 Off Hook (CUCM: Redial, EndCall, CFwdAll, PickUp, GPickUp, MeetMe)
        [.redial, .endCall, .pickUp, .groupPickUp],
        // 5 Connected Transferable: a transfer's consultation, answered (CUCM: EndCall, Trnsfer)
        [.hold, .endCall, .transfer],
        // 6 Digits Following
        [.backSpace, .endCall],
        // 7 Connected Conference (CUCM: EndCall, Confrn): a conference consultation answered, or a conference call
        // (then also ConfList and RmLstC)
        [.hold, .endCall, .conference, .conferenceList, .removeLastParticipant],
        // 8 Ring Out (chan-sccp: EndCall, Trnsfer; Trnsfer shown only on a consultation)
        [.endCall, .transfer],
        // 9 Off Hook with Features: a transfer's consultation, dialling
        [.redial, .endCall],
        // 10 In Use Hint: a shared-line call answered on another phone
        [.redial, .newCall],
        // 11 On Hook with Stealable Call
        [.redial, .newCall],
    ]

    /// SoftKeySetRes: for each key, its template position and `infoIndex` = 300 + event (CUCM 4.1).
    static let sets = SkinnyMessage.SoftKeySetRes(
        softKeySets: setContents.map { events in
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

    /// SelectSoftKeys' valid-key mask for `set` (bit n enables the set's n-th key): Transfer on Ring Out only for a
    /// transfer's consultation, DirTrfr and Join only when the line has another call to join, ConfList and RmLstC
    /// only on a conference call.
    static func mask(_ set: SkinnySoftKeySet, consultation: Bool, canJoin: Bool, isConference: Bool = false) -> UInt32 {
        var mask: UInt32 = 0xFFFF_FFFF
        let index = Int(set.rawValue)
        guard index < setContents.count else { return mask }
        for (position, event) in setContents[index].enumerated() {
            let hidden =
                (event == .transfer && set == .ringOut && !consultation)
                || ((event == .directTransfer || event == .join) && !canJoin)
                || ((event == .conferenceList || event == .removeLastParticipant) && !isConference)
            if hidden { mask &= ~(UInt32(1) << UInt32(position)) }
        }
        return mask
    }
}
