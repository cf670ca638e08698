import CallControl
import Testing

/// Hunt groups (CUCM line groups): the algorithms, skipping members who cannot take a call, the final destination,
/// and a member answering as its time runs out.
@Suite struct HuntTests {
    typealias O = Office

    static func group(
        _ algorithm: HuntGroup.Algorithm,
        members: [DirectoryNumber] = ["1002", "1003", "2001"],
        final: String? = nil
    ) -> HuntGroup {
        HuntGroup(
            pilot: "3000",
            members: members,
            algorithm: algorithm,
            noAnswerTimeout: .seconds(10),
            finalDestination: final
        )
    }

    /// Which devices ring for the caller's call now.
    static func ringing(_ harness: Harness) -> [DeviceName] {
        harness.core.liveCalls.flatMap(\.legs).filter { $0.state == .ringingIn }.map(\.device)
    }

    /// The hunt timer of the caller's (Alice's, leg 1) call.
    static func huntTimer(_ commands: [CallCommand]) -> TimerID? {
        commands.compactMap { if case .startTimer(let id, _) = $0, id.purpose == .huntNoAnswer { id } else { nil } }
            .last
    }

    @Test func topDownOffersOneMemberAfterTheOther() {
        var harness = Harness.office(hunt: Self.group(.topDown))
        let first = harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.bob])
        #expect(first.contains(.startTimer(Self.huntTimer(first) ?? timer(0, .huntNoAnswer), after: .seconds(10))))
        let second = harness.send(.timerFired(Self.huntTimer(first) ?? timer(0, .huntNoAnswer)), at: 10)
        #expect(second.contains(show(O.bob, 1, 2, .cleared)))
        #expect(Self.ringing(harness) == [O.carol])
        let third = harness.send(.timerFired(Self.huntTimer(second) ?? timer(0, .huntNoAnswer)), at: 20)
        // Desk 2's line 2001.
        #expect(Self.ringing(harness) == [O.desk2])
        // Desk 2 answers: the record says the call came through the pilot.
        harness.send(.offHook(O.desk2, line: 2, call: nil), at: 25)
        let end = harness.send(.onHook(O.alice, line: nil, call: nil), at: 40)
        let record = records(end).first
        #expect(record?.calledNumber == "2001")
        #expect(record?.originalCalledNumber == "3000")
        #expect(record?.redirect == CallRedirect(.hunt, by: "3000"))
        #expect(Self.huntTimer(third) != nil)
    }

    @Test func exhaustedWithoutFinalDestinationIsBusy() {
        var harness = Harness.office(hunt: Self.group(.topDown, members: ["1002"]))
        let first = harness.call(O.alice, "3000")
        let end = harness.send(.timerFired(Self.huntTimer(first) ?? timer(0, .huntNoAnswer)))
        #expect(end.contains(show(O.alice, 1, 1, .busy)))
    }

    @Test func exhaustedGoesToTheFinalDestination() {
        var harness = Harness.office(hunt: Self.group(.topDown, members: ["1002"], final: "2000"))
        let first = harness.call(O.alice, "3000")
        harness.send(.timerFired(Self.huntTimer(first) ?? timer(0, .huntNoAnswer)))
        #expect(Self.ringing(harness) == [O.desk1, O.desk2, O.desk3])
        #expect(harness.core.liveCalls.first?.huntPilot == nil)
    }

    @Test func busyUnregisteredAndDoNotDisturbMembersAreSkipped() {
        var harness = Harness.office(hunt: Self.group(.topDown))
        // Bob is in do-not-disturb, Carol is unregistered: Desk 2 rings first.
        harness.send(.softKey(O.bob, .doNotDisturb, line: nil, call: nil))
        harness.send(.deviceUnregistered(O.carol))
        harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.desk2])
    }

    @Test func nobodyAvailableGoesStraightToTheEnd() {
        var harness = Harness.office(hunt: Self.group(.topDown, members: ["1003"]), registering: [O.alice])
        #expect(harness.call(O.alice, "3000").contains(show(O.alice, 1, 1, .busy)))
    }

    @Test func circularStartsAfterTheMemberOfferedTheLastCall() {
        var harness = Harness.office(hunt: Self.group(.circular))
        harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.bob])
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.onHook(O.bob, line: nil, call: nil))
        harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.carol])
        harness.send(.onHook(O.alice, line: nil, call: nil))
        harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.desk2])
        harness.send(.onHook(O.alice, line: nil, call: nil))
        harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.bob])
    }

    @Test func longestIdleOffersTheMemberIdleTheLongest() {
        var harness = Harness.office(hunt: Self.group(.longestIdle))
        // Carol, then Bob, had calls: Desk Two (2001) never had one and is idle the longest, then Carol.
        harness.call(O.carol, "1001")
        harness.send(.onHook(O.carol, line: nil, call: nil), at: 10)
        harness.call(O.bob, "1001")
        harness.send(.onHook(O.bob, line: nil, call: nil), at: 20)
        let first = harness.call(O.alice, "3000")
        #expect(Self.ringing(harness) == [O.desk2])
        harness.send(.timerFired(Self.huntTimer(first) ?? timer(0, .huntNoAnswer)), at: 30)
        #expect(Self.ringing(harness) == [O.carol])
    }

    @Test func broadcastRingsEveryMemberAndTheFirstAnswerWins() {
        var harness = Harness.office(hunt: Self.group(.broadcast, final: "1001"))
        harness.call(O.desk1, "3000")
        #expect(Self.ringing(harness) == [O.bob, O.carol, O.desk2])
        let answer = harness.send(.offHook(O.carol, line: nil, call: nil))
        // The others are cleared (different numbers: not shadows).
        #expect(Set(devices(shown: .cleared, in: answer)) == [O.bob, O.desk2])
        #expect(harness.states(O.bob).isEmpty)
    }

    @Test func broadcastUnansweredGoesToTheFinalDestination() {
        var harness = Harness.office(hunt: Self.group(.broadcast, final: "1001"))
        let first = harness.call(O.desk1, "3000")
        let timeout = harness.send(.timerFired(Self.huntTimer(first) ?? timer(0, .huntNoAnswer)))
        #expect(Set(devices(shown: .cleared, in: timeout)) == [O.bob, O.carol, O.desk2])
        #expect(Self.ringing(harness) == [O.alice])
    }

    @Test func aMemberAnsweringAsItsTimerFiresKeepsTheCall() {
        var harness = Harness.office(hunt: Self.group(.topDown))
        let first = harness.call(O.alice, "3000")
        let id = Self.huntTimer(first) ?? timer(0, .huntNoAnswer)
        // The answer is handled first: the timer is cancelled, and its late expiry is ignored.
        let answer = harness.send(.offHook(O.bob, line: nil, call: nil))
        #expect(answer.contains(.cancelTimer(id)))
        #expect(harness.send(.timerFired(id)).isEmpty)
        #expect(harness.states(O.bob) == [.connected])
    }

    @Test func aMemberAnsweringAfterItsTimerFiredStartsANewCall() {
        var harness = Harness.office(hunt: Self.group(.topDown))
        let first = harness.call(O.alice, "3000")
        // The expiry is handled first: Bob's offer is withdrawn, Carol rings; Bob's late off-hook is dial tone.
        harness.send(.timerFired(Self.huntTimer(first) ?? timer(0, .huntNoAnswer)))
        harness.send(.offHook(O.bob, line: 1, call: 2))
        #expect(harness.states(O.bob) == [.dialing("")])
        #expect(Self.ringing(harness) == [O.carol])
    }

    @Test func theRingingMemberLeavingMovesTheHuntOn() {
        var harness = Harness.office(hunt: Self.group(.topDown))
        harness.call(O.alice, "3000")
        harness.send(.deviceUnregistered(O.bob))
        #expect(Self.ringing(harness) == [O.carol])
        #expect(harness.states(O.alice) == [.ringingOut])
    }
}

@Suite struct DoNotDisturbTests {
    typealias O = Office

    @Test func theSoftKeyTogglesDoNotDisturb() {
        var harness = Harness.office()
        #expect(
            harness.send(.softKey(O.bob, .doNotDisturb, line: nil, call: nil)) == [
                .doNotDisturbChanged(O.bob, isOn: true)
            ]
        )
        #expect(harness.core.directory.devices[O.bob]?.doNotDisturb == true)
        #expect(
            harness.send(.softKey(O.bob, .doNotDisturb, line: nil, call: nil)) == [
                .doNotDisturbChanged(O.bob, isOn: false)
            ]
        )
    }

    @Test func ringerOffModeStillOffersTheCall() {
        var harness = Harness.office()
        harness.send(.softKey(O.bob, .doNotDisturb, line: nil, call: nil))
        harness.call(O.alice, "1002")
        #expect(harness.states(O.bob) == [.ringingIn])
    }

    @Test func rejectModeMakesTheCallerHearBusyOrRingsTheOtherDevices() {
        var settings = CallControlSettings()
        settings.doNotDisturbMode = .reject
        var harness = Harness.office(settings: settings)
        harness.send(.softKey(O.bob, .doNotDisturb, line: nil, call: nil))
        #expect(harness.call(O.alice, "1002").contains(show(O.alice, 1, 1, .busy)))
        // On a shared line, the other devices still ring.
        harness.send(.softKey(O.desk1, .doNotDisturb, line: nil, call: nil))
        harness.call(O.carol, "2000")
        #expect(HuntTests.ringing(harness) == [O.desk2, O.desk3])
    }

    @Test func registrationReportsDoNotDisturbAndTheAdministratorCanSetIt() {
        var directory = Office.directory()
        directory.upsert(DeviceConfiguration(name: O.bob, lines: ["1002"], doNotDisturb: true))
        var harness = Harness(directory: directory)
        let registration = harness.send(.deviceRegistered(O.bob, .unknown))
        #expect(registration.last == .doNotDisturbChanged(O.bob, isOn: true))
        // The administrator turns it off: no reset, just the new state.
        let change = harness.send(
            .directoryChanged(.upsertDevice(DeviceConfiguration(name: O.bob, lines: ["1002"], doNotDisturb: false)))
        )
        #expect(change == [.doNotDisturbChanged(O.bob, isOn: false)])
    }
}

@Suite struct MessageWaitingTests {
    typealias O = Office

    @Test func messageWaitingLightsEveryPhoneWithTheLineWithoutAReset() {
        var harness = Harness.office()
        let on = harness.send(
            .directoryChanged(
                .upsertLine(LineConfiguration(number: "2000", displayName: "Reception", messageWaiting: true))
            )
        )
        #expect(
            on == [
                .messageWaiting(O.desk1, line: 1, isOn: true),
                .messageWaiting(O.desk2, line: 1, isOn: true),
                .messageWaiting(O.desk3, line: 1, isOn: true),
            ]
        )
        // Kept across re-registration.
        harness.send(.deviceUnregistered(O.desk2))
        let again = harness.send(.deviceRegistered(O.desk2, .unknown))
        #expect(again.contains(.messageWaiting(O.desk2, line: 1, isOn: true)))
        #expect(!again.contains(.messageWaiting(O.desk2, line: 2, isOn: true)))
        let off = harness.send(
            .directoryChanged(.upsertLine(LineConfiguration(number: "2000", displayName: "Reception")))
        )
        #expect(off.count == 3 && off.allSatisfy { if case .messageWaiting(_, _, false) = $0 { true } else { false } })
    }
}
