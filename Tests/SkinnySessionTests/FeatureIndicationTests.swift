import CallControl
import SkinnySession
import SkinnyWire
import Testing

/// The SCCP side of the many-party features: transfer consultations, In Use Remote, new caller IDs, do-not-disturb,
/// the message lamp, notices, and configuration changes during a call (call-flows §8, §11–§13, §15).
@Suite struct FeatureIndicationTests {
    let name = Fixture.name

    /// The call's softkeys with an explicit valid-key mask.
    func keys(_ set: SkinnySoftKeySet, call: UInt32, mask: UInt32 = 0xFFFF_FFFF) -> SessionAction {
        .send(.selectSoftKeys(.init(lineInstance: 1, callReference: call, softKeySet: set, validKeyMask: mask)))
    }

    @Test(arguments: [5, 22] as [UInt8])
    func aConsultationUsesTheTransferSoftKeys(_ version: UInt8) {
        var machine = DeviceSessionStateMachine.registered(offering: version)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 1)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: 1)
        _ = machine.indicate(.hold, call: 1)
        _ = machine.indicate(.offHook, call: 2)
        // Off Hook with Features once the core says this call consults for a transfer.
        #expect(machine.indicate(.transferConsultation, call: 2) == [keys(.offHookWithFeatures, call: 2)])
        _ = machine.indicate(.digitsCollected("1004"), call: 2)
        _ = machine.indicate(.proceeding(dialed: "1004"), call: 2)
        // Ring Out shows Transfer (bit 1 enabled) for a consultation only.
        #expect(machine.indicate(.ringOut(callee: Fixture.carol), call: 2).contains(keys(.ringOut, call: 2)))
        // Connected Transferable once the target answers.
        #expect(
            machine.indicate(.connected(remote: Fixture.carol), call: 2).contains(keys(.connectedTransferable, call: 2))
        )
    }

    @Test func directTransferIsOfferedOnlyWithTwoCallsOnTheLine() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 1)
        #expect(
            machine.indicate(.connected(remote: Fixture.bob), call: 1).contains(
                keys(.connected, call: 1, mask: 0xFFFF_FF9F)
            )
        )
        _ = machine.indicate(.hold, call: 1)
        _ = machine.indicate(.offHook, call: 2)
        _ = machine.indicate(.proceeding(dialed: "1004"), call: 2)
        // With the first call held on the same line, DirTrfr is enabled on the second.
        #expect(machine.indicate(.connected(remote: Fixture.carol), call: 2).contains(keys(.connected, call: 2)))
    }

    @Test(arguments: [5, 17] as [UInt8])
    func answeredElsewhereShowsInUseRemote(_ version: UInt8) {
        var machine = DeviceSessionStateMachine.registered(offering: version)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 7)
        let shown = machine.indicate(.inUseRemote, call: 7)
        #expect(shown.first == .send(.setRinger(.init(.off))))
        #expect(shown.contains(Expect.callState(.remoteMultiline, line: 1, call: 7)))
        #expect(shown.contains(Expect.softKeys(.inUseHint, line: 1, call: 7)))
        #expect(shown.contains(Expect.prompt(Expect.label(31), line: 1, call: 7, dynamic: version >= 8)))
        // It ends with the ordinary on-hook burst.
        #expect(machine.indicate(.cleared, call: 7).contains(Expect.callState(.onHook, line: 1, call: 7)))
    }

    @Test func aNewCallerOnARingingCallUpdatesTheCallerIDWithoutRingingAgain() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 7)
        let update = machine.indicate(.ringIn(caller: Fixture.carol, isCallWaiting: false), call: 7)
        #expect(update.count == 2)
        #expect(!update.contains { if case .send(.setRinger) = $0 { true } else { false } })
        #expect(
            update.contains { action in
                if case .send(.callInfoV2(let info)) = action { info.callingParty == "1004" } else { false }
            }
        )
    }

    @Test func doNotDisturbIsShownAndSilencesTheRinger() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.phone(.buttonTemplateReq)
        #expect(
            machine.core(.doNotDisturbChanged(name, isOn: true))
                == [.send(.displayPriNotifyV2(.init(SkinnyText.secondaryLabel(57), timeout: 0, priority: 2)))]
        )
        let ring = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 7)
        #expect(!ring.contains { if case .send(.setRinger) = $0 { true } else { false } })
        #expect(ring.contains(Expect.callState(.ringIn, line: 1, call: 7)))
        #expect(machine.core(.doNotDisturbChanged(name, isOn: false)) == [.send(.clearPriNotify(.init(priority: 2)))])
    }

    @Test func messageWaitingLightsTheLineAndThePhone() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        // Reported before the phone has its buttons: shown once it asks for them.
        #expect(machine.core(.messageWaiting(name, line: 2, isOn: true)).isEmpty)
        let template = machine.phone(.buttonTemplateReq)
        #expect(template.contains(.send(.setLamp(.init(.voiceMail, instance: 2, mode: .on)))))
        #expect(template.last == .send(.setLamp(.init(.voiceMail, instance: 0, mode: .on))))
        // Then live.
        #expect(
            machine.core(.messageWaiting(name, line: 2, isOn: false)) == [
                .send(.setLamp(.init(.voiceMail, instance: 2, mode: .off))),
                .send(.setLamp(.init(.voiceMail, instance: 0, mode: .off))),
            ]
        )
    }

    @Test(arguments: [
        (Notice.callParked(slot: "7001"), SkinnyText.label(33) + " 7001"),
        (.noParkSlotAvailable, SkinnyText.label(71)),
        (.noCallForPickup, SkinnyText.label(95)),
        (.transferFailed, SkinnyText.label(82)),
    ])
    func noticesGoToTheStatusLine(_ notice: Notice, _ text: String) {
        var old = DeviceSessionStateMachine.registered(offering: 5)
        #expect(old.core(.notify(name, notice)) == [.send(.displayNotify(.init(text, timeout: 10)))])
        var new = DeviceSessionStateMachine.registered(offering: 17)
        #expect(new.core(.notify(name, notice)) == [.send(.displayNotifyV2(.init(text, timeout: 10)))])
    }

    @Test func aConfigurationChangeDuringACallWaitsUntilThePhoneIsIdle() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        var changed = Fixture.profile
        changed.speedDials = []
        // Idle: reset at once.
        var idle = DeviceSessionStateMachine.registered(offering: 17)
        #expect(idle.core(.configurationChanged(name, changed)) == [.send(.reset(.init(.restart)))])
        // In a call: nothing now, the reset follows the call's on-hook burst.
        _ = machine.indicate(.offHook, call: 3)
        #expect(machine.core(.configurationChanged(name, changed)).isEmpty)
        let cleared = machine.indicate(.cleared, call: 3)
        #expect(cleared.last == .send(.reset(.init(.restart))))
    }

    @Test(arguments: [5, 17] as [UInt8])
    func aConferenceThatFallsBackToTwoShowsAnOrdinaryCallAgain(_ version: UInt8) {
        var machine = DeviceSessionStateMachine.registered(offering: version)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 1)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: 1)
        func softKeySets(_ actions: [SessionAction]) -> [SkinnySoftKeySet] {
            actions.compactMap { action in
                if case .send(.selectSoftKeys(let keys)) = action { keys.softKeySet } else { nil }
            }
        }
        // On the bridge: "Conference" and the conference softkeys (ConfList, RmLstC).
        #expect(softKeySets(machine.indicate(.conference(participants: 3), call: 1)) == [.connectedConference])
        #expect(softKeySets(machine.indicate(.conference(participants: 4), call: 1)) == [.connectedConference])
        // The others left: the core says the call is connected to Bob again, so the phone shows him and the
        // Connected softkeys, not a conference of two.
        let direct = machine.indicate(.connected(remote: Fixture.bob), call: 1)
        #expect(direct.contains(keys(.connected, call: 1, mask: 0xFFFF_FF9F)))
        #expect(softKeySets(direct) == [.connected])
    }
}

@Suite struct ForwardDisplayTests {
    @Test(arguments: [11, 18] as [UInt8])
    func aForwardChangeIsSentToThePhoneWithoutAReset(_ version: UInt8) {
        var machine = DeviceSessionStateMachine.registered(offering: version)
        var forwarded = Fixture.profile
        forwarded.lines[0].forwardAll = "1003"
        let sessionVersion = machine.protocolVersion
        #expect(
            machine.core(.configurationChanged(Fixture.name, forwarded)) == [
                .send(.forwardStatRes(.init(lineNumber: 1, forwardAll: "1003", version: sessionVersion)))
            ]
        )
        // The phone asking later gets the same.
        #expect(
            machine.phone(.forwardStatReq(.init(lineNumber: 1)))
                == [.send(.forwardStatRes(.init(lineNumber: 1, forwardAll: "1003", version: sessionVersion)))]
        )
        #expect(
            machine.phone(.forwardStatReq(.init(lineNumber: 2)))
                == [.send(.forwardStatRes(.init(lineNumber: 2, version: sessionVersion)))]
        )
    }
}
