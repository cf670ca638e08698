import CallControl
import CallRuntime
import Testing

/// Which session speaks for which device: only the session that registered a name acts for it, and a name is let go
/// when its registration ends in any way.
@Suite("Endpoint-session registry")
struct SessionRegistryTests {
    @Test func eventsFromASessionThatHoldsNoNameAreDropped() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let intruder = RecordingSession("intruder")
        await runtime.register(TestRuntime.alice, on: alice)

        await runtime.submit(.offHook(TestRuntime.alice, line: nil, call: nil), from: intruder)
        await runtime.submit(.enbloc(TestRuntime.alice, line: nil, number: "1002"), from: intruder)
        #expect(try await runtime.host.status().activeCalls == 0)
        // Nor may it end Alice's registration.
        await runtime.submit(.deviceUnregistered(TestRuntime.alice), from: intruder)
        #expect(try await runtime.host.withCore { $0.isRegistered(TestRuntime.alice) })
        #expect(try await runtime.host.status().sessions == 1)
        #expect(alice.take().isEmpty)
        #expect(intruder.take().isEmpty)
        try await runtime.shutdown()
    }

    @Test func eventsOfTheRuntimesOwnAreNotTakenFromASession() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.submit(.directoryChanged(.removeDevice(TestRuntime.alice)), from: alice)
        #expect(try await runtime.host.withCore { $0.isRegistered(TestRuntime.alice) })
        #expect(alice.take().isEmpty)
        try await runtime.shutdown()
    }

    @Test func theEndOfASessionLetsItsNameGo() async throws {
        var runtime = TestRuntime()
        let first = RecordingSession("first")
        let second = RecordingSession("second")
        await runtime.register(TestRuntime.alice, on: first)
        await runtime.send(.deviceUnregistered(TestRuntime.alice), from: first)
        #expect(try await runtime.host.status().sessions == 0)
        #expect(try await runtime.host.status().registeredDevices == 0)

        // A new connection registers while the old one was heard a moment ago: no take-over is needed.
        let expected = await runtime.send(.deviceRegistered(TestRuntime.alice, .unknown), from: second)
        #expect(second.takeCommands() == [expected[.device(TestRuntime.alice)] ?? []])
        #expect(first.take().isEmpty)
        #expect(try await runtime.host.status().registeredDevices == 1)
        try await runtime.shutdown()
    }

    @Test func aRejectedRegistrationHoldsNoName() async throws {
        var runtime = TestRuntime()
        let first = RecordingSession("first")
        let second = RecordingSession("second")
        await runtime.send(.deviceRegistered(TestRuntime.stranger, .unknown), from: first)
        #expect(first.take() == [.commands([.registrationRejected(TestRuntime.stranger, .unknownDevice)])])
        #expect(try await runtime.host.status().sessions == 0)
        // The next try is the core's to answer again, not a take-over refused for a live first session.
        await runtime.send(.deviceRegistered(TestRuntime.stranger, .unknown), from: second)
        #expect(second.take() == [.commands([.registrationRejected(TestRuntime.stranger, .unknownDevice)])])
        #expect(first.take().isEmpty)
        try await runtime.shutdown()
    }

    @Test func aDeviceRemovedFromTheDirectoryLetsItsNameGo() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        await runtime.register(TestRuntime.alice, on: alice)
        runtime.host.submit(.directoryChanged(.removeDevice(TestRuntime.alice)))
        await runtime.settle()
        #expect(alice.takeCommands() == [[.unregister(TestRuntime.alice, reason: .removedFromDirectory)]])
        #expect(try await runtime.host.status().sessions == 0)
        try await runtime.shutdown()
    }

    @Test func aResetTellsThePhoneAndForgetsItsSession() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        await runtime.register(TestRuntime.alice, on: alice)
        #expect(try await runtime.host.resetDevice(TestRuntime.alice))
        #expect(alice.take() == [.commands([.unregister(TestRuntime.alice, reason: .resetByAdministrator)])])
        #expect(try await runtime.host.status().registeredDevices == 0)
        #expect(try await runtime.host.registeredSessions().isEmpty)
        // The reset phone's last words are not taken.
        await runtime.submit(.offHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        #expect(alice.take().isEmpty)
        #expect(try await runtime.host.resetDevice(TestRuntime.bob) == false)
        try await runtime.shutdown()
    }

    @Test func closingEverySessionEndsTheirCallsAndClosesThem() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.register(TestRuntime.bob, on: bob)
        await runtime.connectAliceToBob(alice: alice, bob: bob)
        #expect(try await runtime.host.status().activeCalls == 1)

        try await runtime.host.closeAllSessions()
        #expect(alice.take().last == .close)
        #expect(bob.take().last == .close)
        let status = try await runtime.host.status()
        #expect(status.sessions == 0)
        #expect(status.registeredDevices == 0)
        #expect(status.activeCalls == 0)
        #expect(runtime.callEndCauses == [.deviceLost])
        try await runtime.shutdown()
    }

    @Test func theRegistryListsEachDevicesSession() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.register(TestRuntime.bob, on: bob)
        let sessions = try await runtime.host.registeredSessions()
        #expect(Set(sessions.keys) == [.device(TestRuntime.alice), .device(TestRuntime.bob)])
        #expect(sessions[.device(TestRuntime.alice)] === alice)
        #expect(sessions[.device(TestRuntime.bob)] === bob)
        try await runtime.shutdown()
    }
}
