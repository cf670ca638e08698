import CallControl
import CallRuntime
import NIOCore
import Testing

/// A second connection registering a registered name, as the runtime carries out ``TakeOverPolicy``'s decision.
/// Last-heard times are set on the real clock, far from the window's edge; the edge itself is TakeOverPolicyTests'.
@Suite("Take-over")
struct TakeOverTests {
    @Test func aLiveOwnerKeepsItsNameAndTheNewcomerIsRefused() async throws {
        var runtime = TestRuntime()
        let owner = RecordingSession("owner")
        let newcomer = RecordingSession("newcomer")
        await runtime.register(TestRuntime.alice, on: owner)

        await runtime.submit(.deviceRegistered(TestRuntime.alice, .unknown), from: newcomer)
        #expect(newcomer.take() == [.commands([.registrationRejected(TestRuntime.alice, .alreadyRegistered)])])
        #expect(owner.take().isEmpty)
        // The owner still acts for the device; the newcomer does not.
        await runtime.submit(.offHook(TestRuntime.alice, line: nil, call: nil), from: newcomer)
        #expect(try await runtime.host.status().activeCalls == 0)
        let expected = await runtime.send(.offHook(TestRuntime.alice, line: nil, call: nil), from: owner)
        #expect(owner.takeCommands() == [expected[.device(TestRuntime.alice)] ?? []])
        #expect(try await runtime.host.status().activeCalls == 1)
        #expect(try await runtime.host.registeredSessions()[.device(TestRuntime.alice)] === owner)
        try await runtime.shutdown()
    }

    @Test func aSilentOwnerIsClosedItsCallsEndAndTheNewcomerRegisters() async throws {
        var runtime = TestRuntime(keepAliveInterval: .seconds(30))
        let owner = RecordingSession("owner")
        let bob = RecordingSession("bob")
        let newcomer = RecordingSession("newcomer")
        await runtime.register(TestRuntime.alice, on: owner)
        await runtime.register(TestRuntime.bob, on: bob)
        await runtime.connectAliceToBob(alice: owner, bob: bob)
        owner.lastHeard = .now() - .seconds(60)

        await runtime.submit(.deviceRegistered(TestRuntime.alice, .unknown), from: newcomer)
        // The core hears the old registration end, then the new one.
        let lost = runtime.twin.handle(.deviceUnregistered(TestRuntime.alice))
        let registered = runtime.twin.handle(.deviceRegistered(TestRuntime.alice, .unknown))
        #expect(owner.take() == [.close])
        #expect(bob.takeCommands() == [lost[.device(TestRuntime.bob)] ?? []])
        #expect(!(lost[.device(TestRuntime.bob)] ?? []).isEmpty)
        #expect(newcomer.takeCommands() == [registered[.device(TestRuntime.alice)] ?? []])
        #expect(runtime.callEndCauses == [.deviceLost])

        // The closed connection's own report of its end does not unregister its successor.
        await runtime.submit(.deviceUnregistered(TestRuntime.alice), from: owner)
        #expect(try await runtime.host.withCore { $0.isRegistered(TestRuntime.alice) })
        #expect(try await runtime.host.registeredSessions()[.device(TestRuntime.alice)] === newcomer)
        try await runtime.shutdown()
    }

    @Test func registeringAgainOnTheSameSessionStartsAFreshRegistration() async throws {
        var runtime = TestRuntime()
        let owner = RecordingSession("owner")
        let bob = RecordingSession("bob")
        await runtime.register(TestRuntime.alice, on: owner)
        await runtime.register(TestRuntime.bob, on: bob)
        await runtime.connectAliceToBob(alice: owner, bob: bob)

        // The same session registers the name again: the old registration ends (its call too) and a new one starts;
        // the session keeps the name and the core counts it registered.
        await runtime.submit(.deviceRegistered(TestRuntime.alice, .unknown), from: owner)
        let lost = runtime.twin.handle(.deviceUnregistered(TestRuntime.alice))
        let registered = runtime.twin.handle(.deviceRegistered(TestRuntime.alice, .unknown))
        #expect(bob.takeCommands() == [lost[.device(TestRuntime.bob)] ?? []])
        #expect(owner.takeCommands().last == registered[.device(TestRuntime.alice)] ?? [])
        #expect(runtime.callEndCauses == [.deviceLost])
        #expect(try await runtime.host.withCore { $0.isRegistered(TestRuntime.alice) })
        #expect(try await runtime.host.registeredSessions()[.device(TestRuntime.alice)] === owner)
        try await runtime.shutdown()
    }

    @Test func theWindowFollowsTheConfiguredKeepalive() async throws {
        // Keepalive 10 s: alive within 15 s.
        var runtime = TestRuntime(keepAliveInterval: .seconds(10))
        let owner = RecordingSession("owner")
        await runtime.register(TestRuntime.alice, on: owner)

        owner.lastHeard = .now() - .seconds(12)
        let early = RecordingSession("early")
        await runtime.submit(.deviceRegistered(TestRuntime.alice, .unknown), from: early)
        #expect(early.take() == [.commands([.registrationRejected(TestRuntime.alice, .alreadyRegistered)])])

        owner.lastHeard = .now() - .seconds(18)
        let late = RecordingSession("late")
        await runtime.submit(.deviceRegistered(TestRuntime.alice, .unknown), from: late)
        #expect(owner.take() == [.close])
        guard case .registrationAccepted(TestRuntime.alice, _)? = late.takeCommands().first?.first else {
            Issue.record("the late registration was not accepted")
            return
        }
        try await runtime.shutdown()
    }
}
