import CallControl
import Testing

/// Call pickup (call-flows §11) and call park (§12).
@Suite struct PickupTests {
    typealias O = Office

    @Test func pickUpAnswersACallRingingInTheOwnGroup() {
        var harness = Harness.office()
        harness.now = .seconds(0)
        harness.call(O.alice, "1002")
        // Carol (1003) is in Bob's group 5000.
        let pick = harness.send(.softKey(O.carol, .pickUp, line: nil, call: nil), at: 5)
        #expect(pick.contains(show(O.carol, 1, 3, .connected(remote: O.aliceParty))))
        #expect(pick.contains(show(O.alice, 1, 1, .connected(remote: O.carolParty))))
        #expect(pick.contains(show(O.bob, 1, 2, .cleared)))
        #expect(mediaOpened(in: pick) == [O.carol, O.alice])
        #expect(harness.states(O.bob).isEmpty)
        let end = harness.send(.onHook(O.alice, line: nil, call: nil), at: 30)
        let record = records(end).first
        #expect(record?.calledNumber == "1003")
        #expect(record?.calledDevice == O.carol)
        #expect(record?.originalCalledNumber == "1002")
        #expect(record?.redirect == CallRedirect(.pickup, by: "1002"))
    }

    @Test func pickUpWithNothingRingingSaysSo() {
        var harness = Harness.office()
        #expect(harness.send(.softKey(O.carol, .pickUp, line: nil, call: nil)) == [.notify(O.carol, .noCallForPickup)])
        // A call ringing outside the group is not picked.
        harness.call(O.bob, "2000")
        #expect(harness.send(.softKey(O.carol, .pickUp, line: nil, call: nil)) == [.notify(O.carol, .noCallForPickup)])
        // A phone in no group has nothing to pick up either.
        #expect(harness.send(.softKey(O.desk1, .pickUp, line: nil, call: nil)) == [.notify(O.desk1, .noCallForPickup)])
    }

    @Test func pickUpFromTheDialToneScreenUsesThatCall() {
        var harness = Harness.office()
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let pick = harness.send(.softKey(O.carol, .pickUp, line: 1, call: nil))
        #expect(harness.states(O.carol) == [.connected])
        #expect(records(pick).isEmpty)  // the abandoned dial tone leaves no record
    }

    @Test func groupPickUpDialsAnotherGroupsNumber() {
        var harness = Harness.office()
        harness.call(O.carol, "2001")  // Desk Two, group 5001
        // Bob (group 5000) picks it with GPickUp 5001.
        harness.send(.softKey(O.bob, .groupPickUp, line: nil, call: nil))
        #expect(harness.states(O.bob) == [.dialing("")])
        var last: [CallCommand] = []
        for key in "5001" { last = harness.send(.digit(O.bob, line: nil, call: nil, key)) }
        #expect(
            last.contains {
                if case .indicate(O.bob, _, _, .connected(remote: O.carolParty)) = $0 { true } else { false }
            }
        )
        #expect(harness.states(O.bob) == [.connected])
        #expect(harness.states(O.desk2).isEmpty)
        // Group pickup numbers are not remembered for Redial.
        harness.send(.onHook(O.bob, line: nil, call: nil))
        #expect(harness.send(.softKey(O.bob, .redial, line: nil, call: nil)).isEmpty)
    }

    @Test func groupPickUpOfAnUnknownGroupIsAnInvalidNumber() {
        var harness = Harness.office()
        harness.send(.softKey(O.bob, .groupPickUp, line: nil, call: nil))
        let last = harness.send(.enbloc(O.bob, line: nil, number: "5999"))
        #expect(last.contains { if case .indicate(O.bob, _, _, .invalidNumber) = $0 { true } else { false } })
    }

    @Test func groupPickUpWithNothingRingingClearsTheDialTone() {
        var harness = Harness.office()
        harness.send(.softKey(O.bob, .groupPickUp, line: nil, call: nil))
        var last: [CallCommand] = []
        for key in "5001" { last = harness.send(.digit(O.bob, line: nil, call: nil, key)) }
        #expect(last.contains(.notify(O.bob, .noCallForPickup)))
        #expect(harness.states(O.bob).isEmpty)
    }

    @Test func pickingUpAHuntedCallEndsTheHunt() {
        var harness = Harness.office()
        harness.call(O.alice, "3000")  // rings Bob first
        harness.send(.softKey(O.carol, .pickUp, line: nil, call: nil))
        #expect(harness.states(O.carol) == [.connected])
        #expect(harness.core.liveCalls.first?.huntPilot == nil)
        #expect(harness.core.activeTimerCount == 0)
    }
}

@Suite struct ParkTests {
    typealias O = Office

    static func parkedByAlice() -> Harness {
        var harness = TransferTests.aliceTalksToBob()
        harness.send(.softKey(O.alice, .park, line: 1, call: 1), at: 20)
        return harness
    }

    @Test func parkPutsTheOtherPartyInTheFirstFreeSlot() {
        var harness = TransferTests.aliceTalksToBob()
        let park = harness.send(.softKey(O.alice, .park, line: 1, call: 1), at: 20)
        #expect(
            park.contains(.notify(O.alice, .callParked(slot: "7000"))) && park.contains(show(O.alice, 1, 1, .cleared))
        )
        #expect(park.contains(show(O.bob, 1, 2, .remoteHold)))
        #expect(park.contains(.startTimer(timer(5, .parkReversion), after: .seconds(60))))
        #expect(records(park).map(\.endCause) == [.redirected])
        #expect(harness.states(O.alice).isEmpty)
        #expect(harness.core.parkedCallCount == 1)
        #expect(harness.core.liveCalls.first?.parkSlot == "7000")
        // The next park takes the next slot.
        harness.call(O.carol, "2001")
        harness.send(.offHook(O.desk2, line: 2, call: nil))
        #expect(
            harness.send(.softKey(O.carol, .park, line: nil, call: nil)).contains(
                .notify(O.carol, .callParked(slot: "7001"))
            )
        )
    }

    @Test func anyoneRetrievesTheCallByDiallingTheSlot() {
        var harness = Self.parkedByAlice()
        let retrieve = harness.call(O.carol, "7000")
        #expect(retrieve.contains(show(O.carol, 1, 3, .connected(remote: O.bobParty))))
        #expect(retrieve.contains(show(O.bob, 1, 2, .connected(remote: O.carolParty))))
        #expect(mediaOpened(in: retrieve) == [O.bob, O.carol])
        #expect(harness.core.parkedCallCount == 0)
        let end = harness.send(.onHook(O.bob, line: nil, call: nil), at: 50)
        let record = records(end).first
        #expect(record?.callingNumber == "1002")
        #expect(record?.calledNumber == "1003")
        #expect(record?.redirect == CallRedirect(.park, by: "1001"))
        #expect(harness.isQuiescent)
    }

    @Test func anUnretrievedCallRingsTheParkerAgain() {
        var harness = Self.parkedByAlice()
        let revert = harness.send(.timerFired(timer(5, .parkReversion)), at: 80)
        #expect(revert.contains(show(O.alice, 1, 3, .ringIn(caller: O.bobParty, isCallWaiting: false))))
        #expect(revert.contains(show(O.bob, 1, 2, .ringOut(callee: O.aliceParty))))
        #expect(harness.core.parkedCallCount == 0)
        let answer = harness.send(.offHook(O.alice, line: nil, call: nil))
        #expect(mediaOpened(in: answer) == [O.alice, O.bob])
        // The slot is free again.
        #expect(harness.call(O.carol, "7000").contains(show(O.carol, 1, 4, .reorder(.unavailable))))
    }

    @Test func theParkedPartyHangingUpFreesTheSlot() {
        var harness = Self.parkedByAlice()
        let gone = harness.send(.onHook(O.bob, line: nil, call: nil), at: 30)
        #expect(records(gone).map(\.endCause) == [.abandoned])
        #expect(records(gone).first?.dialedNumber == "7000")
        #expect(harness.core.parkedCallCount == 0)
        #expect(harness.isQuiescent)
        // A late reversion timer is ignored.
        #expect(harness.send(.timerFired(timer(5, .parkReversion))).isEmpty)
    }

    @Test func noFreeSlotLeavesTheCallAsItWas() {
        var harness = TransferTests.aliceTalksToBob(settings: CallControlSettings())
        #expect(harness.send(.softKey(O.alice, .park, line: 1, call: 1)) == [.notify(O.alice, .noParkSlotAvailable)])
        #expect(harness.states(O.alice) == [.connected])
    }

    @Test func anEmptySlotIsReorder() {
        var harness = Harness.office()
        #expect(harness.call(O.carol, "7002").contains(show(O.carol, 1, 1, .reorder(.unavailable))))
    }

    @Test func parkReversionWaitsWhileTheParkerIsGone() {
        var harness = Self.parkedByAlice()
        harness.send(.deviceUnregistered(O.alice))
        let revert = harness.send(.timerFired(timer(5, .parkReversion)), at: 80)
        #expect(revert == [.startTimer(timer(6, .parkReversion), after: .seconds(60))])
        #expect(harness.core.parkedCallCount == 1)
    }
}
