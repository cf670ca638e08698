import AdminHTTP
import ArgumentParser

/// `strowger line add|remove|list|show|update|forward|mwi|dnd`.
struct LineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line",
        abstract: "Add, remove, list and change directory numbers; set call forwarding, message waiting and DND.",
        subcommands: [
            Add.self, Remove.self, List.self, Show.self, Update.self, Forward.self, MessageWaiting.self,
            DoNotDisturb.self,
        ]
    )

    static func path(_ number: String) -> String { "/api/lines/" + AdminClient.segment(number) }

    static func print(_ line: AdminAPI.Line, json: Bool) throws {
        if json { return try Output.json(line) }
        Output.fields([
            ("Line", line.number),
            ("Name", line.displayName.isEmpty ? "-" : line.displayName),
            ("Devices", Output.list(line.devices)),
            ("Forward all", line.forwardAll ?? "-"),
            ("Forward busy", line.forwardBusy ?? "-"),
            ("Forward no answer", line.forwardNoAnswer.map { "\($0) after \(line.noAnswerTimeoutSeconds) s" } ?? "-"),
            ("Max calls", "\(line.maxCalls) (busy at \(line.busyTrigger))"),
            ("Voicemail", line.voicemailNumber ?? "-"),
            ("Music on hold", line.musicSource ?? "- (the device's)"),
            ("Message waiting", OnOff(line.messageWaiting).rawValue),
            (
                "Do not disturb",
                line.doNotDisturbDevices.isEmpty ? "off" : "on \(Output.list(line.doNotDisturbDevices))"
            ),
        ])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a directory number, e.g. strowger line add 1001 --name \"Alice\"."
        )

        @Argument(help: "The directory number: up to 24 of 0-9 * + A-D.") var number: String
        @Option(help: "The name callers see.") var name: String = ""
        @Option(name: .customLong("max-calls"), help: "Calls the line may have at once (default 2).") var maxCalls: Int?
        @Option(name: .customLong("busy-trigger"), help: "Calls at which a new one finds the line busy (default 2).")
        var busyTrigger: Int?
        @Option(help: "The voicemail number.") var voicemail: String?
        @Option(name: .customLong("music"), help: "The music source held parties hear (see strowger moh list).")
        var music: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            var body = AdminAPI.Line(number: number, displayName: name, voicemailNumber: voicemail, musicSource: music)
            if let maxCalls {
                body.maxCalls = maxCalls
                body.busyTrigger = min(body.busyTrigger, maxCalls)
            }
            if let busyTrigger { body.busyTrigger = busyTrigger }
            let line = try await options.client().send(.post, "/api/lines", json: body, as: AdminAPI.Line.self)
            if options.json { return try Output.json(line) }
            Swift.print("Added line \(line.number)" + (line.displayName.isEmpty ? "" : " (\(line.displayName))"))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a directory number from every phone.")

        @Argument(help: "The directory number.") var number: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete(LineCommand.path(number))
            if !options.json { Swift.print("Removed line \(number)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the directory numbers.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let lines = try await options.client().get("/api/lines", as: [AdminAPI.Line].self)
            if options.json { return try Output.json(lines) }
            Output.table(
                ["Line", "Name", "Devices", "Forward all", "Forward busy", "Forward no answer", "Max calls"],
                lines.map {
                    [
                        $0.number, $0.displayName.isEmpty ? "-" : $0.displayName, Output.list($0.devices),
                        $0.forwardAll ?? "-", $0.forwardBusy ?? "-", $0.forwardNoAnswer ?? "-", "\($0.maxCalls)",
                    ]
                },
                empty: "No lines are configured."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one directory number.")

        @Argument(help: "The directory number.") var number: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try LineCommand.print(
                try await options.client().get(LineCommand.path(number), as: AdminAPI.Line.self),
                json: options.json
            )
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a directory number: its name, its number (phones keep it on the same button), limits."
        )

        @Argument(help: "The directory number.") var number: String
        @Option(name: .customLong("new-number"), help: "Move the line to this number.") var newNumber: String?
        @Option(help: "The name callers see.") var name: String?
        @Option(name: .customLong("max-calls"), help: "Calls the line may have at once.") var maxCalls: Int?
        @Option(name: .customLong("busy-trigger"), help: "Calls at which a new one finds the line busy.")
        var busyTrigger: Int?
        @Option(help: "The voicemail number ('' for none).") var voicemail: String?
        @Option(name: .customLong("music"), help: "The music source held parties hear ('' for the device's).")
        var music: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            var patch = AdminAPI.LinePatch()
            patch.number = newNumber
            patch.displayName = name
            patch.maxCalls = maxCalls
            patch.busyTrigger = busyTrigger
            if let voicemail { patch.voicemailNumber = .some(voicemail.isEmpty ? nil : voicemail) }
            if let music { patch.musicSource = .some(music.isEmpty ? nil : music) }
            let line = try await options.client().send(
                .patch,
                LineCommand.path(number),
                json: patch,
                as: AdminAPI.Line.self
            )
            try LineCommand.print(line, json: options.json)
        }
    }

    struct Forward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or clear call forwarding, e.g. strowger line forward 1001 --all 1002.",
            discussion: "Give 'none' as a target to clear that forward, or --clear to clear them all."
        )

        @Argument(help: "The directory number.") var number: String
        @Option(help: "Forward every call to this number.") var all: String?
        @Option(help: "Forward calls that find the line busy.") var busy: String?
        @Option(name: .customLong("no-answer"), help: "Forward calls not answered in time.") var noAnswer: String?
        @Option(name: .customLong("no-answer-timeout"), help: "Seconds a call rings before --no-answer applies.")
        var noAnswerTimeout: Int?
        @Flag(help: "Clear every forward.") var clear = false
        @OptionGroup var options: ClientOptions

        func validate() throws {
            if !clear, all == nil, busy == nil, noAnswer == nil, noAnswerTimeout == nil {
                throw ValidationError("give --all, --busy, --no-answer, --no-answer-timeout or --clear")
            }
        }

        func run() async throws {
            func target(_ value: String?) -> String?? {
                if let value { return .some(value.lowercased() == "none" || value.isEmpty ? nil : value) }
                return clear ? .some(nil) : nil
            }
            var patch = AdminAPI.LinePatch()
            patch.forwardAll = target(all)
            patch.forwardBusy = target(busy)
            patch.forwardNoAnswer = target(noAnswer)
            patch.noAnswerTimeoutSeconds = noAnswerTimeout
            let line = try await options.client().send(
                .patch,
                LineCommand.path(number),
                json: patch,
                as: AdminAPI.Line.self
            )
            try LineCommand.print(line, json: options.json)
        }
    }
}
