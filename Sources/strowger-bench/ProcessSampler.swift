import Foundation
import NIOPosix

/// Reads small files under /proc without Foundation.
enum ProcFile {
    /// The file's contents (up to 64 KiB), or nil when it cannot be read.
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = chunk.withUnsafeMutableBytes { NIOPosix.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// CPU time and resident memory of one process, from /proc/PID/stat and /proc/PID/status (Linux).
struct ProcessSampler: Sendable {
    /// One reading.
    struct Reading: Sendable {
        /// User + system CPU time so far, in seconds.
        var cpuSeconds: Double
        /// Resident set size, in bytes.
        var residentBytes: Int
        /// Threads.
        var threads: Int
        /// Time the process's threads spent runnable but waiting for a CPU, in seconds, summed over threads
        /// (/proc/PID/task/*/schedstat): on a shared machine, how much the process was held back.
        var runQueueWaitSeconds: Double
        /// When the reading was taken, in seconds since the run started.
        var at: Double
    }

    /// "self" or a pid.
    let process: String
    private let ticksPerSecond: Double

    init(pid: Int32?) {
        self.process = pid.map(String.init) ?? "self"
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        self.ticksPerSecond = ticks > 0 ? Double(ticks) : 100
    }

    /// Whether the process exists (its /proc entry can be read).
    var exists: Bool { ProcFile.read("/proc/\(self.process)/stat") != nil }

    /// Reads the process now; nil when it is gone.
    func read(at seconds: Double) -> Reading? {
        guard let stat = ProcFile.read("/proc/\(self.process)/stat"),
            let status = ProcFile.read("/proc/\(self.process)/status")
        else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ')': state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        var resident = 0
        var threads = 0
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                resident =
                    (Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0)
                    * 1024
            } else if line.hasPrefix("Threads:") {
                threads = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last ?? "") ?? 0
            }
        }
        return Reading(
            cpuSeconds: (user + system) / self.ticksPerSecond,
            residentBytes: resident,
            threads: threads,
            runQueueWaitSeconds: self.runQueueWait(),
            at: seconds
        )
    }
}

/// The whole machine's busy CPU time (all cores, all processes), from the first line of /proc/stat.
enum MachineCPU {
    /// Busy seconds so far (user, nice, system, irq, softirq, steal), or nil off Linux.
    static func busySeconds() -> Double? {
        guard let text = ProcFile.read("/proc/stat"), let line = text.split(separator: "\n").first,
            line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / (ticks > 0 ? Double(ticks) : 100)
    }
}

extension ProcessSampler {
    /// The run-queue wait of every thread, from field 2 of /proc/PID/task/TID/schedstat (nanoseconds).
    fileprivate func runQueueWait() -> Double {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(self.process)/task")) ?? []
        var nanoseconds = 0.0
        for task in tasks {
            guard let text = ProcFile.read("/proc/\(self.process)/task/\(task)/schedstat") else { continue }
            let fields = text.split(separator: " ")
            if fields.count >= 2, let wait = Double(fields[1]) { nanoseconds += wait }
        }
        return nanoseconds / 1e9
    }
}

/// CPU and memory of a process over a phase of the run: average and peak CPU (percent of one core), peak and last
/// resident memory.
struct ResourceUsage: Sendable, Codable {
    var cpuPercentAverage: Double = 0
    var cpuPercentPeak: Double = 0
    /// CPU seconds used in the phase.
    var cpuSeconds: Double = 0
    /// Runnable-but-waiting time of all threads, as a percentage of the phase (can exceed 100 with several
    /// threads): the share of the machine that other processes took from this one.
    var runQueueWaitPercent: Double = 0
    var rssMibPeak: Double = 0
    var rssMibEnd: Double = 0
    var threads: Int = 0
    var seconds: Double = 0
}

/// Accumulates readings of one process per phase.
struct ResourceTracker: Sendable {
    private let sampler: ProcessSampler
    private var last: ProcessSampler.Reading?
    private var phaseStart: ProcessSampler.Reading?
    private(set) var current = ResourceUsage()
    /// CPU percent over the last interval.
    private(set) var lastCPUPercent: Double = 0

    init(sampler: ProcessSampler) {
        self.sampler = sampler
    }

    /// Starts a new phase: the averages restart from now.
    mutating func startPhase(at seconds: Double) {
        self.phaseStart = self.sampler.read(at: seconds)
        self.last = self.phaseStart
        self.current = ResourceUsage()
        if let reading = self.phaseStart {
            let mib = Double(reading.residentBytes) / 1_048_576
            self.current.rssMibPeak = mib
            self.current.rssMibEnd = mib
            self.current.threads = reading.threads
        }
    }

    /// Takes a reading; returns false when the process is gone.
    @discardableResult
    mutating func sample(at seconds: Double) -> Bool {
        guard let reading = self.sampler.read(at: seconds) else { return false }
        if let last = self.last, reading.at > last.at {
            self.lastCPUPercent = (reading.cpuSeconds - last.cpuSeconds) / (reading.at - last.at) * 100
            self.current.cpuPercentPeak = max(self.current.cpuPercentPeak, self.lastCPUPercent)
        }
        if let start = self.phaseStart, reading.at > start.at {
            self.current.cpuPercentAverage = (reading.cpuSeconds - start.cpuSeconds) / (reading.at - start.at) * 100
            self.current.cpuSeconds = reading.cpuSeconds - start.cpuSeconds
            // Threads that exit take their wait with them, so the sum can shrink: never report below zero.
            let waited = reading.runQueueWaitSeconds - start.runQueueWaitSeconds
            self.current.runQueueWaitPercent = max(0, waited / (reading.at - start.at) * 100)
            self.current.seconds = reading.at - start.at
        }
        let mib = Double(reading.residentBytes) / 1_048_576
        self.current.rssMibPeak = max(self.current.rssMibPeak, mib)
        self.current.rssMibEnd = mib
        self.current.threads = reading.threads
        self.last = reading
        return true
    }
}
