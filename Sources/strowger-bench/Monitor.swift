import Foundation
import NIOCore

/// Samples the server's and the bench's own CPU and memory once a second, per phase, and prints the progress line.
actor Monitor {
    private var server: ResourceTracker?
    private var bench = ResourceTracker(sampler: ProcessSampler(pid: nil))
    private(set) var phases: [String: PhaseUsage] = [:]
    private var phase = ""
    private let run: LoadRun
    private let interval: Double
    private var serverGone = false
    /// Machine-wide busy CPU at the start of the phase and at the last sample, for "others".
    private var machineAtPhaseStart: (busy: Double, at: Double)?
    private var machineLast: (busy: Double, at: Double)?
    private var othersLastPercent: Double = 0
    /// What the progress line says about the load, when a command counts something other than registrations and
    /// calls (`failover`); the resources follow it.
    private var progress: (@Sendable () async -> [String])?

    struct PhaseUsage: Sendable, Codable {
        var server: ResourceUsage?
        var bench: ResourceUsage
        /// CPU used by every other process on the machine during the phase, in % of one core (200 % = both
        /// cores of a 2-core machine busy with other work).
        var othersCpuPercent: Double?
    }

    init(run: LoadRun, serverPID: Int32?, interval: Double) {
        self.run = run
        self.interval = interval
        if let serverPID {
            self.server = ResourceTracker(sampler: ProcessSampler(pid: serverPID))
        }
    }

    /// Ends the current phase (recording its usage) and starts `name`.
    func startPhase(_ name: String) async {
        let now = await self.run.secondsSinceStart
        self.finishPhase(at: now)
        self.phase = name
        self.server?.startPhase(at: now)
        self.bench.startPhase(at: now)
        self.machineAtPhaseStart = MachineCPU.busySeconds().map { ($0, now) }
        self.machineLast = self.machineAtPhaseStart
    }

    /// Other processes' CPU between `start` and now, in % of one core, given this process's and the server's.
    private func othersPercent(since start: (busy: Double, at: Double)?, now: Double, ours: Double) -> Double? {
        guard let start, let busy = MachineCPU.busySeconds(), now > start.at else { return nil }
        return max(0, (busy - start.busy) / (now - start.at) * 100 - ours)
    }

    /// From now on the progress line starts with `progress`'s parts instead of the registration and call counts.
    func showProgress(_ progress: @escaping @Sendable () async -> [String]) {
        self.progress = progress
    }

    /// Records the current phase's usage.
    func finish() async {
        self.finishPhase(at: await self.run.secondsSinceStart)
        self.phase = ""
    }

    private func finishPhase(at now: Double) {
        guard !self.phase.isEmpty else { return }
        self.server?.sample(at: now)
        self.bench.sample(at: now)
        let ours = (self.server?.current.cpuPercentAverage ?? 0) + self.bench.current.cpuPercentAverage
        self.phases[self.phase] = PhaseUsage(
            server: self.server?.current,
            bench: self.bench.current,
            othersCpuPercent: self.othersPercent(since: self.machineAtPhaseStart, now: now, ours: ours)
        )
    }

    /// Samples every `interval` seconds and prints a progress line, until cancelled.
    func report() async {
        let sampleEvery = Duration.seconds(1)
        var nextPrint = self.interval
        while !Task.isCancelled {
            do { try await Task.sleep(for: sampleEvery) } catch { return }
            let now = await self.run.secondsSinceStart
            if self.server?.sample(at: now) == false, !self.serverGone {
                self.serverGone = true
                printError("strowger-bench: the server process is gone")
            }
            self.bench.sample(at: now)
            let ours = (self.server?.lastCPUPercent ?? 0) + self.bench.lastCPUPercent
            self.othersLastPercent = self.othersPercent(since: self.machineLast, now: now, ours: ours) ?? 0
            self.machineLast = MachineCPU.busySeconds().map { ($0, now) }
            if self.interval > 0, now >= nextPrint {
                nextPrint = now + self.interval
                printError(await self.progressLine(at: now))
            }
        }
    }

    private func progressLine(at now: Double) async -> String {
        var parts = ["\(format(now, decimals: 1))s", self.phase]
        if let progress = self.progress {
            parts += await progress()
        } else {
            parts += await self.loadParts()
        }
        if let server = self.server, !self.serverGone {
            parts.append(
                "server cpu \(format(server.lastCPUPercent, decimals: 0))% "
                    + "rss \(format(server.current.rssMibEnd, decimals: 1)) MiB"
            )
        }
        parts.append("bench cpu \(format(self.bench.lastCPUPercent, decimals: 0))%")
        parts.append("others \(format(self.othersLastPercent, decimals: 0))%")
        return parts.joined(separator: "  ")
    }

    /// The registration and call counts of the progress line.
    private func loadParts() async -> [String] {
        let run = self.run
        let registered = await run.registered
        let started = await run.registrationsStarted
        let inFlight = await run.registrationInFlight
        let phones = await run.members.count
        let failed = await run.registrationFailures.total
        let lost = await run.lostPhones()
        let attempted = await run.callsAttempted
        let setUp = await run.callsSetUp
        let completed = await run.callsCompleted
        let callsFailed = await run.callFailures.total
        let up = await run.callsUp
        var parts = ["registered \(registered)/\(phones)"]
        if started < phones || inFlight > 0 { parts.append("in flight \(inFlight)") }
        if failed > 0 { parts.append("reg failed \(failed)") }
        if lost > 0 { parts.append("lost \(lost)") }
        if attempted > 0 {
            parts.append("calls \(attempted) set up \(setUp) done \(completed) failed \(callsFailed) up \(up)")
        }
        return parts
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
