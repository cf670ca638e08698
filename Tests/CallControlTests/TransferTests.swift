import CallControl
import Testing

/// Transfer from the phone (call-flows §8): blind, consulted, to a busy or invalid number, on hang-up, and Direct
/// Transfer; the races between the parties; the records that tell the story.
@Suite struct TransferTests {
    typealias O = Office

    /// Alice calls Bob and Bob answers: Alice's leg 1, Bob's leg 2 (streams 1 Bob, 2 Alice), both acknowledged.
    static func aliceTalksToBob(
        settings: CallControlSettings = CallControlSettings(park: ParkSettings(slots: 7000...7002))
    ) -> Harness {
        var harness = Harness.office(settings: settings)
        harness.now = .seconds(0)
        harness.call(O.alice, "1002")
        let answer = harness.send(.offHook(O.bob, line: nil, call: nil), at: 10)
        harness.acknowledgeMedia(in: answer)
        return harness
    }

    @Test func transferHoldsTheCallAndOpensAConsultation() {
        var harness = Self.aliceTalksToBob()
        let commands = harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        #expect(
            commands == [
                .closeMedia(O.alice, call: 1, passThroughPartyID: 2),
                .closeMedia(O.bob, call: 2, passThroughPartyID: 1),
                show(O.alice, 1, 1, .hold),
                show(O.bob, 1, 2, .remoteHold),
                show(O.alice, 1, 3, .offHook),
                .startTimer(timer(5, .offHook), after: .seconds(15)),
                show(O.alice, 1, 3, .transferConsultation),
                // Alice's line stays in use (held and dialling); nothing to report.
            ]
        )
        #expect(harness.states(O.alice) == [.held, .dialing("")])
    }

    @Test func consultedTransferJoinsTheHeldPartyAndTheTarget() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        let answered = harness.send(.offHook(O.carol, line: nil, call: nil), at: 25)
        harness.acknowledgeMedia(in: answered)

        let transfer = harness.send(.softKey(O.alice, .transfer, line: 1, call: 3), at: 40)
        // Alice drops out of both calls; Bob and Carol talk, with media set up directly between them.
        #expect(Set(devices(shown: .cleared, in: transfer)) == [O.alice])
        #expect(transfer.contains(show(O.bob, 1, 2, .connected(remote: O.carolParty))))
        #expect(transfer.contains(show(O.carol, 1, 4, .connected(remote: O.bobParty))))
        #expect(mediaOpened(in: transfer) == [O.bob, O.carol])
        #expect(harness.states(O.alice).isEmpty)
        #expect(harness.states(O.bob) == [.connected])
        #expect(harness.states(O.carol) == [.connected])
        #expect(harness.core.activeCallCount == 1)
        let started = harness.acknowledgeMedia(in: transfer)
        #expect(
            started.contains { if case .startMediaTransmission(O.bob, _, _, _, _) = $0 { true } else { false } }
                && started.contains {
                    if case .startMediaTransmission(O.carol, _, _, _, _) = $0 { true } else { false }
                }
        )

        // Records: Alice–Bob and Alice–Carol end as redirected; Bob–Carol then ends normally, "transfer by 1001".
        let firstTwo = records(transfer)
        #expect(firstTwo.map(\.endCause) == [.redirected, .redirected])
        #expect(firstTwo.map(\.calledNumber) == ["1002", "1003"])
        let end = harness.send(.onHook(O.carol, line: nil, call: nil), at: 100)
        let last = records(end)
        #expect(last.count == 1)
        #expect(last.first?.callingNumber == "1002")
        #expect(last.first?.calledNumber == "1003")
        #expect(last.first?.redirect == CallRedirect(.transfer, by: "1001"))
        #expect(last.first?.answerTime == .seconds(40))
        #expect(last.first?.callID == firstTwo.first?.callID)
        #expect(last.first?.releasedBy == .callee)
        #expect(harness.isQuiescent)
    }

    @Test func blindTransferGivesTheHeldPartyTheRingingTarget() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        #expect(harness.states(O.carol) == [.ringingIn])

        let transfer = harness.send(.softKey(O.alice, .transfer, line: 1, call: 3), at: 22)
        #expect(devices(shown: .cleared, in: transfer) == [O.alice, O.alice])
        // Bob hears Carol ring; Carol's phone now shows Bob as the caller.
        #expect(transfer.contains(show(O.bob, 1, 2, .ringOut(callee: O.carolParty))))
        #expect(transfer.contains(show(O.carol, 1, 4, .ringIn(caller: O.bobParty, isCallWaiting: false))))
        #expect(harness.states(O.bob) == [.ringingOut])
        #expect(harness.states(O.alice).isEmpty)

        // Carol answers: Bob and Carol talk.
        let answer = harness.send(.offHook(O.carol, line: nil, call: nil), at: 30)
        #expect(answer.contains(show(O.bob, 1, 2, .connected(remote: O.carolParty))))
        #expect(mediaOpened(in: answer) == [O.carol, O.bob])
        let end = harness.send(.onHook(O.bob, line: nil, call: nil), at: 60)
        #expect(records(end).first?.redirect == CallRedirect(.transfer, by: "1001"))
        #expect(records(end).first?.answerTime == .seconds(30))
        #expect(harness.isQuiescent)
    }

    @Test func transferToABusyNumberReturnsTheHeldPartyToTheTransferrer() {
        var harness = Self.aliceTalksToBob()
        // Carol is busy: she calls Desk Two and talks, then has a second call ringing (busy trigger 2 reached).
        harness.send(.offHook(O.carol, line: nil, call: nil))
        for key in "2001" { harness.send(.digit(O.carol, line: nil, call: nil, key)) }
        harness.send(.offHook(O.desk2, line: 2, call: nil))
        harness.send(.softKey(O.carol, .newCall, line: nil, call: nil))
        harness.send(.digit(O.carol, line: nil, call: nil, "9"))

        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        var consultation: [CallCommand] = []
        for key in "1003" { consultation = harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        #expect(consultation.contains { if case .indicate(O.alice, _, _, .busy) = $0 { true } else { false } })

        let back = harness.send(.softKey(O.alice, .transfer, line: 1, call: nil), at: 25)
        // The consultation ends, Bob is back with Alice, and Alice is told why.
        #expect(back.contains(show(O.alice, 1, 1, .connected(remote: O.bobParty))))
        #expect(back.contains(show(O.bob, 1, 2, .connected(remote: O.aliceParty))))
        #expect(back.contains(.notify(O.alice, .transferFailed)))
        #expect(records(back).map(\.endCause) == [.busy])
        #expect(harness.states(O.alice) == [.connected])
    }

    @Test func transferToAnInvalidNumberReturnsTheHeldPartyToo() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        harness.send(.enbloc(O.alice, line: 1, number: "9999"))
        let back = harness.send(.softKey(O.alice, .transfer, line: 1, call: 1))
        #expect(back.contains(.notify(O.alice, .transferFailed)))
        #expect(harness.states(O.alice) == [.connected])
        #expect(harness.states(O.bob) == [.connected])
    }

    @Test func transferWhileStillDiallingDoesNothing() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        harness.send(.digit(O.alice, line: 1, call: 3, "1"))
        #expect(harness.send(.softKey(O.alice, .transfer, line: 1, call: 3)).isEmpty)
    }

    @Test func hangingUpTheConsultationEndsItAndKeepsTheHeldCall() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let hangUp = harness.send(.onHook(O.alice, line: nil, call: nil), at: 30)
        #expect(Set(devices(shown: .cleared, in: hangUp)) == [O.alice, O.carol])
        #expect(harness.states(O.alice) == [.held])
        #expect(harness.states(O.bob) == [.connected])
    }

    @Test func withTransferOnHookHangingUpCompletesTheTransfer() {
        var harness = Self.aliceTalksToBob(
            settings: CallControlSettings(park: ParkSettings(slots: 7000...7002), transferOnHook: true)
        )
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        // The race of the issue: Carol answers and Alice hangs up; in either order the transfer completes.
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let hangUp = harness.send(.onHook(O.alice, line: nil, call: nil), at: 30)
        #expect(hangUp.contains(show(O.bob, 1, 2, .connected(remote: O.carolParty))))
        #expect(harness.states(O.alice).isEmpty)
    }

    @Test func withTransferOnHookHangingUpWhileTheTargetRingsIsABlindTransfer() {
        var harness = Self.aliceTalksToBob(
            settings: CallControlSettings(park: ParkSettings(slots: 7000...7002), transferOnHook: true)
        )
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        // Alice hangs up first; Carol answers afterwards and gets Bob.
        harness.send(.onHook(O.alice, line: nil, call: nil), at: 30)
        #expect(harness.states(O.bob) == [.ringingOut])
        let answer = harness.send(.offHook(O.carol, line: nil, call: nil))
        #expect(answer.contains(show(O.carol, 1, 4, .connected(remote: O.bobParty))))
    }

    @Test func theHeldPartyHangingUpLeavesAnOrdinaryConsultation() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        harness.send(.onHook(O.bob, line: nil, call: nil), at: 25)
        #expect(harness.states(O.alice) == [.connected])
        // Transfer now starts a new consultation instead of completing anything.
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 3))
        #expect(harness.states(O.alice) == [.held, .dialing("")])
    }

    @Test func theTargetHangingUpDuringConsultationLeavesTheFirstCallHeld() {
        var harness = Self.aliceTalksToBob()
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: 3, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        harness.send(.onHook(O.carol, line: nil, call: nil))
        #expect(harness.states(O.alice) == [.held])
        let resume = harness.send(.softKey(O.alice, .resume, line: 1, call: 1))
        #expect(mediaOpened(in: resume) == [O.alice, O.bob])
    }

    @Test func directTransferJoinsTwoCallsOfOnePhone() {
        var harness = Self.aliceTalksToBob()
        // Alice holds Bob and calls Carol on a new call.
        harness.send(.softKey(O.alice, .newCall, line: 1, call: nil), at: 20)
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let join = harness.send(.softKey(O.alice, .directTransfer, line: 1, call: 3), at: 30)
        #expect(join.contains(show(O.bob, 1, 2, .connected(remote: O.carolParty))))
        #expect(join.contains(show(O.carol, 1, 4, .connected(remote: O.bobParty))))
        #expect(harness.states(O.alice).isEmpty)
        #expect(records(join).allSatisfy { $0.endCause == .redirected })
    }

    @Test func transferOfASharedLineCallTakesItsShadowsAlong() {
        var harness = Harness.office()
        // Alice calls reception, desk 1 answers; desks 2 and 3 show In Use Remote.
        harness.call(O.alice, "2000")
        harness.send(.offHook(O.desk1, line: nil, call: nil))
        // Alice transfers the call to Bob (consulted): desk 1 stays in the call, so the shadows stay.
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1))
        for key in "1002" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.softKey(O.alice, .transfer, line: 1, call: nil))
        #expect(harness.states(O.desk3) == [.inUseRemote])
        #expect(harness.states(O.desk1) == [.connected])
        // And they clear with the call.
        harness.send(.onHook(O.bob, line: nil, call: nil))
        #expect(harness.states(O.desk3).isEmpty)
        #expect(harness.isQuiescent)
    }
}
