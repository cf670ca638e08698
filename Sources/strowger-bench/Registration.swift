import NIOCore
import NIOPosix
import SkinnyPhone
import SkinnyWire

/// Connects and registers phones at a paced rate.
struct RegistrationPhase: Sendable {
    let host: String
    let port: Int
    let phones: Int
    let rate: Double
    let pattern: DevicePattern
    let deviceOffset: Int
    let numberRange: ClosedRange<Int>?
    /// The configuration of phone `index`, named `name`.
    let configuration: @Sendable (_ name: String, _ index: Int) -> SkinnyPhone.Configuration
    let registerTimeout: Duration
    let maxInFlight: Int
    let group: any EventLoopGroup

    /// Starts `phones` registrations at `rate` per second and returns when every one has succeeded or failed.
    ///
    /// Pacing is a timer tick (every 10 ms, or every 1/rate when slower): at each tick the pacer starts every
    /// phone that is due since the start, so a late tick catches up instead of drifting. No phone sleeps.
    func run(into run: LoadRun) async {
        let tick = Duration.milliseconds(max(1, min(10, Int64(1000 / self.rate))))
        let clock = ContinuousClock()
        let start = clock.now
        await withDiscardingTaskGroup { group in
            var started = 0
            var ticks: Int64 = 0
            while started < self.phones {
                ticks += 1
                let elapsed = Double(ticks) * tick.seconds
                let due = min(self.phones, Int((elapsed * self.rate).rounded(.down)) + 1)
                var inFlight = await run.registrationInFlight
                while started < due, inFlight < self.maxInFlight {
                    let index = started
                    group.addTask { await self.registerOne(index: index, into: run) }
                    started += 1
                    inFlight += 1
                }
                if started < self.phones {
                    try? await clock.sleep(until: start.advanced(by: tick * Int(ticks)), tolerance: .zero)
                }
            }
        }
    }

    private func registerOne(index: Int, into run: LoadRun) async {
        let name = self.pattern.name(self.deviceOffset + index)
        let started = NIODeadline.now()
        await run.registrationStarted(at: started)
        var phone: SkinnyPhone?
        do {
            let connected = try await SkinnyPhone.connect(
                host: self.host,
                port: self.port,
                configuration: self.configuration(name, index),
                group: self.group
            )
            phone = connected
            let registration = try await connected.register(timeout: self.registerTimeout)
            let end = NIODeadline.now()
            let number: String?
            if let range = self.numberRange {
                number = String(range.lowerBound + index)
            } else if let line = registration.lines.first, !line.directoryNumber.isEmpty {
                number = line.directoryNumber
            } else {
                number = nil
            }
            await run.registrationSucceeded(
                index: index,
                member: .init(phone: connected, number: number),
                latency: end - started,
                end: end
            )
        } catch {
            phone?.channel.close(promise: nil)
            await run.registrationFailed(reason: failureReason(error))
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let components = self.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// A short reason for grouping failures: the phone error's code (with the reject text), or the connect error.
func failureReason(_ error: any Error, step: String? = nil) -> String {
    let reason: String
    switch error {
    case let error as SkinnyPhoneError:
        if error.code == .registerRejected {
            reason = "rejected: \(error.text)"
        } else if error.code == .timedOut {
            // "no CallState … within …": keep what was awaited, drop the timing and recent messages.
            let what = error.text.split(separator: " within ").first.map(String.init) ?? error.text
            reason = "timed out: \(what)"
        } else {
            reason = "\(error.code)"
        }
    case let error as ChannelError:
        if case .connectTimeout = error {
            reason = "connect timeout"
        } else {
            reason = "channel: \(error)"
        }
    case let error as IOError:
        reason = "connect: \(error.description)"
    case let error as NIOConnectionError:
        if let first = error.connectionErrors.first {
            reason = "connect: \(first.error)"
        } else {
            reason = "connect: \(error)"
        }
    case is CancellationError:
        reason = "cancelled"
    default:
        reason = "\(error)"
    }
    guard let step else { return reason }
    return "\(step): \(reason)"
}
