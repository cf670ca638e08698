import CallControl
import Testing

/// call-flows.md §3 (call waiting) and §7 (hold), plus redial, speed dial, several lines and the limits on them.
@Suite struct FeatureTests {
    typealias F = Fixture

    @Test func holdClosesMediaOnBothSidesAndResumeReopensIt() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        #expect(
            harness.send(.softKey(F.alice, .hold, line: 1, call: 1), at: 10) == [
                .closeMedia(F.alice, call: 1, passThroughPartyID: 2),
                .closeMedia(F.bob, call: 2, passThroughPartyID: 1),
                show(F.alice, 1, 1, .hold),
                show(F.bob, 1, 2, .remoteHold),
                // Presence: Alice's line is held; Bob's stays in use (he is held, not holding).
                .lineStateChanged("1001", .held),
            ]
        )
        #expect(harness.core.activeMediaStreamCount == 0)
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.held])
        // The held party cannot resume the call; Alice holding again changes nothing.
        #expect(harness.send(.softKey(F.bob, .resume, line: 1, call: 2)).isEmpty)
        #expect(harness.send(.softKey(F.alice, .hold, line: 1, call: 1)).isEmpty)
        // Going on-hook with only a held call does not drop it.
        #expect(harness.send(.onHook(F.alice, line: nil, call: nil)).isEmpty)

        #expect(
            harness.send(.softKey(F.alice, .resume, line: 1, call: 1), at: 20) == [
                show(F.alice, 1, 1, .connected(remote: F.bobParty)),
                show(F.bob, 1, 2, .connected(remote: F.aliceParty)),
                .openReceiveChannel(F.alice, call: 1, passThroughPartyID: 3, media: F.ulaw20),
                .openReceiveChannel(F.bob, call: 2, passThroughPartyID: 4, media: F.ulaw20),
                .lineStateChanged("1001", .inUse),
            ]
        )
        // New stream IDs: an ack for an old one is stale.
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: 2, passThroughPartyID: 1, endpoint: F.bobMedia)).isEmpty
        )
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: 2, passThroughPartyID: 4, endpoint: F.bobMedia)) == [
                .startMediaTransmission(F.alice, call: 1, passThroughPartyID: 3, remote: F.bobMedia, media: F.ulaw20)
            ]
        )
    }

    @Test func bothSidesHoldAndResume() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.send(.softKey(F.alice, .hold, line: 1, call: 1))
        // Bob holds too: Alice is not told again.
        #expect(
            harness.send(.softKey(F.bob, .hold, line: 1, call: 2)) == [
                show(F.bob, 1, 2, .hold), .lineStateChanged("1002", .held),
            ]
        )
        // Alice resumes, but Bob still holds: no media yet (but Alice's line is in use again).
        #expect(
            harness.send(.softKey(F.alice, .resume, line: 1, call: 1)) == [
                show(F.alice, 1, 1, .remoteHold), .lineStateChanged("1001", .inUse),
            ]
        )
        #expect(
            harness.send(.softKey(F.bob, .resume, line: 1, call: 2)) == [
                show(F.bob, 1, 2, .connected(remote: F.aliceParty)),
                show(F.alice, 1, 1, .connected(remote: F.bobParty)),
                .openReceiveChannel(F.bob, call: 2, passThroughPartyID: 3, media: F.ulaw20),
                .openReceiveChannel(F.alice, call: 1, passThroughPartyID: 4, media: F.ulaw20),
                .lineStateChanged("1002", .inUse),
            ]
        )
    }

    @Test func endCallOnAHeldCall() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.send(.softKey(F.alice, .hold, line: 1, call: 1))
        let commands = harness.send(.softKey(F.alice, .endCall, line: 1, call: 1))
        #expect(commands.prefix(2) == [show(F.alice, 1, 1, .cleared), show(F.bob, 1, 2, .cleared)])
        #expect(harness.isQuiescent)
    }

    @Test func callWaitingAnswerHoldsTheFirstCall() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.offHook(F.carol, line: 1, call: nil))
        #expect(
            harness.dial(F.carol, "1002").suffix(4) == [
                show(F.carol, 1, 3, .proceeding(dialed: "1002")),
                show(F.carol, 1, 3, .ringOut(callee: F.bobParty)),
                show(F.bob, 1, 4, .ringIn(caller: F.carolParty, isCallWaiting: true)),
                show(F.bob, 1, 2, .callWaiting(caller: F.carolParty)),
            ]
        )
        // Answering the waiting call holds the conversation with Alice.
        #expect(
            harness.send(.softKey(F.bob, .answer, line: 1, call: 4)) == [
                .closeMedia(F.bob, call: 2, passThroughPartyID: 1),
                .closeMedia(F.alice, call: 1, passThroughPartyID: 2),
                show(F.bob, 1, 2, .hold),
                show(F.alice, 1, 1, .remoteHold),
                show(F.bob, 1, 4, .connected(remote: F.carolParty)),
                show(F.carol, 1, 3, .connected(remote: F.bobParty)),
                .openReceiveChannel(F.bob, call: 4, passThroughPartyID: 3, media: F.ulaw20),
                .openReceiveChannel(F.carol, call: 3, passThroughPartyID: 4, media: F.ulaw20),
            ]
        )
        // Bob finishes with Carol and resumes Alice.
        let hangUp = harness.send(.onHook(F.bob, line: nil, call: nil))
        #expect(
            hangUp.prefix(4) == [
                .closeMedia(F.bob, call: 4, passThroughPartyID: 3),
                .closeMedia(F.carol, call: 3, passThroughPartyID: 4),
                show(F.bob, 1, 4, .cleared),
                show(F.carol, 1, 3, .cleared),
            ]
        )
        // Only the held call is left on Bob's line.
        #expect(hangUp.suffix(2) == [.lineStateChanged("1002", .held), .lineStateChanged("1003", .idle)])
        #expect(harness.core.calls(of: F.bob).map(\.state) == [.held])
        #expect(
            harness.send(.softKey(F.bob, .resume, line: nil, call: nil)) == [
                show(F.bob, 1, 2, .connected(remote: F.aliceParty)),
                show(F.alice, 1, 1, .connected(remote: F.bobParty)),
                .openReceiveChannel(F.bob, call: 2, passThroughPartyID: 5, media: F.ulaw20),
                .openReceiveChannel(F.alice, call: 1, passThroughPartyID: 6, media: F.ulaw20),
                .lineStateChanged("1002", .inUse),
            ]
        )
    }

    @Test func waitingCallRingsNormallyWhenTheActiveCallEnds() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.offHook(F.carol, line: 1, call: nil))
        harness.dial(F.carol, "1002")
        let commands = harness.send(.onHook(F.alice, line: nil, call: nil))
        #expect(
            commands.suffix(3) == [
                show(F.bob, 1, 4, .ringIn(caller: F.carolParty, isCallWaiting: false)),
                // Alice's line is free; Bob's only rings now.
                .lineStateChanged("1001", .idle),
                .lineStateChanged("1002", .ringing),
            ]
        )
        // Lifting the handset now answers Carol.
        #expect(
            harness.send(.offHook(F.bob, line: nil, call: nil)).first
                == show(F.bob, 1, 4, .connected(remote: F.carolParty))
        )
    }

    @Test func waitingCallRingsNormallyWhenTheActiveCallIsHeld() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.offHook(F.carol, line: 1, call: nil))
        harness.dial(F.carol, "1002")
        #expect(
            harness.send(.softKey(F.bob, .hold, line: nil, call: nil)).suffix(2) == [
                show(F.bob, 1, 4, .ringIn(caller: F.carolParty, isCallWaiting: false)),
                // A held call and a ringing one: ringing wins.
                .lineStateChanged("1002", .ringing),
            ]
        )
    }

    @Test func redialDialsTheLastNumber() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        #expect(harness.send(.softKey(F.alice, .redial, line: nil, call: nil)).isEmpty)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "1002")
        harness.send(.onHook(F.alice, line: nil, call: nil))
        #expect(
            harness.send(.softKey(F.alice, .redial, line: nil, call: nil)) == [
                show(F.alice, 1, 3, .offHook),
                .startTimer(timer(5, .offHook), after: .seconds(15)),
                .cancelTimer(timer(5, .offHook)),
                show(F.alice, 1, 3, .proceeding(dialed: "1002")),
                show(F.alice, 1, 3, .ringOut(callee: F.bobParty)),
                show(F.bob, 1, 4, .ringIn(caller: F.aliceParty, isCallWaiting: false)),
                .lineStateChanged("1001", .inUse),
                .lineStateChanged("1002", .ringing),
            ]
        )
    }

    @Test func redialRemembersFailedNumbersToo() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "1005")  // Dave is not registered
        harness.send(.onHook(F.alice, line: nil, call: nil))
        #expect(
            harness.send(.softKey(F.alice, .redial, line: nil, call: nil))
                .contains(show(F.alice, 1, 2, .proceeding(dialed: "1005")))
        )
    }

    @Test func speedDialGoesOffHookAndDials() throws {
        var harness = try Harness()
        harness.register(F.alice, F.carol)
        #expect(harness.send(.speedDial(F.carol, index: 9)).isEmpty)
        #expect(
            harness.send(.speedDial(F.carol, index: 1)) == [
                show(F.carol, 1, 1, .offHook),
                .startTimer(timer(1, .offHook), after: .seconds(15)),
                .cancelTimer(timer(1, .offHook)),
                show(F.carol, 1, 1, .proceeding(dialed: "1001")),
                show(F.carol, 1, 1, .ringOut(callee: F.aliceParty)),
                show(F.alice, 1, 2, .ringIn(caller: F.carolParty, isCallWaiting: false)),
                .lineStateChanged("1003", .inUse),
                .lineStateChanged("1001", .ringing),
            ]
        )
    }

    @Test func speedDialWhileOffHookUsesTheDiallingCall() throws {
        var harness = try Harness()
        harness.register(F.alice, F.carol)
        harness.send(.offHook(F.carol, line: nil, call: nil))
        #expect(
            harness.send(.speedDial(F.carol, index: 1)).prefix(2) == [
                .cancelTimer(timer(1, .offHook)),
                show(F.carol, 1, 1, .proceeding(dialed: "1001")),
            ]
        )
    }

    @Test func secondLineRingsAndIsAnsweredByItsLineButton() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob, F.carol)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(
            harness.dial(F.alice, "1004").suffix(3) == [
                show(F.alice, 1, 1, .ringOut(callee: F.carolTwoParty)),
                show(F.carol, 2, 2, .ringIn(caller: F.aliceParty, isCallWaiting: false)),
                .lineStateChanged("1004", .ringing),
            ]
        )
        #expect(
            harness.send(.lineButton(F.carol, line: 2)).prefix(2) == [
                show(F.carol, 2, 2, .connected(remote: F.aliceParty)),
                show(F.alice, 1, 1, .connected(remote: F.carolTwoParty)),
            ]
        )
        // A call to Carol's first line now waits; its line button answers it and holds the line-2 call.
        harness.send(.offHook(F.bob, line: nil, call: nil))
        #expect(
            harness.dial(F.bob, "1003").suffix(3) == [
                show(F.carol, 1, 4, .ringIn(caller: F.bobParty, isCallWaiting: true)),
                show(F.carol, 2, 2, .callWaiting(caller: F.bobParty)),
                .lineStateChanged("1003", .ringing),
            ]
        )
        let answer = harness.send(.lineButton(F.carol, line: 1))
        #expect(answer.contains(show(F.carol, 2, 2, .hold)))
        #expect(answer.contains(show(F.carol, 1, 4, .connected(remote: F.bobParty))))
        #expect(harness.core.calls(of: F.carol).map(\.state) == [.held, .connected])
    }

    @Test func lineButtonStartsACallOnThatLineAndHoldsTheConnectedOne() throws {
        var harness = try Harness()
        harness.register(F.alice, F.carol)
        harness.send(.offHook(F.carol, line: nil, call: nil))
        harness.dial(F.carol, "1001")
        harness.send(.offHook(F.alice, line: nil, call: nil))
        let commands = harness.send(.lineButton(F.carol, line: 2))
        #expect(
            commands == [
                .closeMedia(F.carol, call: 1, passThroughPartyID: 2),
                .closeMedia(F.alice, call: 2, passThroughPartyID: 1),
                show(F.carol, 1, 1, .hold),
                show(F.alice, 1, 2, .remoteHold),
                show(F.carol, 2, 3, .offHook),
                .startTimer(timer(5, .offHook), after: .seconds(15)),
                .lineStateChanged("1003", .held),
                .lineStateChanged("1004", .inUse),
            ]
        )
        // Switching lines while dialling drops the attempt on line 2 and opens one on line 1, which has room
        // (one held call of two).
        let switched = harness.send(.lineButton(F.carol, line: 1))
        #expect(
            switched == [
                .cancelTimer(timer(5, .offHook)),
                show(F.carol, 2, 3, .cleared),
                show(F.carol, 1, 4, .offHook),
                .startTimer(timer(6, .offHook), after: .seconds(15)),
                .lineStateChanged("1004", .idle),
                .lineStateChanged("1003", .inUse),
            ]
        )
        // Pressing the same line again does nothing; an unknown line is ignored.
        #expect(harness.send(.lineButton(F.carol, line: 1)).isEmpty)
        #expect(harness.send(.lineButton(F.carol, line: 9)).isEmpty)
    }

    @Test func newCallHoldsTheConversationAndEndCallDropsOnlyTheNewCall() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        #expect(
            harness.send(.softKey(F.alice, .newCall, line: nil, call: nil)) == [
                .closeMedia(F.alice, call: 1, passThroughPartyID: 2),
                .closeMedia(F.bob, call: 2, passThroughPartyID: 1),
                show(F.alice, 1, 1, .hold),
                show(F.bob, 1, 2, .remoteHold),
                show(F.alice, 1, 3, .offHook),
                .startTimer(timer(5, .offHook), after: .seconds(15)),
            ]
        )
        // NewCall while dialling does nothing.
        #expect(harness.send(.softKey(F.alice, .newCall, line: nil, call: nil)).isEmpty)
        #expect(
            harness.send(.softKey(F.alice, .endCall, line: 1, call: 3)) == [
                .cancelTimer(timer(5, .offHook)),
                show(F.alice, 1, 3, .cleared),
                .lineStateChanged("1001", .held),
            ]
        )
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.held])
    }

    @Test func lineMaximumLimitsNewCalls() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.softKey(F.alice, .newCall, line: nil, call: nil))
        harness.dial(F.alice, "1003")
        harness.send(.offHook(F.carol, line: nil, call: nil))
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.held, .connected])
        // Line 1001 allows two calls: a third cannot start, and the connected call is not held for nothing.
        #expect(harness.send(.softKey(F.alice, .newCall, line: nil, call: nil)).isEmpty)
        #expect(harness.send(.enbloc(F.alice, line: nil, number: "1005")).isEmpty)
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.held, .connected])
    }

    @Test func resumeWhileAnotherCallIsConnectedHoldsThatOne() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.softKey(F.alice, .newCall, line: nil, call: nil))
        harness.dial(F.alice, "1003")
        harness.send(.offHook(F.carol, line: nil, call: nil))
        let commands = harness.send(.softKey(F.alice, .resume, line: 1, call: 1))
        #expect(commands.contains(show(F.alice, 1, 3, .hold)))
        #expect(commands.contains(show(F.alice, 1, 1, .connected(remote: F.bobParty))))
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.connected, .held])
    }

    @Test func answerWhileDiallingDropsTheDiallingCall() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        // Bob is off-hook (dial tone) when Alice's call arrives: it waits, and answering it drops Bob's attempt.
        harness.send(.offHook(F.bob, line: nil, call: nil))
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(
            harness.dial(F.alice, "1002").suffix(2) == [
                show(F.bob, 1, 3, .ringIn(caller: F.aliceParty, isCallWaiting: true)),
                show(F.bob, 1, 1, .callWaiting(caller: F.aliceParty)),
            ]
        )
        #expect(
            harness.send(.softKey(F.bob, .answer, line: nil, call: nil)).prefix(4) == [
                .cancelTimer(timer(1, .offHook)),
                show(F.bob, 1, 1, .cleared),
                show(F.bob, 1, 3, .connected(remote: F.aliceParty)),
                show(F.alice, 1, 2, .connected(remote: F.bobParty)),
            ]
        )
        #expect(harness.core.calls(of: F.bob).map(\.state) == [.connected])
    }
}
