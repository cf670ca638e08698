import AdminHTTP
import ArgumentParser

/// `strowger hunt add|list|show|update|remove`: hunt groups (a pilot number over an ordered list of member lines).
struct HuntCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Add, list, show, change and remove hunt groups (a pilot number that rings member lines).",
        subcommands: [Add.self, List.self, Show.self, Update.self, Remove.self]
    )

    static func path(_ pilot: String) -> String { "/api/hunt-groups/" + AdminClient.segment(pilot) }

    static func print(_ group: AdminAPI.HuntGroup, json: Bool) throws {
        if json { return try Output.json(group) }
        Output.fields([
            ("Hunt pilot", group.pilot),
            ("Algorithm", group.algorithm),
            ("Members", Output.list(group.members)),
            ("No answer", "\(group.noAnswerTimeoutSeconds) s" + (group.algorithm == "broadcast" ? "" : " per member")),
            ("Final destination", group.finalDestination ?? "- (busy)"),
        ])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a hunt group, e.g. strowger hunt add 4000 --members 4001,4002,4003 --algorithm circular.",
            discussion: "The members must be lines already; the pilot must not be a line, a pickup group or a park"
                + " slot."
        )

        @Argument(help: "The pilot number callers dial.") var pilot: String
        @Option(help: "The member lines in order, separated by commas: 4001,4002,4003.") var members: String
        @Option(help: "top-down (default), circular, longest-idle or broadcast.") var algorithm: HuntAlgorithmArgument =
            .topDown
        @Option(
            name: .customLong("no-answer"),
            help: "Seconds a member rings before the next is tried (broadcast: all ring this long); default 10."
        )
        var noAnswer: Int?
        @Option(help: "Where the call goes when nobody answers (default: the caller hears busy).") var final: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            var body = AdminAPI.HuntGroup(
                pilot: pilot,
                members: try FeatureArguments.members(members),
                algorithm: algorithm.rawValue,
                finalDestination: final
            )
            if let noAnswer { body.noAnswerTimeoutSeconds = noAnswer }
            let group = try await options.client().send(
                .post,
                "/api/hunt-groups",
                json: body,
                as: AdminAPI.HuntGroup.self
            )
            if options.json { return try Output.json(group) }
            Swift.print(
                "Added hunt group \(group.pilot) (\(group.algorithm)): \(group.members.joined(separator: ", "))"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the hunt groups.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let groups = try await options.client().get("/api/hunt-groups", as: [AdminAPI.HuntGroup].self)
            if options.json { return try Output.json(groups) }
            Output.table(
                ["Pilot", "Algorithm", "Members", "No answer", "Final"],
                groups.map {
                    [
                        $0.pilot, $0.algorithm, Output.list($0.members), "\($0.noAnswerTimeoutSeconds) s",
                        $0.finalDestination ?? "-",
                    ]
                },
                empty: "No hunt groups are configured."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one hunt group.")

        @Argument(help: "The pilot number.") var pilot: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try HuntCommand.print(
                try await options.client().get(HuntCommand.path(pilot), as: AdminAPI.HuntGroup.self),
                json: options.json
            )
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a hunt group: its members, algorithm, no-answer time, final destination or pilot."
        )

        @Argument(help: "The pilot number.") var pilot: String
        @Option(name: .customLong("new-pilot"), help: "Give the group this pilot number.") var newPilot: String?
        @Option(help: "The member lines in order (replaces them all): 4001,4002.") var members: String?
        @Option(help: "top-down, circular, longest-idle or broadcast.") var algorithm: HuntAlgorithmArgument?
        @Option(name: .customLong("no-answer"), help: "Seconds a member rings before the next is tried.")
        var noAnswer: Int?
        @Option(help: "Where the call goes when nobody answers ('none' for busy).") var final: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            var patch = AdminAPI.HuntGroupPatch()
            patch.pilot = newPilot
            patch.members = try members.map { try FeatureArguments.members($0) }
            patch.algorithm = algorithm?.rawValue
            patch.noAnswerTimeoutSeconds = noAnswer
            if let final { patch.finalDestination = .some(final.lowercased() == "none" || final.isEmpty ? nil : final) }
            guard patch != AdminAPI.HuntGroupPatch() else {
                throw ValidationError("nothing to change: give at least one option (see --help)")
            }
            let group = try await options.client().send(
                .patch,
                HuntCommand.path(pilot),
                json: patch,
                as: AdminAPI.HuntGroup.self
            )
            try HuntCommand.print(group, json: options.json)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a hunt group (its member lines stay).")

        @Argument(help: "The pilot number.") var pilot: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete(HuntCommand.path(pilot))
            if !options.json { Swift.print("Removed hunt group \(pilot)") }
        }
    }
}
