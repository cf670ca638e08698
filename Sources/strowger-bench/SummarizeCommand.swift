import ArgumentParser
import Foundation

/// Prints one table with a row per result file, as scripts/bench shows a standard set.
struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Print one table from the --json files of several runs."
    )

    @Argument(help: "Result files written with --json.")
    var files: [String]

    @Option(help: "Also write the table as Markdown to this file.")
    var markdown: String?

    func run() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var rows: [[String]] = []
        for file in self.files {
            let result: BenchResult
            do {
                result = try decoder.decode(BenchResult.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
            } catch {
                printError("strowger-bench summarize: \(file): \(error)")
                continue
            }
            rows.append(Self.row(result, file: file))
        }
        let header = [
            "run", "phones", "registered", "reg/s", "reg p50/p99/max ms", "kept (lost)", "calls ok/attempted",
            "setups/s", "setup p50/p90/p99/max ms", "media p99 ms", "server cpu avg (waited)",
            "server cpu ms/reg, /call", "others cpu",
            "server rss peak",
        ]
        print(Self.text([header] + rows))
        if let markdown {
            var lines = ["| " + header.joined(separator: " | ") + " |"]
            lines.append("|" + String(repeating: "---|", count: header.count))
            lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
            try (lines.joined(separator: "\n") + "\n").write(toFile: markdown, atomically: true, encoding: .utf8)
        }
    }

    private static func row(_ result: BenchResult, file: String) -> [String] {
        func ms(_ value: Double?) -> String { value.map { format($0, decimals: 1) } ?? "–" }
        let registration = result.registrationLatencyMs
        let setup = result.setupLatencyMs
        var calls = "–"
        if let attempted = result.attempted, let completed = result.completed {
            calls = "\(completed)/\(attempted) (\(format(result.completedPercent ?? 0, decimals: 2)) %)"
        }
        // Server figures from the phase that carried the load: calls, else registration.
        let phase = result.resources["calls"] ?? result.resources["register"]
        let peakRSS = result.resources.values.compactMap { $0.server?.rssMibPeak }.max()
        return [
            result.label ?? file,
            "\(result.phones)",
            "\(result.registered)",
            format(result.registrationsPerSecond, decimals: 0),
            "\(ms(registration?.p50))/\(ms(registration?.p99))/\(ms(registration?.max))",
            "\(result.stillRegistered) (\(result.lost))",
            calls,
            result.callsPerSecond.map { format($0, decimals: 1) } ?? "–",
            setup.map { "\(ms($0.p50))/\(ms($0.p90))/\(ms($0.p99))/\(ms($0.max))" } ?? "–",
            ms(result.answerToMediaMs?.p99),
            phase?.server.map {
                "\(format($0.cpuPercentAverage, decimals: 0)) % (\(format($0.runQueueWaitPercent, decimals: 0)) %)"
            } ?? "–",
            "\(result.serverCpuMsPerRegistration.map { format($0, decimals: 3) } ?? "–"), "
                + "\(result.serverCpuMsPerCall.map { format($0, decimals: 3) } ?? "–")",
            phase?.othersCpuPercent.map { "\(format($0, decimals: 0)) %" } ?? "–",
            peakRSS.map { "\(format($0, decimals: 0)) MiB" } ?? "–",
        ]
    }

    private static func text(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
