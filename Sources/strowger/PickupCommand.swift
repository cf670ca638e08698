import AdminHTTP
import ArgumentParser

/// `strowger pickup add|list|show|update|remove`: call pickup groups.
struct PickupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pickup",
        abstract: "Add, list, show, change and remove call pickup groups.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Remove.self]
    )

    static func path(_ number: String) -> String { "/api/pickup-groups/" + AdminClient.segment(number) }

    static func print(_ group: AdminAPI.PickupGroup, json: Bool) throws {
        if json { return try Output.json(group) }
        Output.fields([("Pickup group", group.number), ("Members", Output.list(group.members))])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a pickup group, e.g. strowger pickup add 5000 --members 4001,4002.",
            discussion: "PickUp on a member's phone answers a call ringing on another member; GPickUp and the group"
                + " number answers one from any phone. The members must be lines, each in no other pickup group."
        )

        @Argument(help: "The group number (dialled after GPickUp).") var number: String
        @Option(help: "The member lines, separated by commas: 4001,4002.") var members: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let group = try await options.client().send(
                .post,
                "/api/pickup-groups",
                json: AdminAPI.PickupGroup(number: number, members: try FeatureArguments.members(members)),
                as: AdminAPI.PickupGroup.self
            )
            if options.json { return try Output.json(group) }
            Swift.print("Added pickup group \(group.number): \(group.members.joined(separator: ", "))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the pickup groups.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let groups = try await options.client().get("/api/pickup-groups", as: [AdminAPI.PickupGroup].self)
            if options.json { return try Output.json(groups) }
            Output.table(
                ["Group", "Members"],
                groups.map { [$0.number, Output.list($0.members)] },
                empty: "No pickup groups are configured."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one pickup group.")

        @Argument(help: "The group number.") var number: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try PickupCommand.print(
                try await options.client().get(PickupCommand.path(number), as: AdminAPI.PickupGroup.self),
                json: options.json
            )
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a pickup group's members or number.")

        @Argument(help: "The group number.") var number: String
        @Option(name: .customLong("new-number"), help: "Give the group this number.") var newNumber: String?
        @Option(help: "The member lines (replaces them all): 4001,4002.") var members: String?
        @OptionGroup var options: ClientOptions

        func validate() throws {
            if newNumber == nil, members == nil {
                throw ValidationError("nothing to change: give --members or --new-number")
            }
        }

        func run() async throws {
            let patch = AdminAPI.PickupGroupPatch(
                number: newNumber,
                members: try members.map { try FeatureArguments.members($0) }
            )
            let group = try await options.client().send(
                .patch,
                PickupCommand.path(number),
                json: patch,
                as: AdminAPI.PickupGroup.self
            )
            try PickupCommand.print(group, json: options.json)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a pickup group (its member lines stay).")

        @Argument(help: "The group number.") var number: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete(PickupCommand.path(number))
            if !options.json { Swift.print("Removed pickup group \(number)") }
        }
    }
}
