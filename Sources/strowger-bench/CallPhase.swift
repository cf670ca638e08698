import NIOCore
import SkinnyPhone
import SkinnyWire

/// Places calls between idle registered phones at a paced rate: off-hook, dial tone, dial, callee rings, answer,
/// media on both sides, hold, hang up, both idle.
struct CallPhase: Sendable {
    let callsPerSecond: Double
    let duration: Duration
    let hold: Duration
    let stepTimeout: Duration
    /// Wait for RTP packets on both sides rather than StartMediaTransmission.
    let rtp: Bool

    /// Starts calls for `duration`, then waits until every call has ended (bounded by hold + the step timeouts).
    /// Returns the seconds over which calls were started.
    func run(into run: LoadRun) async -> Double {
        let total = Int((self.callsPerSecond * self.duration.seconds).rounded())
        let tick = Duration.milliseconds(max(1, min(10, Int64(1000 / self.callsPerSecond))))
        let clock = ContinuousClock()
        let start = clock.now
        var window = 0.0
        await withDiscardingTaskGroup { group in
            var started = 0
            var ticks: Int64 = 0
            while started < total {
                ticks += 1
                let elapsed = Double(ticks) * tick.seconds
                let due = min(total, Int((elapsed * self.callsPerSecond).rounded(.down)) + 1)
                while started < due {
                    started += 1
                    guard let pair = await run.takePair() else { continue }
                    group.addTask { await self.call(pair.caller, pair.callee, run: run) }
                }
                if started < total {
                    try? await clock.sleep(until: start.advanced(by: tick * Int(ticks)), tolerance: .zero)
                }
            }
            window = (clock.now - start).seconds
        }
        return max(window, self.duration.seconds)
    }

    private enum Step: String {
        case offHook = "dial tone"
        case ring = "callee ringing"
        case media = "media"
        case clear = "clearing"
    }

    private func call(_ callerIndex: Int, _ calleeIndex: Int, run: LoadRun) async {
        guard let caller = await run.member(callerIndex), let callee = await run.member(calleeIndex),
            let number = callee.number
        else {
            await run.callEnded(failure: "no such phone", returning: [])
            return
        }
        var step = Step.offHook
        var mediaUp = false
        do {
            let timeout = self.stepTimeout
            let offHookAt = NIODeadline.now()
            try await caller.phone.offHook()
            let callerCall = try await caller.phone.waitForState("dial tone", timeout: timeout) { state in
                state.activeCall.flatMap { $0.state == .offHook ? $0.callReference : nil }
            }
            step = .ring
            let dialedAt = NIODeadline.now()
            try await caller.phone.dial(number)
            // The time is read on the callee's event loop when RingIn lands, not when this task resumes.
            let (calleeCall, rangAt) = try await callee.phone.waitForState("RingIn", timeout: timeout) { state in
                state.ringingCall.map { ($0.callReference, NIODeadline.now()) }
            }
            await run.callRang(setupLatency: rangAt - offHookAt, dialToRinging: rangAt - dialedAt)
            step = .media
            let answeredAt = NIODeadline.now()
            try await callee.phone.answer()
            let rtp = self.rtp
            async let callerMedia = caller.phone.waitForState("media", timeout: timeout) { state in
                Self.mediaStarted(state.calls[callerCall], rtp: rtp) ? NIODeadline.now() : nil
            }
            async let calleeMedia = callee.phone.waitForState("media", timeout: timeout) { state in
                Self.mediaStarted(state.calls[calleeCall], rtp: rtp) ? NIODeadline.now() : nil
            }
            let callerAt = try await callerMedia
            let calleeAt = try await calleeMedia
            await run.callMediaStarted(latency: max(callerAt, calleeAt) - answeredAt)
            mediaUp = true
            step = .clear
            try await Task.sleep(for: self.hold)
            try await caller.phone.onHook()
            try await callee.phone.waitForIdle(timeout: timeout)
            try await caller.phone.waitForIdle(timeout: timeout)
            await run.callCleared()
            await run.callEnded(failure: nil, returning: [callerIndex, calleeIndex])
        } catch {
            if mediaUp { await run.callCleared() }
            let reusable = await recoverPhones([caller.phone, callee.phone])
            var back: [Int] = []
            if reusable[0] { back.append(callerIndex) }
            if reusable[1] { back.append(calleeIndex) }
            await run.callEnded(failure: failureReason(error, step: step.rawValue), returning: back)
        }
    }

    /// Whether a call's media is up: StartMediaTransmission arrived (and, with RTP, a packet came in).
    private static func mediaStarted(_ call: SkinnyPhone.Call?, rtp: Bool) -> Bool {
        guard let call, call.transmittingTo != nil else { return false }
        return !rtp || call.rtpPacketsReceived > 0
    }
}

/// After a failed call: hang up whatever is left on each phone; a phone is reusable if it ends up idle.
func recoverPhones(_ phones: [SkinnyPhone]) async -> [Bool] {
    var reusable: [Bool] = []
    for phone in phones {
        guard phone.channel.isActive else {
            reusable.append(false)
            continue
        }
        do {
            for _ in 0..<4 {
                let state = try await phone.state()
                if state.calls.isEmpty { break }
                if state.activeCall != nil {
                    try await phone.onHook()
                } else if let call = state.calls.values.first {
                    try await phone.softKey(.endCall, line: call.lineInstance, call: call.callReference)
                }
                try? await phone.waitForIdle(timeout: .seconds(2))
            }
            reusable.append(try await phone.state().calls.isEmpty)
        } catch {
            reusable.append(false)
        }
    }
    return reusable
}
