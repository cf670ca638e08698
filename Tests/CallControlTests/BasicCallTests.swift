import CallControl
import Testing

/// call-flows.md §2–§6: off-hook, digits, ring, answer, media, hang-up, and the ways a call fails.
@Suite struct BasicCallTests {
    typealias F = Fixture

    @Test func fullCallAliceToBobHungUpByCaller() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)

        #expect(
            harness.send(.offHook(F.alice, line: nil, call: nil), at: 10) == [
                show(F.alice, 1, 1, .offHook),
                .startTimer(timer(1, .offHook), after: .seconds(15)),
                // Presence: off-hook makes the line in use, reported after the event's other commands.
                .lineStateChanged("1001", .inUse),
            ]
        )
        #expect(
            harness.send(.digit(F.alice, line: 1, call: 1, "1"), at: 11) == [
                show(F.alice, 1, 1, .digitsCollected("1")),
                .cancelTimer(timer(1, .offHook)),
                .startTimer(timer(2, .interdigit), after: .seconds(5)),
            ]
        )
        harness.send(.digit(F.alice, line: 1, call: 1, "0"))
        harness.send(.digit(F.alice, line: 1, call: 1, "0"))
        // The fourth digit completes a directory number that nothing longer could match: route at once.
        #expect(
            harness.send(.digit(F.alice, line: 1, call: 1, "2"), at: 12) == [
                show(F.alice, 1, 1, .digitsCollected("1002")),
                .cancelTimer(timer(4, .interdigit)),
                show(F.alice, 1, 1, .proceeding(dialed: "1002")),
                show(F.alice, 1, 1, .ringOut(callee: F.bobParty)),
                show(F.bob, 1, 2, .ringIn(caller: F.aliceParty, isCallWaiting: false)),
                // Alice's line stays in use (ringing out); Bob's starts ringing.
                .lineStateChanged("1002", .ringing),
            ]
        )
        #expect(harness.core.calls(of: F.bob).map(\.state) == [.ringingIn])

        // Bob answers by lifting the handset: both connected, both asked to open a receive channel.
        #expect(
            harness.send(.offHook(F.bob, line: nil, call: nil), at: 20) == [
                show(F.bob, 1, 2, .connected(remote: F.aliceParty)),
                show(F.alice, 1, 1, .connected(remote: F.bobParty)),
                .openReceiveChannel(F.bob, call: 2, passThroughPartyID: 1, media: F.ulaw20),
                .openReceiveChannel(F.alice, call: 1, passThroughPartyID: 2, media: F.ulaw20),
                .lineStateChanged("1002", .inUse),
            ]
        )
        // Each acknowledgement tells the *other* phone where to send. Bob's ack has no call reference (7912).
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: nil, passThroughPartyID: 1, endpoint: F.bobMedia)) == [
                .startMediaTransmission(F.alice, call: 1, passThroughPartyID: 2, remote: F.bobMedia, media: F.ulaw20)
            ]
        )
        #expect(
            harness.send(.receiveChannelOpened(F.alice, call: 1, passThroughPartyID: 2, endpoint: F.aliceMedia)) == [
                .startMediaTransmission(F.bob, call: 2, passThroughPartyID: 1, remote: F.aliceMedia, media: F.ulaw20)
            ]
        )
        #expect(harness.core.activeMediaStreamCount == 2)

        #expect(
            harness.send(.onHook(F.alice, line: 1, call: 1), at: 80) == [
                .closeMedia(F.alice, call: 1, passThroughPartyID: 2),
                .closeMedia(F.bob, call: 2, passThroughPartyID: 1),
                show(F.alice, 1, 1, .cleared),
                show(F.bob, 1, 2, .cleared),
                .callRecord(
                    CallRecord(
                        callingDevice: F.alice,
                        callingNumber: "1001",
                        callingReference: 1,
                        dialedNumber: "1002",
                        calledNumber: "1002",
                        calledDevice: F.bob,
                        calledReference: 2,
                        setupTime: .seconds(10),
                        answerTime: .seconds(20),
                        endTime: .seconds(80),
                        endCause: .normalClearing,
                        releasedBy: .caller,
                        codec: .g711ulaw,
                        callID: 1
                    )
                ),
                .lineStateChanged("1001", .idle),
                .lineStateChanged("1002", .idle),
            ]
        )
        #expect(harness.isQuiescent)
        #expect(harness.core.calls(of: F.alice).isEmpty && harness.core.calls(of: F.bob).isEmpty)
    }

    @Test func calleeHangsUp() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        let commands = harness.send(.softKey(F.bob, .endCall, line: 1, call: 2), at: 30)
        #expect(
            commands.prefix(4) == [
                .closeMedia(F.bob, call: 2, passThroughPartyID: 1),
                .closeMedia(F.alice, call: 1, passThroughPartyID: 2),
                show(F.bob, 1, 2, .cleared),
                show(F.alice, 1, 1, .cleared),
            ]
        )
        // Bob's line was touched first (his EndCall), so it is reported first.
        #expect(commands.suffix(2) == [.lineStateChanged("1002", .idle), .lineStateChanged("1001", .idle)])
        guard case .callRecord(let record) = commands.dropLast(2).last else {
            Issue.record("no call record in \(commands)")
            return
        }
        #expect(record.releasedBy == .callee)
        #expect(record.endCause == .normalClearing)
        #expect(record.answerTime == .seconds(5))
        #expect(harness.isQuiescent)
        // The caller's handset is still up: going on-hook now is harmless.
        #expect(harness.send(.onHook(F.alice, line: nil, call: nil)).isEmpty)
    }

    @Test func answerSoftKeyAndCodecFromCapabilities() throws {
        var harness = try Harness()
        harness.send(.deviceRegistered(F.alice, DeviceCapabilities(codecs: [.g729, .g711alaw])))
        harness.send(.deviceRegistered(F.bob, .unknown))
        harness.send(.capabilitiesChanged(F.bob, DeviceCapabilities(codecs: [.g722, .g729, .g711alaw])))
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "1002")
        let alaw = MediaParameters(codec: .g711alaw, packetMilliseconds: 20)
        #expect(
            harness.send(.softKey(F.bob, .answer, line: 1, call: 2)) == [
                show(F.bob, 1, 2, .connected(remote: F.aliceParty)),
                show(F.alice, 1, 1, .connected(remote: F.bobParty)),
                .openReceiveChannel(F.bob, call: 2, passThroughPartyID: 1, media: alaw),
                .openReceiveChannel(F.alice, call: 1, passThroughPartyID: 2, media: alaw),
                .lineStateChanged("1002", .inUse),
            ]
        )
    }

    @Test(arguments: [
        ([Codec.g711ulaw, .g711alaw], [Codec.g711alaw, .g711ulaw], Codec.g711ulaw),
        ([.g729], [.g722, .g729], .g729),
        ([.g722], [.g722], .g722),
        ([], [.g729], .g729),
        ([], [], .g711ulaw),
        ([.g729], [.g722], .g711ulaw),
    ])
    func codecPreference(first: [Codec], second: [Codec], expected: Codec) {
        #expect(Codec.negotiate(first, second) == expected)
        #expect(Codec.negotiate(second, first) == expected)
    }

    @Test func duplicateAndStaleAcknowledgementsAreIgnored() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: 2, passThroughPartyID: 1, endpoint: F.bobMedia)).isEmpty
        )
        // Wrong device for the stream, unknown stream, wrong call reference.
        #expect(
            harness.send(.receiveChannelOpened(F.alice, call: nil, passThroughPartyID: 1, endpoint: F.bobMedia)).isEmpty
        )
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: nil, passThroughPartyID: 99, endpoint: F.bobMedia)).isEmpty
        )
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: 1, passThroughPartyID: 1, endpoint: F.carolMedia)).isEmpty
        )
        // A new address for the same stream (the phone re-opened its port) re-points the other side.
        #expect(
            harness.send(.receiveChannelOpened(F.bob, call: 2, passThroughPartyID: 1, endpoint: F.carolMedia)) == [
                .startMediaTransmission(F.alice, call: 1, passThroughPartyID: 2, remote: F.carolMedia, media: F.ulaw20)
            ]
        )
    }

    @Test func busyWhenCalleeLineIsAtItsBusyTrigger() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob, F.carol)
        // Carol's second line (1004) has busy trigger 1: one call makes it busy.
        harness.send(.offHook(F.carol, line: 2, call: nil))
        #expect(harness.core.calls(of: F.carol).map(\.line) == [2])
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 1)
        #expect(
            harness.dial(F.alice, "1004", at: 2).suffix(4) == [
                .cancelTimer(timer(5, .interdigit)),
                show(F.alice, 1, 2, .proceeding(dialed: "1004")),
                show(F.alice, 1, 2, .busy),
                .startTimer(timer(6, .failedCall), after: .seconds(15)),
            ]
        )
        // The caller hangs up: the busy call leaves a record with cause busy.
        let commands = harness.send(.onHook(F.alice, line: nil, call: nil), at: 4)
        #expect(
            commands == [
                .cancelTimer(timer(6, .failedCall)),
                show(F.alice, 1, 2, .cleared),
                .callRecord(
                    CallRecord(
                        callingDevice: F.alice,
                        callingNumber: "1001",
                        callingReference: 2,
                        dialedNumber: "1004",
                        calledNumber: "1004",
                        calledDevice: nil,
                        calledReference: nil,
                        setupTime: .seconds(1),
                        answerTime: nil,
                        endTime: .seconds(4),
                        endCause: .busy,
                        releasedBy: .caller,
                        codec: nil,
                        callID: 2
                    )
                ),
                .lineStateChanged("1001", .idle),
            ]
        )
    }

    @Test func thirdCallToALineWithTwoCallsIsBusy() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol, F.dave)
        // Carol's call to Bob rings as call waiting (busy trigger 2); Dave's, the third on Bob's line, is busy.
        harness.send(.offHook(F.carol, line: 1, call: nil))
        harness.dial(F.carol, "1002")
        #expect(harness.core.calls(of: F.bob).count == 2)
        harness.send(.offHook(F.dave, line: nil, call: nil))
        #expect(harness.dial(F.dave, "1002").contains(show(F.dave, 1, 5, .busy)))
        #expect(harness.core.calls(of: F.bob).count == 2)
    }

    @Test func invalidNumberGetsInvalidThenClearsAfterTheFailedCallTimeout() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        harness.dial(F.alice, "1")
        // "18" can match nothing: rejected at once, without waiting for the timeout.
        #expect(
            harness.send(.digit(F.alice, line: nil, call: nil, "8"), at: 1) == [
                show(F.alice, 1, 1, .digitsCollected("18")),
                .cancelTimer(timer(2, .interdigit)),
                show(F.alice, 1, 1, .invalidNumber),
                .startTimer(timer(3, .failedCall), after: .seconds(15)),
            ]
        )
        // Further digits are ignored in a failed call.
        #expect(harness.send(.digit(F.alice, line: nil, call: nil, "1")).isEmpty)
        let commands = harness.send(.timerFired(timer(3, .failedCall)), at: 16)
        #expect(commands.first == show(F.alice, 1, 1, .cleared))
        #expect(commands.last == .lineStateChanged("1001", .idle))
        guard case .callRecord(let record) = commands.dropLast().last else {
            Issue.record("no call record in \(commands)")
            return
        }
        #expect(record.endCause == .invalidNumber && record.releasedBy == .system && record.dialedNumber == "18")
        #expect(harness.isQuiescent)
        // A late duplicate of the same timer is ignored.
        #expect(harness.send(.timerFired(timer(3, .failedCall))).isEmpty)
    }

    @Test func routeToANumberNoDeviceCarriesIsInvalid() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(
            harness.dial(F.alice, "7777").suffix(3) == [
                show(F.alice, 1, 1, .proceeding(dialed: "7777")),
                show(F.alice, 1, 1, .invalidNumber),
                .startTimer(timer(5, .failedCall), after: .seconds(15)),
            ]
        )
    }

    @Test func unregisteredCalleeGetsReorderUnavailable() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(
            harness.dial(F.alice, "1005").suffix(3) == [
                show(F.alice, 1, 1, .proceeding(dialed: "1005")),
                show(F.alice, 1, 1, .reorder(.unavailable)),
                .startTimer(timer(5, .failedCall), after: .seconds(15)),
            ]
        )
    }

    @Test func blockedPatternGetsReorder() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(harness.dial(F.alice, "6612").suffix(2).first == show(F.alice, 1, 1, .reorder(.blocked)))
    }

    @Test func translationPatternRingsTheTargetLine() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        harness.send(.offHook(F.bob, line: nil, call: nil))
        #expect(
            harness.dial(F.bob, "0").suffix(4) == [
                show(F.bob, 1, 1, .proceeding(dialed: "0")),
                show(F.bob, 1, 1, .ringOut(callee: F.aliceParty)),
                show(F.alice, 1, 2, .ringIn(caller: F.bobParty, isCallWaiting: false)),
                .lineStateChanged("1001", .ringing),
            ]
        )
    }

    @Test func callingYourselfIsBusy() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(harness.dial(F.alice, "1001").contains(show(F.alice, 1, 1, .busy)))
        #expect(harness.core.activeLegCount == 1)
    }

    @Test func callerHangsUpWhileCalleeRings() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        harness.dial(F.alice, "1002")
        let commands = harness.send(.onHook(F.alice, line: nil, call: nil), at: 7)
        #expect(
            commands == [
                show(F.alice, 1, 1, .cleared),
                show(F.bob, 1, 2, .cleared),
                .callRecord(
                    CallRecord(
                        callingDevice: F.alice,
                        callingNumber: "1001",
                        callingReference: 1,
                        dialedNumber: "1002",
                        calledNumber: "1002",
                        calledDevice: F.bob,
                        calledReference: 2,
                        setupTime: .seconds(0),
                        answerTime: nil,
                        endTime: .seconds(7),
                        endCause: .abandoned,
                        releasedBy: .caller,
                        codec: nil,
                        callID: 1
                    )
                ),
                .lineStateChanged("1001", .idle),
                .lineStateChanged("1002", .idle),
            ]
        )
        #expect(harness.isQuiescent)
        // Bob lifting the handset now starts a new call rather than answering a ghost.
        #expect(harness.send(.offHook(F.bob, line: nil, call: nil)).first == show(F.bob, 1, 3, .offHook))
    }

    @Test func offHookWithoutDiallingTimesOutToReorderThenIdle() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        #expect(
            harness.send(.timerFired(timer(1, .offHook)), at: 15) == [
                show(F.alice, 1, 1, .reorder(.offHookTimeout)),
                .startTimer(timer(2, .failedCall), after: .seconds(15)),
            ]
        )
        // No number was dialled, so no call record.
        #expect(
            harness.send(.timerFired(timer(2, .failedCall)), at: 30) == [
                show(F.alice, 1, 1, .cleared), .lineStateChanged("1001", .idle),
            ]
        )
        #expect(harness.isQuiescent)
    }

    @Test func offHookTimeoutIsConfigurable() throws {
        var harness = try Harness(settings: CallControlSettings(offHookTimeout: .seconds(10)))
        harness.register(F.alice)
        #expect(
            harness.send(.offHook(F.alice, line: nil, call: nil))
                == [
                    show(F.alice, 1, 1, .offHook), .startTimer(timer(1, .offHook), after: .seconds(10)),
                    .lineStateChanged("1001", .inUse),
                ]
        )
    }

    @Test func interdigitTimeoutRoutesTheNumberAsItStands() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "10")
        #expect(
            harness.send(.timerFired(timer(3, .interdigit)), at: 9) == [
                show(F.alice, 1, 1, .invalidNumber),
                .startTimer(timer(4, .failedCall), after: .seconds(15)),
            ]
        )
    }

    @Test func poundEndsDiallingAtOnce() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "100")
        // "100#" is incomplete: invalid at once.
        #expect(
            harness.send(.digit(F.alice, line: nil, call: nil, "#")) == [
                .cancelTimer(timer(4, .interdigit)),
                show(F.alice, 1, 1, .invalidNumber),
                .startTimer(timer(5, .failedCall), after: .seconds(15)),
            ]
        )
    }

    @Test func enblocRoutesACompleteNumberAndGoesOffHook() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        #expect(
            harness.send(.enbloc(F.alice, line: nil, number: "1002#")) == [
                show(F.alice, 1, 1, .offHook),
                .startTimer(timer(1, .offHook), after: .seconds(15)),
                .cancelTimer(timer(1, .offHook)),
                show(F.alice, 1, 1, .proceeding(dialed: "1002")),
                show(F.alice, 1, 1, .ringOut(callee: F.bobParty)),
                show(F.bob, 1, 2, .ringIn(caller: F.aliceParty, isCallWaiting: false)),
                .lineStateChanged("1001", .inUse),
                .lineStateChanged("1002", .ringing),
            ]
        )
    }

    @Test(arguments: ["", "10x2", "1#0", String(repeating: "1", count: 33)])
    func malformedEnblocIsAnInvalidNumber(number: String) throws {
        var harness = try Harness()
        harness.register(F.alice)
        let commands = harness.send(.enbloc(F.alice, line: nil, number: number))
        #expect(commands.contains(show(F.alice, 1, 1, .invalidNumber)))
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.failed])
    }

    @Test func tooManyDigitsIsAnInvalidNumber() throws {
        var harness = Harness(
            directory: Directory(
                devices: [DeviceConfiguration(name: F.alice, lines: ["1001"])],
                routePatterns: [try RoutePattern("9!", target: .blocked)]
            )
        )
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        // 32 keys still wait for more (`9!` can grow); the 33rd is one too many.
        let upToLimit = harness.dial(F.alice, String(repeating: "9", count: 32))
        #expect(upToLimit.last == .startTimer(timer(33, .interdigit), after: .seconds(5)))
        #expect(
            harness.send(.digit(F.alice, line: nil, call: nil, "9")) == [
                show(F.alice, 1, 1, .digitsCollected(String(repeating: "9", count: 33))),
                .cancelTimer(timer(33, .interdigit)),
                show(F.alice, 1, 1, .invalidNumber),
                .startTimer(timer(34, .failedCall), after: .seconds(15)),
            ]
        )
    }

    @Test func onHookDiallingIsAnImplicitOffHook() throws {
        var harness = try Harness()
        harness.register(F.alice)
        #expect(
            harness.send(.digit(F.alice, line: nil, call: nil, "1")) == [
                show(F.alice, 1, 1, .offHook),
                .startTimer(timer(1, .offHook), after: .seconds(15)),
                show(F.alice, 1, 1, .digitsCollected("1")),
                .cancelTimer(timer(1, .offHook)),
                .startTimer(timer(2, .interdigit), after: .seconds(5)),
                .lineStateChanged("1001", .inUse),
            ]
        )
    }

    @Test func backSpaceRemovesTheLastDigit() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "1")
        #expect(
            harness.send(.softKey(F.alice, .backSpace, line: 1, call: 1)) == [
                show(F.alice, 1, 1, .digitRemoved("")),
                .cancelTimer(timer(2, .interdigit)),
                .startTimer(timer(3, .offHook), after: .seconds(15)),
            ]
        )
        #expect(harness.send(.softKey(F.alice, .backSpace, line: 1, call: 1)).isEmpty)
    }

    @Test func digitsDuringAConversationAreIgnored() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        #expect(harness.send(.digit(F.alice, line: 1, call: 1, "5")).isEmpty)
        #expect(harness.send(.offHook(F.alice, line: nil, call: nil)).isEmpty)
    }

    @Test func callReferencesAndStreamIDsAreUniqueAndSkipZeroOnWrap() throws {
        var core = CallControlCore(
            directory: try Fixture.directory(),
            firstCallReference: UInt32.max,
            firstPassThroughPartyID: UInt32.max
        )
        _ = core.handle(.deviceRegistered(F.alice, .unknown), at: .zero)
        _ = core.handle(.deviceRegistered(F.bob, .unknown), at: .zero)
        _ = core.handle(.offHook(F.alice, line: nil, call: nil), at: .zero)
        var commands: [CallCommand] = []
        for key in "1002" { commands += core.handle(.digit(F.alice, line: nil, call: nil, key), at: .zero) }
        #expect(
            commands.suffix(2) == [
                show(F.bob, 1, 1, .ringIn(caller: F.aliceParty, isCallWaiting: false)),
                .lineStateChanged("1002", .ringing),
            ]
        )
        #expect(
            core.handle(.offHook(F.bob, line: nil, call: nil), at: .zero).dropLast().suffix(2) == [
                .openReceiveChannel(
                    F.bob,
                    call: 1,
                    passThroughPartyID: PassThroughPartyID(UInt32.max),
                    media: F.ulaw20
                ),
                .openReceiveChannel(F.alice, call: CallReference(UInt32.max), passThroughPartyID: 1, media: F.ulaw20),
            ]
        )
    }
}
