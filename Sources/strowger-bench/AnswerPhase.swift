import NIOCore
import SkinnyPhone
import SkinnyWire
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Registered phones that answer the calls they are offered, as a person at each phone would: for load that comes
/// from elsewhere (a SIP trunk driven by SIPp, `scripts/bench-sip`), where the bench places no calls itself.
///
/// Every phone runs one task: wait for RingIn; after `answerDelay`, answer (OffHook on the ringing call, or the
/// Answer soft key with `--model`'s answer mode), which makes the call manager open the phone's receive channel
/// (acknowledged with a made-up port: no RTP) and then start its transmission; count the call answered when
/// StartMediaTransmission arrives; then wait for the far end to hang up (CallState OnHook), or hang up after
/// `hangUpAfter` when given. A call completes when it was answered, media started and the phone went idle; it
/// fails when a step did not happen within `stepTimeout`, when it ended before media started, or when it was still
/// up when the run stopped.
struct AnswerPhase: Sendable {
    /// From RingIn to the answer (a person's reaction; 0 answers at once).
    let answerDelay: Duration
    /// Hang up this long after media started if the far end has not; nil waits for the far end.
    let hangUpAfter: Duration?
    /// How long a call may stay up without `hangUpAfter` before it counts as failed (the far end never hung up).
    let maximumCall: Duration
    /// How long the answer may take to bring media up, and the hang-up to bring the phone back to idle.
    let stepTimeout: Duration

    /// Answers on every registered phone until `stop` finishes (the run's duration or a signal), then waits at
    /// most `stepTimeout` for calls still up to end, and stops the phones' tasks. Returns the seconds answered.
    func run(into run: LoadRun, until stop: @escaping @Sendable () async -> Void) async -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let members = await run.allMembers()
        await withTaskGroup(of: Void.self) { group in
            for member in members {
                group.addTask { await self.answerCalls(on: member.phone, run: run) }
            }
            await stop()
            // Let calls still up finish their last step (a late BYE) rather than cut them off.
            let deadline = clock.now.advanced(by: self.stepTimeout)
            while await run.callsInFlight > 0, clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            group.cancelAll()
        }
        return (clock.now - start).seconds
    }

    /// What one wait on a call saw.
    private enum Progress: Sendable {
        case reached(NIODeadline)
        /// The call left the phone (OnHook) before the step happened.
        case ended
    }

    private func answerCalls(on phone: SkinnyPhone, run: LoadRun) async {
        while !Task.isCancelled, phone.channel.isActive {
            let ringing: UInt32
            do {
                ringing = try await phone.waitForState("RingIn", timeout: .seconds(3600)) { state in
                    state.ringingCall?.callReference
                }
            } catch {
                // Cancelled (the run stops), the hour passed, or the connection closed (the loop ends on it).
                if !Task.isCancelled, phone.channel.isActive { try? await Task.sleep(for: .milliseconds(100)) }
                continue
            }
            await run.inboundCallRang()
            var step = "answer"
            var mediaUp = false
            do {
                if self.answerDelay > .zero { try await Task.sleep(for: self.answerDelay) }
                let answeredAt = NIODeadline.now()
                try await phone.answer()
                step = "media"
                let media = try await phone.waitForState("media", timeout: self.stepTimeout) { state in
                    Self.progress(of: state.calls[ringing]) { $0.transmittingTo != nil }
                }
                guard case .reached(let mediaAt) = media else {
                    throw AnswerError.endedBeforeMedia
                }
                await run.callMediaStarted(latency: mediaAt - answeredAt)
                mediaUp = true
                step = "far end hang-up"
                let ended: Void? = try? await phone.waitForState(
                    "the far end to hang up",
                    timeout: self.hangUpAfter ?? self.maximumCall
                ) { state in
                    state.calls[ringing] == nil ? () : nil
                }
                if ended == nil {
                    guard phone.channel.isActive else { throw AnswerError.connectionLost }
                    guard self.hangUpAfter != nil, !Task.isCancelled else { throw AnswerError.stillUp }
                    step = "clearing"
                    try await phone.onHook()
                    try await phone.waitForState("idle", timeout: self.stepTimeout) { state in
                        state.calls[ringing] == nil ? () : nil
                    }
                }
                await run.callCleared()
                await run.callEnded(failure: nil, returning: [])
            } catch {
                if mediaUp { await run.callCleared() }
                let reason: String
                if Task.isCancelled {
                    reason = "\(step): still up when the run stopped"
                } else if let error = error as? AnswerError {
                    reason = "\(step): \(error.rawValue)"
                } else {
                    reason = failureReason(error, step: step)
                }
                await run.callEnded(failure: reason, returning: [])
                if !Task.isCancelled { _ = await recoverPhones([phone]) }
            }
        }
    }

    /// `.reached(now)` once `reached` holds for the call, `.ended` once the call is gone, nil while neither.
    private static func progress(
        of call: SkinnyPhone.Call?,
        _ reached: (SkinnyPhone.Call) -> Bool
    ) -> Progress? {
        guard let call else { return .ended }
        return reached(call) ? .reached(.now()) : nil
    }

    private enum AnswerError: String, Error {
        case endedBeforeMedia = "the call ended before media started"
        case stillUp = "the far end did not hang up"
        case connectionLost = "the phone's connection closed"
    }
}

/// Set by the SIGTERM and SIGINT handler (an atomic store is all a signal handler may safely do).
private let stopRequested = Atomic<Bool>(false)

/// SIGTERM or SIGINT, caught from the moment this is made: a run that ends when the load generator driving it is
/// done (`scripts/bench-sip` stops the answering phones once SIPp has finished) reports instead of dying.
struct StopSignal: Sendable {
    init() {
        for number in [SIGTERM, SIGINT] {
            signal(number) { _ in stopRequested.store(true, ordering: .relaxed) }
        }
    }

    /// Returns when SIGTERM or SIGINT has arrived (at once if one came before), or when the task is cancelled.
    func wait() async {
        while !stopRequested.load(ordering: .relaxed) {
            do { try await Task.sleep(for: .milliseconds(100)) } catch { return }
        }
    }
}
