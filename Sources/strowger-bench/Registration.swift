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
    func run(into run: LoadRun) async {
        await pace(
            count: self.phones,
            rate: self.rate,
            maxInFlight: self.maxInFlight,
            inFlight: { await run.registrationInFlight },
            start: { index in await self.registerOne(index: index, into: run) }
        )
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

/// Starts `count` tasks at `rate` per second, at most `maxInFlight` under way (as `inFlight` counts them), and returns
/// when all have ended.
///
/// Pacing is a timer tick (every 10 ms, or every 1/rate when slower): at each tick the pacer starts every task that is
/// due since the start, so a late tick catches up instead of drifting. No task sleeps.
func pace(
    count: Int,
    rate: Double,
    maxInFlight: Int,
    inFlight: @escaping @Sendable () async -> Int,
    start: @escaping @Sendable (Int) async -> Void
) async {
    let tick = Duration.milliseconds(max(1, min(10, Int64(1000 / rate))))
    let clock = ContinuousClock()
    let origin = clock.now
    await withDiscardingTaskGroup { group in
        var started = 0
        var ticks: Int64 = 0
        while started < count {
            ticks += 1
            let elapsed = Double(ticks) * tick.seconds
            let due = min(count, Int((elapsed * rate).rounded(.down)) + 1)
            var underWay = await inFlight()
            while started < due, underWay < maxInFlight {
                let index = started
                group.addTask { await start(index) }
                started += 1
                underWay += 1
            }
            if started < count {
                try? await clock.sleep(until: origin.advanced(by: tick * Int(ticks)), tolerance: .zero)
            }
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
