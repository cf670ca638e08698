import ArgumentParser
import NIOCore
import NIOPosix
import SkinnyPhone
import SkinnyWire

/// One run: the event-loop group, the phones' configuration, the registration phase, whatever the command does
/// next, the report.
struct BenchRun: Sendable {
    let options: PhoneOptions
    let command: String
    let rtp: Bool
    let host: String
    let port: Int

    init(options: PhoneOptions, command: String, rtp: Bool) throws {
        self.options = options
        self.command = command
        self.rtp = rtp
        guard let server = options.parsedServer else { throw ValidationError("--server must be HOST:PORT") }
        guard options.server.count == 1 else {
            throw ValidationError("--server once for \(command): a CallManager list is for strowger-bench failover")
        }
        self.host = server.host
        self.port = server.port
    }

    /// Registers the phones, runs `hold` (returns seconds held) and `calls`, prints the table, writes the JSON.
    func execute(
        hold: @escaping @Sendable (LoadRun, Monitor) async throws -> Double,
        calls: @escaping @Sendable (LoadRun, Monitor) async throws -> CallsOutcome?
    ) async throws {
        let options = self.options
        let loadAverageStart = BenchResult.Machine.loadAverage()
        // One socket per phone, one more per phone with RTP, some to spare; warn only when even the few
        // descriptors the process needs besides the phones' sockets (event loops, /proc reads) are not left.
        let sockets = options.phones * (self.rtp ? 2 : 1)
        let limit = ResourceLimits.raiseFileDescriptorLimit(to: sockets + 1024)
        let needed = sockets + 32
        if limit < needed {
            printError("strowger-bench: warning: only \(limit) file descriptors allowed, \(needed) wanted (ulimit -n)")
        }
        // Each source address has the whole ephemeral range to itself.
        let sources = options.localAddresses?.count ?? 1
        if let ports = ResourceLimits.ephemeralPortRange(), ports.count * sources < options.phones {
            printError(
                "strowger-bench: warning: \(options.phones) phones but only \(ports.count) ephemeral ports (\(ports))"
                    + " on each of \(sources) source address(es)"
            )
        }
        if let pid = options.serverPID, !ProcessSampler(pid: pid).exists {
            throw ValidationError("--server-pid \(pid): no such process")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads ?? System.coreCount)
        let run = LoadRun(phones: options.phones)
        let monitor = Monitor(run: run, serverPID: options.serverPID, interval: options.progressInterval)
        let registration = self.registrationPhase(group: group)

        let outcome: (held: Double, calls: CallsOutcome?) = try await withThrowingTaskGroup(
            of: Void.self,
            returning: (Double, CallsOutcome?).self
        ) { tasks in
            tasks.addTask { await monitor.report() }
            await monitor.startPhase("register")
            await registration.run(into: run)
            let held = try await hold(run, monitor)
            let callsOutcome = try await calls(run, monitor)
            await monitor.finish()
            tasks.cancelAll()
            return (held, callsOutcome)
        }

        // Keepalive counts, then close every phone.
        let members = await run.allMembers()
        var keepalivesSent = 0
        var keepaliveAcks = 0
        for member in members {
            if let state = try? await member.phone.state() {
                keepalivesSent += state.keepAlivesSent
                keepaliveAcks += state.keepAliveAcks
            }
        }
        let lost = await run.lostPhones()
        for member in members {
            member.phone.channel.close(promise: nil)
        }
        try? await group.shutdownGracefully()

        let result = await self.result(
            run: run,
            monitor: monitor,
            outcome: outcome,
            lost: lost,
            keepalives: (keepalivesSent, keepaliveAcks),
            loadAverageStart: loadAverageStart
        )
        try conclude(table: result.table, problems: result.failureSummary, options: options) { path in
            try result.writeJSON(to: path)
        }
    }

    private func registrationPhase(group: any EventLoopGroup) -> RegistrationPhase {
        let options = self.options
        return RegistrationPhase(
            host: self.host,
            port: self.port,
            phones: options.phones,
            rate: options.rate,
            pattern: DevicePattern(options.devicePattern) ?? DevicePattern("SEP%012d")!,
            deviceOffset: options.deviceOffset,
            numberRange: options.numberRange,
            configuration: options.phoneConfiguration(rtp: self.rtp),
            registerTimeout: .seconds(options.registerTimeout),
            maxInFlight: options.maxInFlight,
            group: group
        )
    }

    private func result(
        run: LoadRun,
        monitor: Monitor,
        outcome: (held: Double, calls: CallsOutcome?),
        lost: Int,
        keepalives: (sent: Int, acks: Int),
        loadAverageStart: String
    ) async -> BenchResult {
        let options = self.options
        let registered = await run.registered
        let registrationSeconds = await run.registrationSeconds
        var result = BenchResult(
            label: options.label,
            command: self.command,
            server: options.serverText,
            phones: options.phones,
            rate: options.rate,
            protocolVersion: options.protocolVersion,
            model: options.model,
            keepaliveSeconds: options.keepalive,
            sourceAddresses: options.localAddresses?.count ?? 1,
            machine: .current(loadAverageStart: loadAverageStart),
            registered: registered,
            registrationFailed: await run.registrationFailures.total,
            registrationFailures: await run.registrationFailures.sorted,
            registrationsPerSecond: registrationSeconds.map { $0 > 0 ? Double(registered) / $0 : 0 } ?? 0,
            secondsToRegisterAll: registered == options.phones ? registrationSeconds : nil,
            registrationLatencyMs: await run.registrationLatency.summary,
            heldSeconds: outcome.held,
            stillRegistered: registered - lost,
            lost: lost,
            keepalivesSent: keepalives.sent,
            keepaliveAcks: keepalives.acks,
            resources: await monitor.phases
        )
        if let usage = result.resources["register"], registered > 0 {
            result.serverCpuMsPerRegistration = usage.server.map { $0.cpuSeconds * 1000 / Double(registered) }
            result.benchCpuMsPerRegistration = usage.bench.cpuSeconds * 1000 / Double(registered)
        }
        if let calls = outcome.calls {
            let attempted = await run.callsAttempted
            let completed = await run.callsCompleted
            result.offeredCallsPerSecond = calls.offered
            result.callDurationSeconds = calls.duration
            result.holdSeconds = calls.hold
            result.attempted = attempted
            result.completed = completed
            result.failed = await run.callFailures.total
            result.notAttemptedNoIdlePhones = await run.callsSkipped
            result.completedPercent = attempted > 0 ? Double(completed) / Double(attempted) * 100 : 0
            result.callsPerSecond = calls.window > 0 ? Double(await run.callsSetUp) / calls.window : 0
            result.setupLatencyMs = await run.setupLatency.summary
            result.answerToMediaMs = await run.mediaLatency.summary
            result.dialToRingingMs = await run.dialLatency.summary
            result.callFailures = await run.callFailures.sorted
            if let answerDelay = calls.answerDelay {
                result.answerDelaySeconds = answerDelay
                result.answered = await run.callsSetUp
                result.peakCallsInProgress = await run.peakCallsInFlight
            }
            if let usage = result.resources[calls.phase], attempted > 0 {
                result.serverCpuMsPerCall = usage.server.map { $0.cpuSeconds * 1000 / Double(attempted) }
                result.benchCpuMsPerCall = usage.bench.cpuSeconds * 1000 / Double(attempted)
            }
        }
        return result
    }
}
