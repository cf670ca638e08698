import CallControl
import Testing

/// Shared lines: a number on several devices rings all of them; the first answer wins and the others show the call
/// as In Use Remote (CUCM); presence sees one line.
@Suite struct SharedLineTests {
    typealias O = Office

    @Test func aCallToASharedLineRingsEveryRegisteredDevice() {
        var harness = Harness.office()
        let commands = harness.call(O.alice, "2000")
        #expect(
            commands == [
                show(O.alice, 1, 1, .digitsCollected("2000")),
                .cancelTimer(timer(4, .interdigit)),
                show(O.alice, 1, 1, .proceeding(dialed: "2000")),
                show(O.alice, 1, 1, .ringOut(callee: O.reception)),
                show(O.desk1, 1, 2, .ringIn(caller: O.aliceParty, isCallWaiting: false)),
                show(O.desk2, 1, 3, .ringIn(caller: O.aliceParty, isCallWaiting: false)),
                show(O.desk3, 1, 4, .ringIn(caller: O.aliceParty, isCallWaiting: false)),
                .lineStateChanged("2000", .ringing),
            ]
        )
        #expect(harness.core.activeCallCount == 1)
        #expect(harness.core.liveCalls.first?.legs.map(\.device) == [O.alice, O.desk1, O.desk2, O.desk3])
    }

    @Test func theFirstAnswerWinsAndTheOthersShowInUseRemote() {
        var harness = Harness.office()
        harness.call(O.alice, "2000")
        let answer = harness.send(.offHook(O.desk2, line: 1, call: 3), at: 4)
        #expect(
            answer == [
                show(O.desk2, 1, 3, .connected(remote: O.aliceParty)),
                show(O.alice, 1, 1, .connected(remote: O.reception)),
                .openReceiveChannel(O.desk2, call: 3, passThroughPartyID: 1, media: Fixture.ulaw20),
                .openReceiveChannel(O.alice, call: 1, passThroughPartyID: 2, media: Fixture.ulaw20),
                show(O.desk1, 1, 2, .inUseRemote),
                show(O.desk3, 1, 4, .inUseRemote),
                .lineStateChanged("2000", .inUse),
            ]
        )
        #expect(harness.states(O.desk1) == [.inUseRemote])
        #expect(harness.states(O.desk2) == [.connected])

        // Two phones answering "in the same instant": the second answer comes after the first and finds the call
        // answered; that phone just goes off-hook with dial tone on a new call.
        let late = harness.send(.offHook(O.desk1, line: 1, call: 2))
        #expect(devices(shown: .offHook, in: late) == [O.desk1])
        #expect(harness.states(O.desk1) == [.inUseRemote, .dialing("")])

        // Hanging up ends the call everywhere, and the shadows are cleared.
        harness.send(.onHook(O.desk1, line: nil, call: nil))
        let end = harness.send(.onHook(O.alice, line: nil, call: nil), at: 30)
        #expect(Set(devices(shown: .cleared, in: end)) == [O.alice, O.desk1, O.desk2, O.desk3])
        #expect(records(end).map(\.calledDevice) == [O.desk2])
        #expect(harness.isQuiescent)
    }

    @Test func aBusyDeviceIsSkippedAndTheOthersRing() {
        var harness = Harness.office()
        // Desk 2's line 2000 is at its busy trigger of 2: a call with Bob on hold and a second one being dialled.
        harness.call(O.desk2, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.softKey(O.desk2, .newCall, line: 1, call: nil))
        harness.send(.digit(O.desk2, line: nil, call: nil, "1"))
        let ring = harness.call(O.carol, "2000")
        #expect(devices(shown: .ringIn(caller: O.carolParty, isCallWaiting: false), in: ring) == [O.desk1, O.desk3])
    }

    @Test func nobodyRegisteredMeansUnavailable() {
        var harness = Harness.office(registering: [O.alice])
        #expect(harness.call(O.alice, "2000").contains(show(O.alice, 1, 1, .reorder(.unavailable))))
    }

    @Test func callingYourOwnSharedLineRingsTheOtherDevices() {
        var harness = Harness.office()
        // Desk 2 dials its own shared number on its second line: desks 1 and 3 ring, desk 2 does not.
        harness.send(.offHook(O.desk2, line: 2, call: nil))
        var last: [CallCommand] = []
        for key in "2000" { last = harness.send(.digit(O.desk2, line: 2, call: nil, key)) }
        #expect(devices(shown: .ringIn(caller: O.deskTwo, isCallWaiting: false), in: last) == [O.desk1, O.desk3])
    }

    @Test func oneRingingDeviceLeavingLeavesTheOthersRinging() {
        var harness = Harness.office()
        harness.call(O.alice, "2000")
        let gone = harness.send(.deviceUnregistered(O.desk1))
        #expect(records(gone).isEmpty)
        #expect(harness.states(O.alice) == [.ringingOut])
        #expect(harness.states(O.desk3) == [.ringingIn])
        // The last one leaving ends the call.
        harness.send(.deviceUnregistered(O.desk2))
        let last = harness.send(.deviceUnregistered(O.desk3))
        #expect(records(last).map(\.endCause) == [.deviceLost])
        #expect(harness.states(O.alice).isEmpty)
    }

    @Test func theCallerHangingUpClearsEveryRingingDevice() {
        var harness = Harness.office()
        harness.call(O.alice, "2000")
        let end = harness.send(.onHook(O.alice, line: nil, call: nil), at: 5)
        #expect(devices(shown: .cleared, in: end) == [O.alice, O.desk1, O.desk2, O.desk3])
        #expect(records(end).map(\.endCause) == [.abandoned])
        #expect(harness.isQuiescent)
    }
}
