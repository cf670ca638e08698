import ArgumentParser
import Foundation
import NIOCore

/// A failure reason and how often it happened.
struct ReasonCount: Sendable, Codable {
    var reason: String
    var count: Int
}

/// What a run measured, as printed in the table and written with `--json` (keys in snake_case).
struct BenchResult: Sendable, Codable {
    struct Machine: Sendable, Codable {
        var cores: Int
        var cpu: String
        var kernel: String
        var loadAverageStart: String
        var loadAverageEnd: String

        static func current(loadAverageStart: String) -> Machine {
            let cpu =
                ProcFile.read("/proc/cpuinfo")?.split(separator: "\n")
                .first { $0.hasPrefix("model name") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
            return Machine(
                cores: System.coreCount,
                cpu: cpu,
                kernel: ProcFile.read("/proc/sys/kernel/osrelease")?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ?? "unknown",
                loadAverageStart: loadAverageStart,
                loadAverageEnd: Self.loadAverage()
            )
        }

        /// The 1, 5 and 15 minute load averages.
        static func loadAverage() -> String {
            ProcFile.read("/proc/loadavg")?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
        }
    }

    var label: String?
    var command: String
    var server: String
    var phones: Int
    var rate: Double
    var protocolVersion: UInt8
    var model: String
    var keepaliveSeconds: Int?
    /// Loopback addresses the phones connected from (1: the kernel's choice).
    var sourceAddresses: Int?
    var machine: Machine

    // Registration
    var registered: Int
    var registrationFailed: Int
    var registrationFailures: [ReasonCount]
    var registrationsPerSecond: Double
    var secondsToRegisterAll: Double?
    var registrationLatencyMs: LatencySummary?
    /// Seconds the phones were kept registered after the registration phase (register --duration).
    var heldSeconds: Double
    /// Registered phones still connected at the end.
    var stillRegistered: Int
    var lost: Int
    var keepalivesSent: Int?
    var keepaliveAcks: Int?

    // Calls
    var offeredCallsPerSecond: Double?
    var callDurationSeconds: Double?
    var holdSeconds: Double?
    var attempted: Int?
    var completed: Int?
    var failed: Int?
    var notAttemptedNoIdlePhones: Int?
    var completedPercent: Double?
    var callsPerSecond: Double?
    var setupLatencyMs: LatencySummary?
    var answerToMediaMs: LatencySummary?
    var dialToRingingMs: LatencySummary?
    var callFailures: [ReasonCount]?
    /// `answer`: calls that rang in were answered after this many seconds; how many reached media; the most
    /// calls in progress at once.
    var answerDelaySeconds: Double?
    var answered: Int?
    var peakCallsInProgress: Int?

    var resources: [String: Monitor.PhaseUsage]
    /// Server CPU milliseconds per registration (register phase) and per call (calls phase): less sensitive to
    /// other load on the machine than rates and latencies.
    var serverCpuMsPerRegistration: Double?
    var serverCpuMsPerCall: Double?
    var benchCpuMsPerRegistration: Double?
    var benchCpuMsPerCall: Double?

    /// What went wrong in the run, one phrase each; empty when every phone registered and stayed, and every
    /// call attempted completed. (Calls not attempted for want of idle phones are the offered load's business.)
    var failureSummary: [String] {
        var problems: [String] = []
        if self.registered < self.phones {
            let reasons = self.registrationFailures.map { "\($0.count) × \($0.reason)" }.joined(separator: ", ")
            problems.append(
                "\(self.phones - self.registered) of \(self.phones) phones did not register"
                    + (reasons.isEmpty ? "" : " (\(reasons))")
            )
        }
        if self.lost > 0 { problems.append("\(self.lost) registered phones were lost") }
        if let failed = self.failed, failed > 0 {
            let reasons = (self.callFailures ?? []).map { "\($0.count) × \($0.reason)" }.joined(separator: ", ")
            problems.append("\(failed) calls failed" + (reasons.isEmpty ? "" : " (\(reasons))"))
        }
        return problems
    }

    /// The results as a two-column table.
    var table: String {
        var rows: [(String, String)] = []
        if let label { rows.append(("run", label)) }
        rows.append(("command", "\(self.command) → \(self.server)"))
        rows.append(("machine", self.machine.summary))
        rows.append(
            (
                "phones",
                Self.phonesSummary(
                    phones: self.phones,
                    protocolVersion: self.protocolVersion,
                    model: self.model,
                    keepaliveSeconds: self.keepaliveSeconds,
                    sourceAddresses: self.sourceAddresses ?? 1
                )
            )
        )
        rows.append(("registered", "\(self.registered) of \(self.phones), \(self.registrationFailed) failed"))
        for failure in self.registrationFailures {
            rows.append(("  failure", "\(failure.count) × \(failure.reason)"))
        }
        rows.append(
            (
                "registrations/s",
                "\(format(self.registrationsPerSecond, decimals: 1)) (offered \(format(self.rate, decimals: 1)))"
            )
        )
        if let seconds = self.secondsToRegisterAll {
            rows.append(("time to register all", "\(format(seconds, decimals: 2)) s"))
        }
        if let latency = self.registrationLatencyMs {
            rows.append(("registration latency", latency.text))
        }
        if self.heldSeconds > 0 {
            rows.append(
                (
                    "kept registered",
                    "\(self.stillRegistered) after \(format(self.heldSeconds, decimals: 0)) s, \(self.lost) lost"
                )
            )
        } else {
            rows.append(("still registered", "\(self.stillRegistered), \(self.lost) lost"))
        }
        if let sent = self.keepalivesSent, let acks = self.keepaliveAcks {
            rows.append(("keepalives", "\(sent) sent, \(acks) acknowledged"))
        }
        if let attempted, let answered = self.answered {
            rows.append(
                (
                    "calls rung in",
                    "\(attempted) while answering for \(format(self.callDurationSeconds ?? 0, decimals: 1)) s, each answered after \(format(self.answerDelaySeconds ?? 0, decimals: 2)) s"
                )
            )
            rows.append(("calls answered", "\(answered) (media started)"))
            rows.append(
                (
                    "calls completed",
                    "\(self.completed ?? 0) (\(format(self.completedPercent ?? 0, decimals: 2)) %), \(self.failed ?? 0) failed"
                )
            )
            for failure in self.callFailures ?? [] {
                rows.append(("  failure", "\(failure.count) × \(failure.reason)"))
            }
            rows.append(("calls rung in/s", "\(format(self.callsPerSecond ?? 0, decimals: 1)) (first to last ring)"))
            rows.append(("peak calls in progress", "\(self.peakCallsInProgress ?? 0)"))
            if let latency = self.answerToMediaMs { rows.append(("answer → media", latency.text)) }
        } else if let attempted {
            rows.append(
                (
                    "calls offered",
                    "\(format(self.offeredCallsPerSecond ?? 0, decimals: 1))/s for \(format(self.callDurationSeconds ?? 0, decimals: 0)) s, hold \(format(self.holdSeconds ?? 0, decimals: 1)) s"
                )
            )
            rows.append(
                (
                    "calls attempted",
                    "\(attempted)"
                        + ((self.notAttemptedNoIdlePhones ?? 0) > 0
                            ? " (\(self.notAttemptedNoIdlePhones ?? 0) not attempted: no idle phones)" : "")
                )
            )
            rows.append(
                (
                    "calls completed",
                    "\(self.completed ?? 0) (\(format(self.completedPercent ?? 0, decimals: 2)) %), \(self.failed ?? 0) failed"
                )
            )
            for failure in self.callFailures ?? [] {
                rows.append(("  failure", "\(failure.count) × \(failure.reason)"))
            }
            rows.append(("call setups/s", format(self.callsPerSecond ?? 0, decimals: 1)))
            if let latency = self.setupLatencyMs { rows.append(("off-hook → ringing", latency.text)) }
            if let latency = self.dialToRingingMs { rows.append(("  of which dial → ringing", latency.text)) }
            if let latency = self.answerToMediaMs { rows.append(("answer → media both", latency.text)) }
        }
        if let server = self.serverCpuMsPerRegistration {
            rows.append(
                (
                    "server cpu/registration",
                    "\(format(server, decimals: 3)) ms (bench \(format(self.benchCpuMsPerRegistration ?? 0, decimals: 3)) ms)"
                )
            )
        }
        if let server = self.serverCpuMsPerCall {
            rows.append(
                (
                    "server cpu/call",
                    "\(format(server, decimals: 3)) ms (bench \(format(self.benchCpuMsPerCall ?? 0, decimals: 3)) ms)"
                )
            )
        }
        for phase in ["register", "keepalive", "calls", "answer"] {
            guard let usage = self.resources[phase] else { continue }
            if let server = usage.server {
                rows.append(("server (\(phase))", Self.usageText(server)))
            }
            rows.append(("bench (\(phase))", Self.usageText(usage.bench)))
            if let others = usage.othersCpuPercent {
                rows.append(("other processes (\(phase))", "cpu \(format(others, decimals: 0))% of one core"))
            }
        }
        return renderTable(rows)
    }

    /// The phones row of a table: how many, which protocol and model, keepalive, source addresses.
    static func phonesSummary(
        phones: Int,
        protocolVersion: UInt8,
        model: String,
        keepaliveSeconds: Int?,
        sourceAddresses: Int
    ) -> String {
        let keepalive = keepaliveSeconds.map { "\($0) s" } ?? "from RegisterAck"
        return
            "\(phones) (v\(protocolVersion), \(model), keepalive \(keepalive), from \(sourceAddresses) source address(es))"
    }

    static func usageText(_ usage: ResourceUsage) -> String {
        "cpu \(format(usage.cpuPercentAverage, decimals: 0))% avg, \(format(usage.cpuPercentPeak, decimals: 0))% peak, "
            + "waited for a cpu \(format(usage.runQueueWaitPercent, decimals: 0))%; "
            + "rss \(format(usage.rssMibPeak, decimals: 1)) MiB peak, \(format(usage.rssMibEnd, decimals: 1)) MiB end; "
            + "\(usage.threads) threads"
    }

    func writeJSON(to path: String) throws {
        try writeResultJSON(self, to: path)
    }
}

extension BenchResult.Machine {
    /// The machine row of a table: cores, CPU, load average at the start and the end.
    var summary: String {
        "\(self.cores) cores, \(self.cpu), load \(self.loadAverageStart) → \(self.loadAverageEnd)"
    }
}

/// Two columns, the first padded to its widest cell.
func renderTable(_ rows: [(String, String)]) -> String {
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
        .joined(separator: "\n")
}

/// A run's results as JSON with snake_case keys (`--json`).
func writeResultJSON(_ result: some Encodable, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(result).write(to: URL(fileURLWithPath: path))
}

/// Prints `table`, writes the JSON when asked, and fails the run (exit 1, after saying why) when `problems` is not
/// empty, unless `--allow-failures`: a run that lost phones or calls did not measure what it says (scripts/bench, CI).
func conclude(table: String, problems: [String], options: PhoneOptions, writeJSON: (String) throws -> Void) throws {
    print(table)
    if let path = options.json {
        try writeJSON(path)
    }
    guard !problems.isEmpty else { return }
    if options.allowFailures {
        printError("strowger-bench: failures (allowed by --allow-failures): \(problems.joined(separator: "; "))")
    } else {
        printError("strowger-bench: FAILED: \(problems.joined(separator: "; ")) (--allow-failures to accept)")
        throw ExitCode(1)
    }
}
