import ArgumentParser
import Foundation

struct AnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Register N phones that answer every call they are offered (load placed from elsewhere, e.g. SIPp).",
        discussion: """
            After registration the phones' directory numbers are written to --numbers-csv (a SIPp injection file, \
            SEQUENTIAL, one number per line), if given; then every phone answers each call that rings it after \
            --answer-delay (OffHook on the ringing call; the call manager opens the phone's receive channel, \
            acknowledged without RTP, and starts its transmission) and waits for the far end to hang up, or hangs \
            up itself after --hang-up-after. The phones answer for --duration seconds or until SIGTERM or SIGINT, \
            then calls still up get --step-timeout to end, and the report counts calls rung in, answered (media \
            started), completed and failed by reason, answer to media latency, and with --server-pid the server's \
            CPU and memory while answering. Any call that rang and did not complete, or any phone lost, exits 1.
            """
    )

    @OptionGroup var options: PhoneOptions

    @Option(name: .customLong("answer-delay"), help: "Seconds from ringing to answering.")
    var answerDelay: Double = 0.1

    @Option(
        name: .customLong("hang-up-after"),
        help: "Hang up this many seconds after media started if the far end has not (default: wait for the far end)."
    )
    var hangUpAfter: Double?

    @Option(
        name: .customLong("max-call"),
        help: "Without --hang-up-after: seconds a call may stay up before it counts as failed."
    )
    var maximumCall: Double = 300

    @Option(
        name: .customLong("step-timeout"),
        help: "Seconds from answering to media started, and from hanging up to idle."
    )
    var stepTimeout: Double = 5

    @Option(help: "Seconds to answer calls after the last registration (SIGTERM or SIGINT ends the run sooner).")
    var duration: Double = 3600

    @Option(
        name: .customLong("numbers-csv"),
        help: "Once every phone has registered, write their directory numbers here as a SIPp -inf file."
    )
    var numbersCSV: String?

    func validate() throws {
        guard (0...3600).contains(self.answerDelay) else { throw ValidationError("--answer-delay must be 0...3600") }
        if let hangUpAfter = self.hangUpAfter, !(0...86_400).contains(hangUpAfter) {
            throw ValidationError("--hang-up-after must be 0...86400")
        }
        guard self.maximumCall > 0, self.maximumCall <= 86_400, self.stepTimeout > 0, self.stepTimeout <= 3600 else {
            throw ValidationError(
                "--max-call must be above 0 and at most 86400, --step-timeout above 0 and at most 3600"
            )
        }
        guard self.duration > 0, self.duration <= 86_400 else {
            throw ValidationError("--duration must be above 0 and at most 86400")
        }
    }

    func run() async throws {
        // Caught from here on: the run started, so a stop request ends it with a report.
        let stopSignal = StopSignal()
        let bench = try BenchRun(options: self.options, command: "answer", rtp: false)
        let phase = AnswerPhase(
            answerDelay: .seconds(self.answerDelay),
            hangUpAfter: self.hangUpAfter.map { .seconds($0) },
            maximumCall: .seconds(self.maximumCall),
            stepTimeout: .seconds(self.stepTimeout)
        )
        let (duration, numbersCSV, answerDelay) = (self.duration, self.numbersCSV, self.answerDelay)
        try await bench.execute { _, _ in
            0
        } calls: { run, monitor in
            if let numbersCSV {
                try Self.writeNumbers(of: await run.allMembers(), to: numbersCSV)
            }
            await monitor.startPhase("answer")
            let window = await phase.run(into: run) {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { try? await Task.sleep(for: .seconds(duration)) }
                    group.addTask { await stopSignal.wait() }
                    await group.next()
                    group.cancelAll()
                }
            }
            return CallsOutcome(
                offered: 0,
                duration: window,
                hold: 0,
                window: await run.ringingSeconds ?? window,
                phase: "answer",
                answerDelay: answerDelay
            )
        }
    }

    /// SIPp's injection format: the first line says how lines are picked, then one field per line (`[field0]`).
    /// Written to a temporary name and renamed, so that whoever waits for the file never reads half of it.
    static func writeNumbers(of members: [LoadRun.Member], to path: String) throws {
        let numbers = members.compactMap(\.number)
        let text = (["SEQUENTIAL"] + numbers.map { "\($0);" }).joined(separator: "\n") + "\n"
        let temporary = path + ".partial"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
