import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import SkinnyPhone

/// `strowger-bench failover`: the re-homing storm after a node of a CallManager group dies (issue 19 item 4).
struct FailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Register N phones with a CallManager list, stop the first node, time the re-homing storm.",
        discussion: """
            Each phone is a FailoverPhone (docs/skinnyphone.md) with the --server list, primary first: it registers \
            on the first, keeps a standby connection to the second that gets only KeepAlives, and when the first is \
            lost (its connection closes, or three KeepAlives go unanswered) registers on the standby, else on the \
            next in the list. Once every phone is registered on the first server with its standby open, and \
            --settle seconds later, the bench sends --signal to --kill-pid (the first server's process), or, \
            without it, waits for the node to be stopped some other way. It reports when the stop was, how long \
            each phone took from it to its registration elsewhere (p50/p90/p99/max), the time until every phone \
            was registered again, the phones that were not within --failover-timeout, and whether each kept its \
            number. --server-pid should be the node that takes the phones: its CPU and memory are then sampled \
            through the storm. Any phone that does not register at first, or not again, exits 1.
            """
    )

    @OptionGroup var options: PhoneOptions

    @Option(
        name: .customLong("kill-pid"),
        help:
            "The first server's pid: it gets --signal once the phones are registered (default: the bench waits for the node to stop, and times from the first phone that notices)."
    )
    var killPID: Int32?

    @Option(
        help:
            "KILL (a crash: the kernel closes the node's connections at once), TERM (a shutdown) or STOP (a hung node or a dead host: nothing is closed and the phones notice after three unanswered KeepAlives; the bench sends CONT at the end)."
    )
    var signal: String = "KILL"

    @Option(name: .customLong("failover-timeout"), help: "Seconds every phone has, from the stop, to register again.")
    var failoverTimeout: Double = 60

    @Option(help: "Seconds between the last standby connection opening and the stop.")
    var settle: Double = 2

    @Option(name: .customLong("wait-for-stop"), help: "Without --kill-pid: seconds to wait for the node to stop.")
    var waitForStop: Double = 600

    @Option(
        name: .customLong("fallback-probe"),
        help: "Seconds between a phone's probes of the call managers above the one it is on (re-homing; 60 as a phone)."
    )
    var fallbackProbe: Double = 60

    /// The signal number for `--signal`.
    var signalNumber: Int32? {
        switch self.signal.uppercased().replacingOccurrences(of: "SIG", with: "") {
        case "KILL": SIGKILL
        case "TERM": SIGTERM
        case "STOP": SIGSTOP
        default: nil
        }
    }

    func validate() throws {
        guard self.options.server.count >= 2 else {
            throw ValidationError("give the CallManager list: --server twice or three times, primary first")
        }
        guard self.signalNumber != nil else { throw ValidationError("--signal must be KILL, TERM or STOP") }
        guard self.failoverTimeout > 0, self.failoverTimeout <= 3600, (0...3600).contains(self.settle),
            self.waitForStop > 0, self.waitForStop <= 86_400
        else {
            throw ValidationError(
                "--failover-timeout must be above 0 and at most 3600, --settle 0...3600, --wait-for-stop above 0"
            )
        }
        guard self.fallbackProbe >= 0.1, self.fallbackProbe <= 3600 else {
            throw ValidationError("--fallback-probe must be 0.1...3600")
        }
        if let killPID, killPID <= 1 { throw ValidationError("--kill-pid must be a server's pid") }
    }

    func run() async throws {
        let options = self.options
        guard let servers = options.parsedServers, let signal = self.signalNumber else {
            throw ValidationError("--server must be HOST:PORT")
        }
        if let pid = self.killPID, !ProcessSampler(pid: pid).exists {
            throw ValidationError("--kill-pid \(pid): no such process")
        }
        if let pid = options.serverPID, !ProcessSampler(pid: pid).exists {
            throw ValidationError("--server-pid \(pid): no such process")
        }
        let loadAverageStart = BenchResult.Machine.loadAverage()
        // Two sockets per phone: the registered connection and the standby.
        let sockets = options.phones * 2
        let limit = ResourceLimits.raiseFileDescriptorLimit(to: sockets + 1024)
        if limit < sockets + 32 {
            printError("strowger-bench: warning: only \(limit) file descriptors allowed, \(sockets + 32) wanted")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads ?? System.coreCount)
        let run = LoadRun(phones: options.phones)
        let fleet = FailoverFleet(phones: options.phones)
        let monitor = Monitor(run: run, serverPID: options.serverPID, interval: options.progressInterval)
        let storm = FailoverStorm(
            callManagers: servers.map { FailoverPhone.CallManager(host: $0.host, port: $0.port) },
            policy: FailoverPhone.Policy(
                fallbackProbeInterval: .milliseconds(Int64(self.fallbackProbe * 1000)),
                registerTimeout: .seconds(options.registerTimeout)
            ),
            configuration: options.phoneConfiguration(rtp: false),
            pattern: DevicePattern(options.devicePattern) ?? DevicePattern("SEP%012d")!,
            deviceOffset: options.deviceOffset,
            numberRange: options.numberRange,
            group: group
        )

        var result = try await withThrowingTaskGroup(of: Void.self, returning: FailoverResult.self) { tasks in
            tasks.addTask { await monitor.report() }
            await monitor.startPhase("register")
            await pace(
                count: options.phones,
                rate: options.rate,
                maxInFlight: options.maxInFlight,
                inFlight: { await run.registrationInFlight },
                start: { index in await storm.registerOne(index: index, run: run, fleet: fleet) }
            )
            let registeredAll = await run.registrationSeconds
            let registered = await fleet.phones()
            await monitor.showProgress {
                ["standby \(await FailoverFleet.standbyCount(registered))/\(registered.count)"]
            }
            await monitor.startPhase("settle")
            let standby = await storm.waitForStandby(registered, timeout: .seconds(30))
            if self.settle > 0 { try? await Task.sleep(for: .seconds(self.settle)) }

            let stop: FailoverStorm.Stop
            if let pid = self.killPID {
                stop = .signal(signal, pid: pid, at: .now)
                guard kill(pid, signal) == 0 else {
                    throw ValidationError("--kill-pid \(pid): kill failed, errno \(errno)")
                }
            } else {
                printError(
                    "strowger-bench: \(registered.count) phones registered on \(options.server[0]), standby on"
                        + " \(options.server[1]); waiting up to \(format(self.waitForStop, decimals: 0)) s for it to stop"
                )
                stop = .external(
                    firstLossNoticed: try await storm.waitForFirstLoss(registered, timeout: self.waitForStop)
                )
            }
            let progress = StormProgress()
            await monitor.showProgress {
                let (done, looking) = await progress.counts()
                return ["re-registered \(done)/\(registered.count)", "looking \(looking)"]
            }
            await monitor.startPhase("failover")
            let outcome = await storm.waitForReRegistration(
                registered,
                from: stop.instant,
                timeout: .seconds(self.failoverTimeout),
                progress: progress
            )
            await monitor.finish()
            tasks.cancelAll()
            if case .signal(SIGSTOP, let pid, _) = stop { kill(pid, SIGCONT) }

            return FailoverResult(
                label: options.label,
                servers: options.server,
                phones: options.phones,
                rate: options.rate,
                protocolVersion: options.protocolVersion,
                model: options.model,
                keepaliveSeconds: options.keepalive,
                sourceAddresses: options.localAddresses?.count ?? 1,
                machine: .current(loadAverageStart: loadAverageStart),
                registered: registered.count,
                registrationFailures: await run.registrationFailures.sorted,
                secondsToRegisterAll: registered.count == options.phones ? registeredAll : nil,
                registrationLatencyMs: await run.registrationLatency.summary,
                standbyConnections: standby,
                stop: stop.text,
                settleSeconds: self.settle,
                outcome: outcome,
                resources: await monitor.phases
            )
        }
        await withDiscardingTaskGroup { tasks in
            for member in await fleet.phones() { tasks.addTask { await member.phone.stop() } }
        }
        try? await group.shutdownGracefully()
        if let usage = result.resources["failover"], result.outcome.reRegistered > 0 {
            let count = Double(result.outcome.reRegistered)
            result.serverCpuMsPerReRegistration = usage.server.map { $0.cpuSeconds * 1000 / count }
            result.benchCpuMsPerReRegistration = usage.bench.cpuSeconds * 1000 / count
        }
        try conclude(table: result.table, problems: result.failureSummary, options: options) { path in
            try writeResultJSON(result, to: path)
        }
    }
}

/// The registered failover phones, by index.
actor FailoverFleet {
    struct Member: Sendable {
        let index: Int
        let phone: FailoverPhone
        /// The number the first registration gave the phone (its first line), if any.
        let number: String?
    }

    private var members: [Member?]

    init(phones: Int) {
        self.members = Array(repeating: nil, count: phones)
    }

    func add(_ member: Member) {
        self.members[member.index] = member
    }

    func phones() -> [Member] { self.members.compactMap { $0 } }

    /// How many of `members` have a standby connection open (for the progress line).
    static func standbyCount(_ members: [Member]) async -> Int {
        var count = 0
        for member in members where await member.phone.status().standby != nil { count += 1 }
        return count
    }
}

/// How many phones of the storm are registered again, and how many are still looking, for the progress line.
actor StormProgress {
    private var done = 0
    private var looking = 0

    func update(done: Int, looking: Int) {
        self.done = done
        self.looking = looking
    }

    func counts() -> (done: Int, looking: Int) { (self.done, self.looking) }
}

/// The phases of a failover run: registering the failover phones, waiting for their standby connections and the
/// stop, and watching them register again.
struct FailoverStorm: Sendable {
    /// How the first node stopped, and the instant the storm is timed from.
    enum Stop: Sendable {
        /// The bench sent `signal` to `pid` at `at`.
        case signal(Int32, pid: Int32, at: ContinuousClock.Instant)
        /// Something else stopped the node; the first phone noticed at `firstLossNoticed`.
        case external(firstLossNoticed: ContinuousClock.Instant)

        var instant: ContinuousClock.Instant {
            switch self {
            case .signal(_, _, let at): at
            case .external(let noticed): noticed
            }
        }

        var text: String {
            switch self {
            case .signal(let signal, let pid, _):
                let name = [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGSTOP: "SIGSTOP"][signal] ?? "signal \(signal)"
                return "\(name) to pid \(pid)"
            case .external:
                return "external (timed from the first phone that noticed)"
            }
        }
    }

    let callManagers: [FailoverPhone.CallManager]
    let policy: FailoverPhone.Policy
    let configuration: @Sendable (_ name: String, _ index: Int) -> SkinnyPhone.Configuration
    let pattern: DevicePattern
    let deviceOffset: Int
    let numberRange: ClosedRange<Int>?
    let group: any EventLoopGroup

    /// Starts phone `index` and records it: registered on the first call manager, or a failure.
    func registerOne(index: Int, run: LoadRun, fleet: FailoverFleet) async {
        let name = self.pattern.name(self.deviceOffset + index)
        let started = NIODeadline.now()
        await run.registrationStarted(at: started)
        let phone: FailoverPhone
        do {
            phone = try await FailoverPhone.start(
                callManagers: self.callManagers,
                configuration: self.configuration(name, index),
                policy: self.policy,
                group: self.group
            )
        } catch {
            await run.registrationFailed(reason: failureReason(error))
            return
        }
        let end = NIODeadline.now()
        let status = await phone.status()
        guard status.registered == 0, let connection = try? await phone.phone(),
            let registration = try? await connection.state().registration
        else {
            let location = status.registered.map { "\(self.callManagers[$0])" } ?? "nowhere"
            await run.registrationFailed(reason: "registered on \(location), not the first call manager")
            await phone.stop()
            return
        }
        let number = registration.lines.first.map(\.directoryNumber).flatMap { $0.isEmpty ? nil : $0 }
        await run.registrationSucceeded(
            index: index,
            member: .init(phone: connection, number: self.numberRange.map { String($0.lowerBound + index) } ?? number),
            latency: end - started,
            end: end
        )
        await fleet.add(.init(index: index, phone: phone, number: number))
    }

    /// Waits until every phone has its standby connection (or `timeout`); how many have one.
    func waitForStandby(_ members: [FailoverFleet.Member], timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var count = await FailoverFleet.standbyCount(members)
        while count < members.count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(250))
            count = await FailoverFleet.standbyCount(members)
        }
        return count
    }

    /// Waits until some phone has lost its call manager; when it noticed.
    func waitForFirstLoss(_ members: [FailoverFleet.Member], timeout: Double) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(timeout * 1000)))
        while ContinuousClock.now < deadline {
            var first: ContinuousClock.Instant?
            for member in members {
                if let lost = await member.phone.status().lostAt { first = min(first ?? lost, lost) }
            }
            if let first { return first }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("no phone lost its call manager within \(format(timeout, decimals: 0)) s")
    }

    /// Watches the phones until each is registered again after a failover (or `timeout` from `stop` passes), every
    /// 250 ms (each phone's own timestamps make the figures; the poll only decides when to stop looking), then
    /// measures.
    func waitForReRegistration(
        _ members: [FailoverFleet.Member],
        from stop: ContinuousClock.Instant,
        timeout: Duration,
        progress: StormProgress
    ) async -> FailoverOutcome {
        let deadline = stop.advanced(by: timeout)
        var pending = members
        while !pending.isEmpty, ContinuousClock.now < deadline {
            var still: [FailoverFleet.Member] = []
            var looking = 0
            for member in pending {
                let status = await member.phone.status()
                if status.failovers > 0, status.registered != nil { continue }
                still.append(member)
                if status.registered == nil { looking += 1 }
            }
            pending = still
            await progress.update(done: members.count - pending.count, looking: looking)
            if !pending.isEmpty { try? await Task.sleep(for: .milliseconds(250)) }
        }
        return await self.measure(members, from: stop)
    }

    private func measure(_ members: [FailoverFleet.Member], from stop: ContinuousClock.Instant) async -> FailoverOutcome
    {
        var outage = LatencyHistogram()
        var detection = LatencyHistogram()
        var reRegistration = LatencyHistogram()
        var failures = ReasonCounts()
        var on: [String: Int] = [:]
        var kept = 0
        var changed = 0
        var last: ContinuousClock.Instant?
        var repeated = 0
        for member in members {
            let status = await member.phone.status()
            guard status.failovers > 0, let index = status.registered, let registeredAt = status.registeredAt else {
                failures.add(
                    status.failovers == 0
                        ? "never lost \(self.callManagers[0])" : "not registered again (still looking)"
                )
                continue
            }
            on["\(self.callManagers[index])", default: 0] += 1
            if status.failovers > 1 { repeated += 1 }
            last = max(last ?? registeredAt, registeredAt)
            outage.record(nanoseconds: Self.nanoseconds(registeredAt - stop))
            if let lostAt = status.lostAt {
                detection.record(nanoseconds: Self.nanoseconds(lostAt - stop))
                reRegistration.record(nanoseconds: Self.nanoseconds(registeredAt - lostAt))
            }
            let number = try? await member.phone.phone().state().registration?.lines.first?.directoryNumber
            if number == member.number { kept += 1 } else { changed += 1 }
        }
        let reRegistered = members.count - failures.total
        return FailoverOutcome(
            reRegistered: reRegistered,
            notReRegistered: failures.total,
            failures: failures.sorted,
            registeredOn: on,
            secondsToReRegisterAll: failures.total == 0 ? last.map { Self.seconds($0 - stop) } : nil,
            outageMs: outage.summary,
            detectionMs: detection.summary,
            reRegistrationMs: reRegistration.summary,
            numbersKept: kept,
            numbersChanged: changed,
            repeatedFailovers: repeated
        )
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    static func seconds(_ duration: Duration) -> Double { Double(Self.nanoseconds(duration)) / 1e9 }
}

/// What the storm measured.
struct FailoverOutcome: Sendable, Codable {
    /// Phones registered again (after a failover) by the end.
    var reRegistered: Int
    var notReRegistered: Int
    var failures: [ReasonCount]
    /// Where the phones registered again: "HOST:PORT" → phones.
    var registeredOn: [String: Int]
    /// From the stop to the last phone registered again; nil unless every phone was.
    var secondsToReRegisterAll: Double?
    /// Per phone, from the stop to its registration elsewhere: what its user waits.
    var outageMs: LatencySummary?
    /// Per phone, from the stop to the phone noticing (its connection closed, or the third KeepAlive unanswered).
    var detectionMs: LatencySummary?
    /// Per phone, from noticing to registered again.
    var reRegistrationMs: LatencySummary?
    /// Phones whose first line has the number it had before (both nodes hold the same configuration).
    var numbersKept: Int
    var numbersChanged: Int
    /// Phones that failed over more than once: the call manager they moved to was lost too, or seemed to be.
    var repeatedFailovers: Int
}

/// A failover run's results, printed as a table and written with `--json` (keys in snake_case).
struct FailoverResult: Sendable, Codable {
    var label: String?
    var command = "failover"
    var servers: [String]
    var phones: Int
    var rate: Double
    var protocolVersion: UInt8
    var model: String
    var keepaliveSeconds: Int?
    var sourceAddresses: Int
    var machine: BenchResult.Machine
    var registered: Int
    var registrationFailures: [ReasonCount]
    var secondsToRegisterAll: Double?
    var registrationLatencyMs: LatencySummary?
    /// Phones with their standby connection open when the first node was stopped.
    var standbyConnections: Int
    var stop: String
    var settleSeconds: Double
    var outcome: FailoverOutcome
    var resources: [String: Monitor.PhaseUsage]
    var serverCpuMsPerReRegistration: Double?
    var benchCpuMsPerReRegistration: Double?

    var failureSummary: [String] {
        var problems: [String] = []
        if self.registered < self.phones {
            let reasons = self.registrationFailures.map { "\($0.count) × \($0.reason)" }.joined(separator: ", ")
            problems.append("\(self.phones - self.registered) of \(self.phones) phones did not register (\(reasons))")
        }
        if self.outcome.notReRegistered > 0 {
            let reasons = self.outcome.failures.map { "\($0.count) × \($0.reason)" }.joined(separator: ", ")
            problems.append("\(self.outcome.notReRegistered) phones did not register again (\(reasons))")
        }
        return problems
    }

    var table: String {
        var rows: [(String, String)] = []
        if let label { rows.append(("run", label)) }
        rows.append(("command", "failover → \(self.servers.joined(separator: ", then "))"))
        rows.append(("machine", self.machine.summary))
        rows.append(
            (
                "phones",
                BenchResult.phonesSummary(
                    phones: self.phones,
                    protocolVersion: self.protocolVersion,
                    model: self.model,
                    keepaliveSeconds: self.keepaliveSeconds,
                    sourceAddresses: self.sourceAddresses
                )
            )
        )
        rows.append(("registered on the first", "\(self.registered) of \(self.phones)"))
        for failure in self.registrationFailures { rows.append(("  failure", "\(failure.count) × \(failure.reason)")) }
        if let seconds = self.secondsToRegisterAll {
            rows.append(
                (
                    "time to register all",
                    "\(format(seconds, decimals: 2)) s at \(format(self.rate, decimals: 0))/s offered"
                )
            )
        }
        if let latency = self.registrationLatencyMs { rows.append(("registration latency", latency.text)) }
        rows.append(("standby connections", "\(self.standbyConnections) of \(self.registered)"))
        rows.append(("stop", "\(self.stop), \(format(self.settleSeconds, decimals: 1)) s after the last standby"))
        let outcome = self.outcome
        rows.append(
            ("registered again", "\(outcome.reRegistered) of \(self.registered), \(outcome.notReRegistered) not")
        )
        for (server, count) in outcome.registeredOn.sorted(by: { $0.key < $1.key }) {
            rows.append(("  on \(server)", "\(count)"))
        }
        for failure in outcome.failures { rows.append(("  failure", "\(failure.count) × \(failure.reason)")) }
        if let seconds = outcome.secondsToReRegisterAll {
            rows.append(("time to re-register all", "\(format(seconds, decimals: 3)) s from the stop"))
        }
        if let latency = outcome.outageMs { rows.append(("stop → registered", latency.text)) }
        if let latency = outcome.detectionMs { rows.append(("  stop → noticed", latency.text)) }
        if let latency = outcome.reRegistrationMs { rows.append(("  noticed → registered", latency.text)) }
        rows.append(("numbers", "\(outcome.numbersKept) kept, \(outcome.numbersChanged) changed"))
        if outcome.repeatedFailovers > 0 {
            rows.append(
                ("failed over again", "\(outcome.repeatedFailovers) phones (lost the call manager they moved to)")
            )
        }
        if let server = self.serverCpuMsPerReRegistration {
            rows.append(
                (
                    "server cpu/re-registration",
                    "\(format(server, decimals: 3)) ms (bench \(format(self.benchCpuMsPerReRegistration ?? 0, decimals: 3)) ms)"
                )
            )
        }
        for phase in ["register", "failover"] {
            guard let usage = self.resources[phase] else { continue }
            if let server = usage.server { rows.append(("server (\(phase))", BenchResult.usageText(server))) }
            rows.append(("bench (\(phase))", BenchResult.usageText(usage.bench)))
            if let others = usage.othersCpuPercent {
                rows.append(("other processes (\(phase))", "cpu \(format(others, decimals: 0))% of one core"))
            }
        }
        return renderTable(rows)
    }
}
