import CallControl
import NIOCore
import NIOEmbedded
import Testing

@testable import CallRuntime

/// The core's timers run on the runtime's loop: each fires after its duration (on the test loop's clock, never a real
/// sleep), goes back to the core as `timerFired`, and is forgotten when it fires or is cancelled.
@Suite("Timers")
struct TimerTests {
    /// Timers the runtime has scheduled and not yet seen fire or cancelled.
    static func scheduledTimers(_ runtime: TestRuntime) async throws -> Int {
        let host = runtime.host
        return try await runtime.loop.executeInContext { host.state.value.timers.count }
    }

    @Test func aTimerFiresAfterItsDurationAndGoesBackToTheCore() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        await runtime.register(TestRuntime.alice, on: alice)
        // Off-hook with no digit: the core starts its off-hook timer (15 s by default).
        await runtime.send(.offHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        _ = alice.take()
        guard let (id, deadline) = runtime.twin.nextTimer, runtime.twin.timers.count == 1 else {
            Issue.record("expected one timer, the core started \(runtime.twin.timers)")
            return
        }
        #expect(try await Self.scheduledTimers(runtime) == 1)

        await runtime.loop.advanceTime(by: TimeAmount(deadline) - .nanoseconds(1))
        #expect(alice.take().isEmpty)
        await runtime.loop.advanceTime(by: .nanoseconds(1))
        let expected = runtime.twin.handle(.timerFired(id))[.device(TestRuntime.alice)]
        #expect(expected != nil)
        #expect(alice.takeCommands() == [expected ?? []])
        // The fired timer is forgotten; what the expiry started (the failed call's tone timer) is scheduled.
        #expect(try await Self.scheduledTimers(runtime) == runtime.twin.timers.count)
        try await runtime.shutdown()
    }

    @Test func aCancelledTimerIsForgottenAndNeverFires() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        await runtime.register(TestRuntime.alice, on: alice)
        await runtime.send(.offHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        #expect(try await Self.scheduledTimers(runtime) == 1)
        await runtime.send(.onHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        #expect(runtime.twin.timers.isEmpty)
        #expect(try await Self.scheduledTimers(runtime) == 0)
        _ = alice.take()
        await runtime.loop.advanceTime(by: .hours(1))
        #expect(alice.take().isEmpty)
        try await runtime.shutdown()
    }

    /// Follows every timer the core starts, in deadline order, until none is left: each expiry must reach Alice as
    /// the core's commands for it, at its own time and not before.
    @Test func timersStartedByTimersRunToTheEnd() async throws {
        var runtime = TestRuntime()
        let alice = RecordingSession("alice")
        await runtime.register(TestRuntime.alice, on: alice)
        // The first digit of a number (1001) that never comes: the interdigit timer ends dialling, "1" is invalid,
        // and the failed-call timer clears the call.
        await runtime.send(.offHook(TestRuntime.alice, line: nil, call: nil), from: alice)
        await runtime.send(.digit(TestRuntime.alice, line: nil, call: nil, "1"), from: alice)
        _ = alice.take()
        var fired = 0
        while let (id, deadline) = runtime.twin.nextTimer {
            await runtime.loop.advanceTime(by: TimeAmount(deadline - runtime.twin.now) - .nanoseconds(1))
            #expect(alice.take().isEmpty, "\(id) fired early")
            await runtime.loop.advanceTime(by: .nanoseconds(1))
            runtime.twin.now = deadline
            let expected = runtime.twin.handle(.timerFired(id))[.device(TestRuntime.alice)]
            #expect(alice.takeCommands() == (expected.map { [$0] } ?? []), "\(id)")
            fired += 1
        }
        #expect(fired >= 2)
        #expect(try await Self.scheduledTimers(runtime) == 0)
        #expect(try await runtime.host.status().activeCalls == 0)
        try await runtime.shutdown()
    }
}
