import CallControl
import CallRuntime
import Testing

/// The runtime hands each owner's session the core's commands for it: one batch per event, in the core's order, and
/// presence's lamp states after them.
@Suite("Command routing")
struct CommandRoutingTests {
    @Test func aRegistrationIsAnsweredOnTheRegisteringSessionOnly() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.bob, on: bob)

        let expected = await runtime.send(.deviceRegistered(TestRuntime.alice, .unknown), from: alice)
        let batches = alice.takeCommands()
        #expect(batches.count == 1)
        #expect(batches == expected[.device(TestRuntime.alice)].map { [$0] })
        guard case .registrationAccepted(TestRuntime.alice, _)? = batches.first?.first else {
            Issue.record("Alice's first command is not her RegisterAck: \(batches)")
            return
        }
        #expect(bob.takeCommands().isEmpty)
        #expect(try await runtime.host.status().sessions == 2)
        try await runtime.shutdown()
    }

    @Test func aCallsCommandsReachEachPhoneInOneBatchPerEventInTheCoresOrder() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.register(TestRuntime.bob, on: bob)

        var events: [(CallEvent, RecordingSession)] = [(.offHook(TestRuntime.alice, line: nil, call: nil), alice)]
        for digit: Character in ["1", "0", "0", "2"] {
            events.append((.digit(TestRuntime.alice, line: nil, call: nil, digit), alice))
        }
        events.append((.offHook(TestRuntime.bob, line: nil, call: nil), bob))
        events.append((.onHook(TestRuntime.alice, line: nil, call: nil), alice))
        var bobWasCalled = false
        for (event, session) in events {
            let expected = await runtime.send(event, from: session)
            #expect(
                alice.takeCommands() == expected[.device(TestRuntime.alice)].map { [$0] } ?? [],
                "Alice after \(event)"
            )
            let bobsBatches = bob.takeCommands()
            #expect(bobsBatches == expected[.device(TestRuntime.bob)].map { [$0] } ?? [], "Bob after \(event)")
            bobWasCalled = bobWasCalled || !bobsBatches.isEmpty
        }
        // The call reached Bob (the comparison above is not of two empty lists), and it is over.
        #expect(bobWasCalled)
        let status = try await runtime.host.status()
        #expect(status.activeCalls == 0)
        #expect(runtime.callEndCauses.count == 1)
        try await runtime.shutdown()
    }

    @Test func busyLampsFollowTheCommandsOfTheSameEvent() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        // Bob watches Alice's line (speed dial 1) before Alice is registered.
        await runtime.send(.deviceRegistered(TestRuntime.bob, .unknown), from: bob)
        let registration = bob.take()
        #expect(registration.count == 2)
        guard case .commands(let batch)? = registration.first, case .registrationAccepted? = batch.first else {
            Issue.record("Bob's lamps came before his RegisterAck: \(registration)")
            return
        }
        #expect(registration.last == .busyLamps([BusyLampUpdate(index: 1, state: .unknown)]))

        await runtime.register(TestRuntime.alice, on: alice)
        #expect(bob.take() == [.busyLamps([BusyLampUpdate(index: 1, state: .idle)])])
        await runtime.send(.offHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        #expect(bob.take() == [.busyLamps([BusyLampUpdate(index: 1, state: .inUse)])])
        await runtime.send(.onHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        #expect(bob.take() == [.busyLamps([BusyLampUpdate(index: 1, state: .idle)])])
        // Alice watches nobody.
        #expect(alice.take().allSatisfy { if case .commands = $0 { true } else { false } })
        try await runtime.shutdown()
    }

    /// Do-not-disturb goes both ways: to the phone that turned it on, and through presence to the lamps watching it.
    @Test func doNotDisturbReachesThePhoneAndItsWatchers() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.register(TestRuntime.bob, on: bob)
        let expected = await runtime.send(.softKey(TestRuntime.alice, .doNotDisturb, line: nil, call: nil), from: alice)
        let batches = alice.takeCommands()
        #expect(batches == expected[.device(TestRuntime.alice)].map { [$0] } ?? [])
        #expect(batches.first?.contains(.doNotDisturbChanged(TestRuntime.alice, isOn: true)) == true)
        #expect(bob.take() == [.busyLamps([BusyLampUpdate(index: 1, state: .doNotDisturb)])])
        try await runtime.shutdown()
    }

    @Test func aPhonesEndStopsItsLampsAndTellsItsWatchers() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.register(TestRuntime.bob, on: bob)
        await runtime.send(.deviceUnregistered(TestRuntime.alice), from: alice)
        #expect(bob.take() == [.busyLamps([BusyLampUpdate(index: 1, state: .unknown)])])
        #expect(alice.take().isEmpty)
        try await runtime.shutdown()
    }
}
