import CallControl
import Testing

/// Call Forward All, Busy and No Answer: where the call goes, what each phone is shown, loops, and the call record.
@Suite struct ForwardingTests {
    typealias F = Fixture

    /// The fixture with Bob's line 1002 changed by `change`.
    static func harness(_ change: (inout LineConfiguration) -> Void) throws -> Harness {
        var directory = try Fixture.directory()
        var bob = directory.lineConfiguration(for: "1002")
        change(&bob)
        directory.upsert(bob)
        return Harness(directory: directory)
    }

    static func startedTimers(_ commands: [CallCommand], _ purpose: TimerPurpose) -> [TimerID] {
        commands.compactMap {
            if case .startTimer(let id, _) = $0, id.purpose == purpose { id } else { nil }
        }
    }

    static func records(_ commands: [CallCommand]) -> [CallRecord] {
        commands.compactMap { if case .callRecord(let record) = $0 { record } else { nil } }
    }

    @Test func forwardAllRingsTheTargetInstead() throws {
        var harness = try Self.harness { $0.forwardAll = "1003" }
        harness.register(F.alice, F.bob, F.carol)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        let commands = harness.dial(F.alice, "1002")
        #expect(commands.contains(show(F.alice, 1, 1, .ringOut(callee: F.carolParty))))
        #expect(commands.contains(show(F.carol, 1, 2, .ringIn(caller: F.aliceParty, isCallWaiting: false))))
        #expect(harness.core.calls(of: F.bob).isEmpty)

        harness.send(.offHook(F.carol, line: nil, call: nil), at: 3)
        #expect(harness.core.calls(of: F.alice).map(\.state) == [.connected])
        let ended = harness.send(.onHook(F.alice, line: nil, call: nil), at: 10)
        let record = try #require(Self.records(ended).first)
        #expect(record.dialedNumber == "1002")
        #expect(record.calledNumber == "1003")
        #expect(record.calledDevice == F.carol)
        #expect(record.endCause == .normalClearing)
        #expect(harness.isQuiescent)
    }

    @Test func forwardAllFollowsAChainButNotALoop() throws {
        var directory = try Fixture.directory()
        var bob = directory.lineConfiguration(for: "1002")
        bob.forwardAll = "1003"
        directory.upsert(bob)
        var carol = directory.lineConfiguration(for: "1003")
        carol.forwardAll = "1002"  // back to Bob: a loop
        directory.upsert(carol)
        var harness = Harness(directory: directory)
        harness.register(F.alice, F.bob, F.carol)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        let commands = harness.dial(F.alice, "1002")
        // 1002 → 1003; 1003's forward leads back to 1002, so the call rings 1003.
        #expect(commands.contains(show(F.carol, 1, 2, .ringIn(caller: F.aliceParty, isCallWaiting: false))))
        #expect(harness.core.calls(of: F.bob).isEmpty)
    }

    @Test func aForwardToABlockedOrUnknownNumberFailsTheCall() throws {
        var harness = try Self.harness { $0.forwardAll = "6612" }
        harness.register(F.alice, F.bob)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        #expect(harness.dial(F.alice, "1002").contains(show(F.alice, 1, 1, .reorder(.blocked))))
        #expect(harness.core.calls(of: F.bob).isEmpty)

        var unknown = try Self.harness { $0.forwardAll = "7777" }  // routes to 1999, which no device carries
        unknown.register(F.alice, F.bob)
        unknown.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        #expect(unknown.dial(F.alice, "1002").contains(show(F.alice, 1, 1, .invalidNumber)))
    }

    @Test func forwardBusyTakesTheCallThatWouldGetBusyTone() throws {
        var harness = try Self.harness {
            $0.maxCalls = 1
            $0.busyTrigger = 1
            $0.forwardBusy = "1005"
        }
        harness.connectAliceToBob()
        harness.register(F.carol, F.dave)
        harness.send(.offHook(F.carol, line: nil, call: nil), at: 20)
        let commands = harness.dial(F.carol, "1002")
        #expect(!commands.contains { if case .indicate(_, _, _, .busy) = $0 { true } else { false } })
        #expect(harness.core.calls(of: F.dave).map(\.state) == [.ringingIn])
        // Without the forward the caller hears busy.
        var plain = try Self.harness {
            $0.maxCalls = 1
            $0.busyTrigger = 1
        }
        plain.connectAliceToBob()
        plain.register(F.carol)
        plain.send(.offHook(F.carol, line: nil, call: nil), at: 20)
        #expect(plain.dial(F.carol, "1002").contains { if case .indicate(_, _, _, .busy) = $0 { true } else { false } })
    }

    @Test func forwardNoAnswerMovesARingingCallWhenTheTimerExpires() throws {
        var harness = try Self.harness {
            $0.forwardNoAnswer = "1003"
            $0.noAnswerTimeout = .seconds(10)
        }
        harness.register(F.alice, F.bob, F.carol)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        let dialled = harness.dial(F.alice, "1002")
        #expect(harness.core.calls(of: F.bob).map(\.state) == [.ringingIn])
        let timer = try #require(Self.startedTimers(dialled, .noAnswer).first)
        #expect(dialled.contains(.startTimer(timer, after: .seconds(10))))

        let expired = harness.send(.timerFired(timer), at: 10)
        #expect(expired.contains(show(F.bob, 1, 2, .cleared)))
        #expect(expired.contains(show(F.alice, 1, 1, .ringOut(callee: F.carolParty))))
        #expect(harness.core.calls(of: F.bob).isEmpty)
        #expect(harness.core.calls(of: F.carol).map(\.state) == [.ringingIn])

        harness.send(.offHook(F.carol, line: nil, call: nil), at: 12)
        let ended = harness.send(.onHook(F.carol, line: nil, call: nil), at: 20)
        let record = try #require(Self.records(ended).first)
        #expect(record.calledNumber == "1003")
        #expect(record.calledDevice == F.carol)
        #expect(record.answerTime == .seconds(12))
        #expect(harness.isQuiescent)
    }

    @Test func answeringInTimeCancelsTheNoAnswerTimer() throws {
        var harness = try Self.harness { $0.forwardNoAnswer = "1003" }
        harness.register(F.alice, F.bob, F.carol)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        let timer = try #require(Self.startedTimers(harness.dial(F.alice, "1002"), .noAnswer).first)
        #expect(harness.send(.offHook(F.bob, line: nil, call: nil), at: 5).contains(.cancelTimer(timer)))
        // A late expiry (a race in the host) changes nothing.
        #expect(harness.send(.timerFired(timer), at: 12).isEmpty)
        #expect(harness.core.calls(of: F.bob).map(\.state) == [.connected])
        harness.send(.onHook(F.alice, line: nil, call: nil), at: 20)
        #expect(harness.isQuiescent)
    }

    @Test func aCallerWhoHangsUpWhileItRingsLeavesNoTimer() throws {
        var harness = try Self.harness { $0.forwardNoAnswer = "1003" }
        harness.register(F.alice, F.bob, F.carol)
        harness.send(.offHook(F.alice, line: nil, call: nil), at: 0)
        harness.dial(F.alice, "1002")
        let ended = harness.send(.onHook(F.alice, line: nil, call: nil), at: 3)
        #expect(Self.records(ended).first?.endCause == .abandoned)
        #expect(harness.isQuiescent)
    }
}

@Suite struct ForwardProfileTests {
    @Test func aChangedForwardIsPartOfTheRegisteredDevicesProfile() throws {
        var harness = try Harness()
        harness.register(Fixture.bob)
        let commands = harness.send(
            .directoryChanged(.upsertLine(LineConfiguration(number: "1002", displayName: "Bob", forwardAll: "1003")))
        )
        let profile = DeviceProfile(
            name: Fixture.bob,
            lines: [LineAppearance(instance: 1, number: "1002", displayName: "Bob", forwardAll: "1003")],
            speedDials: []
        )
        #expect(commands.first == .configurationChanged(Fixture.bob, profile))
    }
}
