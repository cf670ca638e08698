import ArgumentParser

@main
struct StrowgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strowger-bench",
        abstract: "Load generator for SCCP call managers (Strowger or any other), on simulated phones.",
        discussion: """
            Phones are SkinnyPhone instances sharing one event-loop group: one TCP connection each, no RTP by \
            default, no message history. Load only servers you run yourself, on loopback.
            """,
        subcommands: [
            RegisterCommand.self, CallsCommand.self, ScriptedCommand.self, SummarizeCommand.self, PresenceCommand.self,
            MediaBenchCommand.self, AnswerCommand.self, FailoverCommand.self,
        ]
    )
}

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register N phones at R per second and keep them alive.",
        discussion: """
            Reports registrations per second, the time to register all, registration latency (TCP connect to the \
            end of the registration sequence: TimeDateRes and every LineStatRes) and failures by reason; with \
            --duration, how many phones stayed registered and their keepalives.
            """
    )

    @OptionGroup var options: PhoneOptions

    @Option(help: "Seconds to keep the phones registered after the last registration.")
    var duration: Double = 0

    func validate() throws {
        guard (0...86_400).contains(self.duration) else { throw ValidationError("--duration must be 0...86400") }
    }

    func run() async throws {
        let bench = try BenchRun(options: self.options, command: "register", rtp: false)
        let duration = self.duration
        try await bench.execute { _, monitor in
            guard duration > 0 else { return 0 }
            await monitor.startPhase("keepalive")
            try? await Task.sleep(for: .seconds(duration))
            return duration
        } calls: { _, _ in
            nil
        }
    }
}

struct CallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "Register N phones, then have them call each other at C calls per second.",
        discussion: """
            Each call: the caller goes off hook and waits for dial tone, dials the callee's number, the callee \
            rings and answers, media starts on both sides (StartMediaTransmission, or with --rtp the first RTP \
            packet), the call is held --hold seconds, the caller hangs up and both phones go idle. Setup latency \
            is off-hook to callee ringing and answer to media on both sides. Phones not in a call stay registered \
            and keep alive throughout.
            """
    )

    @OptionGroup var options: PhoneOptions

    @Option(help: "Calls started per second.")
    var cps: Double = 10

    @Option(help: "Seconds each call is held once media is up.")
    var hold: Double = 5

    @Option(help: "Seconds during which calls are started.")
    var duration: Double = 30

    @Option(
        name: .customLong("step-timeout"),
        help: "Seconds each call step (dial tone, ringing, media, idle) may take."
    )
    var stepTimeout: Double = 5

    @Option(help: "Seconds to wait between the last registration and the first call.")
    var settle: Double = 1

    @Flag(help: "Real RTP: phones bind UDP sockets and send G.711; media counts as started at the first packet.")
    var rtp = false

    func validate() throws {
        guard self.cps > 0, self.cps <= 100_000 else { throw ValidationError("--cps must be above 0") }
        guard (0...86_400).contains(self.hold), (0...86_400).contains(self.duration), self.duration > 0 else {
            throw ValidationError("--hold and --duration must be 0...86400, --duration above 0")
        }
        guard self.stepTimeout > 0, (0...3600).contains(self.settle) else {
            throw ValidationError("--step-timeout must be above 0, --settle 0...3600")
        }
        guard self.options.phones >= 2 else { throw ValidationError("--phones must be at least 2") }
    }

    func run() async throws {
        let bench = try BenchRun(options: self.options, command: "calls", rtp: self.rtp)
        let phase = CallPhase(
            callsPerSecond: self.cps,
            duration: .seconds(self.duration),
            hold: .seconds(self.hold),
            stepTimeout: .seconds(self.stepTimeout),
            rtp: self.rtp
        )
        let settle = self.settle
        let (cps, duration, hold) = (self.cps, self.duration, self.hold)
        try await bench.execute { _, _ in
            0
        } calls: { run, monitor in
            if settle > 0 { try? await Task.sleep(for: .seconds(settle)) }
            await monitor.startPhase("calls")
            let window = await phase.run(into: run)
            return CallsOutcome(offered: cps, duration: duration, hold: hold, window: window)
        }
    }
}

/// What the call phase adds to the report.
struct CallsOutcome: Sendable {
    var offered: Double
    var duration: Double
    var hold: Double
    /// Seconds over which calls were started (`answer`: from the first call that rang in to the last).
    var window: Double
    /// The monitor's phase the calls ran in.
    var phase: String = "calls"
    /// `answer`: the seconds each phone let a call ring before answering; nil for calls the bench placed.
    var answerDelay: Double? = nil
}
