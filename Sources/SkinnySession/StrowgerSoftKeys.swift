import SkinnyWire

/// Strowger's softkey template and softkey sets (reference §6.6, §6.7).
///
/// The template holds the 18 standard softkeys in the standard order, so a key's 1-based template position equals
/// its event number, as in CUCM 3.1–4.1 and chan-sccp. Labels are embedded localised labels (`80 01` Redial …), as
/// CUCM 4.1 sends them, so every phone shows them in its own language.
///
/// The sets follow CUCM 4.1's defaults, minus keys whose features Strowger does not implement yet (transfer,
/// conference, park, forwarding, pickup …): a key that does nothing is worse than no key. Those keys stay in the
/// template, so adding one to a set is all a new feature needs.
enum StrowgerSoftKeys {
    /// The standard softkey events 1–18, in template order (position = event number).
    static let templateEvents: [SkinnySoftKeyEvent] = (1...18).map { SkinnySoftKeyEvent(rawValue: $0) }

    /// SoftKeyTemplateRes: each key's label is the embedded label with the same id as its event (label ids 1–18 are
    /// the softkey names; reference §6.9).
    static let template = SkinnyMessage.SoftKeyTemplateRes(
        softKeys: templateEvents.map { event in
            SkinnyMessage.SoftKeyTemplateRes.SoftKey(label: SkinnyText.label(UInt8(event.rawValue)), event: event)
        }
    )

    /// The keys of each set, by set index 0–11 (reference §6.7).
    static let setContents: [[SkinnySoftKeyEvent]] = [
        // 0 On Hook (CUCM: Redial, NewCall, CFwdAll)
        [.redial, .newCall],
        // 1 Connected (CUCM: Hold, EndCall, Trnsfer, Park, Confrn, ConfList, Select, Join, DirTrfr, VidMode)
        [.hold, .endCall],
        // 2 On Hold (CUCM: Resume, NewCall, DirTrfr, Select, Join); EndCall clears a held call in Strowger
        [.resume, .newCall, .endCall],
        // 3 Ring In
        [.answer],
        // 4 Off Hook (CUCM: Redial, EndCall, CFwdAll, PickUp, GPickUp, MeetMe)
        [.redial, .endCall],
        // 5 Connected Transferable (CUCM: EndCall, Trnsfer): as Connected until transfer exists
        [.hold, .endCall],
        // 6 Digits Following
        [.backSpace, .endCall],
        // 7 Connected Conference (CUCM: EndCall, Confrn): as Connected until conferences exist
        [.hold, .endCall],
        // 8 Ring Out
        [.endCall],
        // 9 Off Hook with Features
        [.redial, .endCall],
        // 10 In Use Hint
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
}
