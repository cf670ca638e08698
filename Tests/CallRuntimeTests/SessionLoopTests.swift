import CallControl
import CallRuntime
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

/// Sessions that live on an event loop submit through its ``SessionLoop``: a tick's events reach the core in one
/// task, and what the core has for them comes back in one task per loop, on their own loop, in the same order and
/// the same batches as ``CallControlHost/submit(_:from:)`` gives.
@Suite("Session loops")
struct SessionLoopTests {
    /// The runtime's core on one testing loop, the sessions on another (the way SCCP connections are).
    struct TwoLoops {
        var runtime: TestRuntime
        let ioLoop = NIOAsyncTestingEventLoop()
        let sessionLoop: SessionLoop

        init(keepAliveInterval: TimeAmount = .seconds(30)) {
            self.runtime = TestRuntime(keepAliveInterval: keepAliveInterval)
            self.sessionLoop = self.runtime.host.sessionLoop(for: self.ioLoop)
        }

        /// Submits each event from its session on the session loop, all in one tick, and lets both loops run what
        /// that set off.
        func submitInOneTick(_ events: [(CallEvent, RecordingSession)]) async throws {
            let sessionLoop = self.sessionLoop
            let pairs = events
            try await self.ioLoop.submit {
                for (event, session) in pairs {
                    sessionLoop.submit(event, from: session)
                }
            }.get()
            await self.settle()
        }

        /// Runs both loops until neither has anything left (a hop each way and back).
        func settle() async {
            for _ in 0..<4 {
                await self.ioLoop.run()
                await self.runtime.loop.run()
            }
        }

        mutating func register(_ device: DeviceName, on session: RecordingSession) async throws {
            try await self.submitInOneTick([(.deviceRegistered(device, .unknown), session)])
            _ = self.runtime.twin.handle(.deviceRegistered(device, .unknown))
            _ = session.take()
        }

        func shutdown() async throws {
            try await self.runtime.shutdown()
            await self.ioLoop.shutdownGracefully()
        }
    }

    @Test func theSessionsOfALoopGetTheirCommandsOnThatLoopInTheCoresBatches() async throws {
        var loops = TwoLoops()
        let alice = RecordingSession("alice", loop: loops.ioLoop)
        let bob = RecordingSession("bob", loop: loops.ioLoop)
        try await loops.register(TestRuntime.alice, on: alice)
        try await loops.register(TestRuntime.bob, on: bob)

        // Alice's whole dialling in one tick of her loop: one hop to the core, one back.
        var events: [(CallEvent, RecordingSession)] = [(.offHook(TestRuntime.alice, line: nil, call: nil), alice)]
        for digit: Character in ["1", "0", "0", "2"] {
            events.append((.digit(TestRuntime.alice, line: nil, call: nil, digit), alice))
        }
        try await loops.submitInOneTick(events)
        var expectedAlice: [[CallCommand]] = []
        var expectedBob: [[CallCommand]] = []
        for (event, _) in events {
            let batches = loops.runtime.twin.handle(event)
            if let batch = batches[.device(TestRuntime.alice)] { expectedAlice.append(batch) }
            if let batch = batches[.device(TestRuntime.bob)] { expectedBob.append(batch) }
        }
        #expect(alice.takeCommands() == expectedAlice)
        #expect(bob.takeCommands() == expectedBob)
        #expect(!expectedBob.isEmpty)
        #expect(alice.deliveriesOffItsLoop == 0 && bob.deliveriesOffItsLoop == 0)
        #expect(try await loops.runtime.host.status().activeCalls == 1)
        try await loops.shutdown()
    }

    @Test func aSessionOnTheCoresOwnLoopIsAnsweredWithoutAHop() async throws {
        var runtime = TestRuntime()
        let sessionLoop = runtime.host.sessionLoop(for: runtime.loop)
        #expect(runtime.host.sessionLoop(for: runtime.loop) === sessionLoop)
        let alice = RecordingSession("alice", loop: runtime.loop)
        try await runtime.loop.submit {
            sessionLoop.submit(.deviceRegistered(TestRuntime.alice, .unknown), from: alice)
        }.get()
        await runtime.loop.run()
        let expected = runtime.twin.handle(.deviceRegistered(TestRuntime.alice, .unknown))
        #expect(alice.takeCommands() == [expected[.device(TestRuntime.alice)] ?? []])
        #expect(alice.deliveriesOffItsLoop == 0)
        try await runtime.shutdown()
    }

    @Test func aRefusedClaimIsAnsweredOnTheClaimantsLoop() async throws {
        // The owner must count as heard however slowly the test runs (take-over reads the real clock).
        var loops = TwoLoops(keepAliveInterval: .hours(1))
        let owner = RecordingSession("owner", loop: loops.ioLoop)
        let newcomer = RecordingSession("newcomer", loop: loops.ioLoop)
        try await loops.register(TestRuntime.alice, on: owner)
        try await loops.submitInOneTick([(.deviceRegistered(TestRuntime.alice, .unknown), newcomer)])
        #expect(newcomer.take() == [.commands([.registrationRejected(TestRuntime.alice, .alreadyRegistered)])])
        #expect(owner.take().isEmpty)
        #expect(newcomer.deliveriesOffItsLoop == 0)
        try await loops.shutdown()
    }

    @Test func aTakenOverSessionIsClosedAfterWhatWasSentToItBefore() async throws {
        var loops = TwoLoops()
        let owner = RecordingSession("owner", loop: loops.ioLoop)
        let newcomer = RecordingSession("newcomer", loop: loops.ioLoop)
        try await loops.register(TestRuntime.alice, on: owner)
        owner.lastHeard = .now() - .seconds(60)
        // In one tick: the owner goes off hook (dial tone is its answer), then a newcomer takes the silent name
        // over. The owner gets its dial tone, then its close, in that order and in the same task.
        try await loops.submitInOneTick([
            (.offHook(TestRuntime.alice, line: nil, call: nil), owner),
            (.deviceRegistered(TestRuntime.alice, .unknown), newcomer),
        ])
        let dialTone = loops.runtime.twin.handle(.offHook(TestRuntime.alice, line: nil, call: nil))
        #expect(owner.take() == [.commands(dialTone[.device(TestRuntime.alice)] ?? []), .close])
        #expect(newcomer.takeCommands().count == 1)
        #expect(try await loops.runtime.host.registeredSessions()[.device(TestRuntime.alice)] === newcomer)
        try await loops.shutdown()
    }

    @Test func workOutsideABatchIsDeliveredOnTheSessionsLoopToo() async throws {
        var loops = TwoLoops()
        let alice = RecordingSession("alice", loop: loops.ioLoop)
        try await loops.register(TestRuntime.alice, on: alice)
        // An administrator's reset comes from the API, not from a session.
        #expect(try await loops.runtime.host.resetDevice(TestRuntime.alice))
        await loops.settle()
        #expect(alice.take() == [.commands([.unregister(TestRuntime.alice, reason: .resetByAdministrator)])])
        #expect(alice.deliveriesOffItsLoop == 0)
        try await loops.shutdown()
    }
}
