import CallControl
import Testing

/// A device may vanish at any point (connection closed, keepalive lost). Every call it had must end, the other party
/// must return to idle, and nothing may be left behind: no legs, timers or media streams, and no command addressed
/// to the vanished device.
@Suite struct DisconnectTests {
    typealias F = Fixture

    @Test func dialling() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "10")
        #expect(
            harness.send(.deviceUnregistered(F.alice)) == [
                .cancelTimer(timer(3, .interdigit)),
                .deviceStatusChanged(F.alice, .unregistered),
                .lineStateChanged("1001", .idle),
            ]
        )
        #expect(harness.isQuiescent)
        #expect(!harness.core.isRegistered(F.alice))
    }

    @Test func failedCall() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "1005")
        let commands = harness.send(.deviceUnregistered(F.alice))
        #expect(commands.first == .cancelTimer(timer(5, .failedCall)))
        #expect(commands.suffix(2) == [.deviceStatusChanged(F.alice, .unregistered), .lineStateChanged("1001", .idle)])
        guard case .callRecord(let record) = commands.dropLast(2).last else {
            Issue.record("no call record in \(commands)")
            return
        }
        #expect(record.endCause == .unavailable)
        #expect(harness.isQuiescent)
    }

    @Test func callerLeavesWhileRinging() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        harness.dial(F.alice, "1002")
        #expect(
            harness.send(.deviceUnregistered(F.alice), at: 3) == [
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
                        endTime: .seconds(3),
                        endCause: .deviceLost,
                        releasedBy: .caller,
                        codec: nil,
                        callID: 1
                    )
                ),
                .deviceStatusChanged(F.alice, .unregistered),
                .lineStateChanged("1001", .idle),
                .lineStateChanged("1002", .idle),
            ]
        )
        #expect(harness.isQuiescent)
        #expect(harness.core.calls(of: F.bob).isEmpty)
    }

    @Test func calleeLeavesWhileRinging() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        harness.dial(F.alice, "1002")
        let commands = harness.send(.deviceUnregistered(F.bob))
        #expect(commands.first == show(F.alice, 1, 1, .cleared))
        // The call record, then presence: Bob is gone and both lines are idle.
        #expect(commands.count == 5)
        #expect(
            commands.suffix(3) == [
                .deviceStatusChanged(F.bob, .unregistered),
                .lineStateChanged("1002", .idle),
                .lineStateChanged("1001", .idle),
            ]
        )
        #expect(harness.isQuiescent)
        // Alice's handset is still up; lifting it again (or hanging up) is handled from idle.
        #expect(harness.send(.onHook(F.alice, line: nil, call: nil)).isEmpty)
    }

    @Test func callerLeavesWhileConnected() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        let commands = harness.send(.deviceUnregistered(F.alice), at: 50)
        #expect(
            commands.prefix(2) == [
                .closeMedia(F.bob, call: 2, passThroughPartyID: 1),
                show(F.bob, 1, 2, .cleared),
            ]
        )
        #expect(commands.suffix(3).first == .deviceStatusChanged(F.alice, .unregistered))
        guard case .callRecord(let record) = commands.dropLast(3).last else {
            Issue.record("no call record in \(commands)")
            return
        }
        #expect(record.endCause == .deviceLost && record.releasedBy == .caller && record.answerTime == .seconds(5))
        #expect(harness.isQuiescent)
    }

    @Test func calleeLeavesWhileConnected() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        #expect(
            harness.send(.deviceUnregistered(F.bob)).prefix(2) == [
                .closeMedia(F.alice, call: 1, passThroughPartyID: 2),
                show(F.alice, 1, 1, .cleared),
            ]
        )
        #expect(harness.isQuiescent)
    }

    @Test func heldPartyLeaves() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.send(.softKey(F.alice, .hold, line: 1, call: 1))
        #expect(harness.send(.deviceUnregistered(F.bob)).first == show(F.alice, 1, 1, .cleared))
        #expect(harness.isQuiescent)
    }

    @Test func holdingPartyLeaves() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.send(.softKey(F.alice, .hold, line: 1, call: 1))
        #expect(harness.send(.deviceUnregistered(F.alice)).first == show(F.bob, 1, 2, .cleared))
        #expect(harness.isQuiescent)
    }

    @Test func deviceWithACallAndAWaitingCallLeaves() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.offHook(F.carol, line: 1, call: nil))
        harness.dial(F.carol, "1002")
        let commands = harness.send(.deviceUnregistered(F.bob))
        #expect(commands.contains(show(F.alice, 1, 1, .cleared)))
        #expect(commands.contains(show(F.carol, 1, 3, .cleared)))
        #expect(commands.filter { if case .callRecord = $0 { true } else { false } }.count == 2)
        #expect(harness.isQuiescent)
    }

    @Test func waitingCallerLeaves() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        harness.register(F.carol)
        harness.send(.offHook(F.carol, line: 1, call: nil))
        harness.dial(F.carol, "1002")
        let commands = harness.send(.deviceUnregistered(F.carol))
        #expect(commands.first == show(F.bob, 1, 4, .cleared))
        #expect(harness.core.calls(of: F.bob).map(\.state) == [.connected])
        #expect(harness.core.activeCallCount == 1 && harness.core.activeMediaStreamCount == 2)
    }

    /// Every state a device can leave in, for both the leaving device and its peer.
    enum Scenario: CaseIterable, Sendable {
        case offHook, dialing, failed, ringingOut, ringingIn, connected, holding, held, callWaiting, dialingWithHeldCall

        /// Brings Alice and Bob into the scenario's state; the returned device leaves.
        func prepare(_ harness: inout Harness) -> DeviceName {
            harness.register(F.alice, F.bob, F.carol)
            switch self {
            case .offHook:
                harness.send(.offHook(F.alice, line: nil, call: nil))
                return F.alice
            case .dialing:
                harness.send(.offHook(F.alice, line: nil, call: nil))
                harness.dial(F.alice, "100")
                return F.alice
            case .failed:
                harness.send(.offHook(F.alice, line: nil, call: nil))
                harness.dial(F.alice, "6612")
                return F.alice
            case .ringingOut, .ringingIn:
                harness.send(.offHook(F.alice, line: nil, call: nil))
                harness.dial(F.alice, "1002")
                return self == .ringingOut ? F.alice : F.bob
            case .connected, .holding, .held, .callWaiting, .dialingWithHeldCall:
                harness.send(.offHook(F.alice, line: nil, call: nil))
                harness.dial(F.alice, "1002")
                harness.send(.offHook(F.bob, line: nil, call: nil))
                harness.send(.receiveChannelOpened(F.bob, call: 2, passThroughPartyID: 1, endpoint: F.bobMedia))
                switch self {
                case .holding, .held:
                    harness.send(.softKey(F.alice, .hold, line: nil, call: nil))
                    return self == .holding ? F.alice : F.bob
                case .callWaiting:
                    harness.send(.offHook(F.carol, line: nil, call: nil))
                    harness.dial(F.carol, "1001")
                    return F.alice
                case .dialingWithHeldCall:
                    harness.send(.softKey(F.alice, .newCall, line: nil, call: nil))
                    harness.dial(F.alice, "10")
                    return F.alice
                case .connected, .offHook, .dialing, .failed, .ringingOut, .ringingIn:
                    return F.alice
                }
            }
        }
    }

    @Test(arguments: Scenario.allCases)
    func nothingIsLeftBehind(_ scenario: Scenario) throws {
        var harness = try Harness()
        let leaving = scenario.prepare(&harness)
        #expect(harness.core.activeLegCount > 0)
        let commands = harness.send(.deviceUnregistered(leaving))
        for command in commands {
            switch command {
            case .indicate(let device, _, _, _), .openReceiveChannel(let device, _, _, _),
                .startMediaTransmission(let device, _, _, _, _), .closeMedia(let device, _, _),
                .doNotDisturbChanged(let device, _), .messageWaiting(let device, _, _), .notify(let device, _):
                #expect(device != leaving, "command \(command) addressed to the device that left")
            case .startTimer:
                Issue.record("a timer was started while tearing down: \(command)")
            case .registrationAccepted, .registrationRejected, .autoRegistered, .configurationChanged, .unregister,
                .cancelTimer, .callRecord, .lineStateChanged, .deviceStatusChanged, .trunk, .trunkAttachRefused, .media,
                .mediaServerAttachRefused:
                break
            }
        }
        #expect(commands.contains(.deviceStatusChanged(leaving, .unregistered)))
        // Every number the calls were on is reported idle again.
        #expect(harness.core.busyLines.isEmpty)
        #expect(commands.contains { if case .lineStateChanged(_, .idle) = $0 { true } else { false } })
        #expect(harness.isQuiescent)
        for device in [F.alice, F.bob, F.carol] {
            #expect(harness.core.calls(of: device).isEmpty)
        }
        // The others are idle: lifting a handset gives dial tone on a fresh call.
        let other = leaving == F.alice ? F.bob : F.alice
        #expect(
            harness.send(.offHook(other, line: nil, call: nil)).first.map { command in
                if case .indicate(other, 1, _, .offHook) = command { true } else { false }
            } == true
        )
    }
}
