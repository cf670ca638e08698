import AdminHTTP
import ArgumentParser

/// `strowger user add|remove|list|update`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, remove, list and change users (the owners of phones).",
        subcommands: [Add.self, Remove.self, List.self, Update.self]
    )

    static func path(_ name: String) -> String { "/api/users/" + AdminClient.segment(name) }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user, e.g. strowger user add alice --display-name \"Alice\"."
        )

        @Argument(help: "A login-style name without spaces.") var name: String
        @Option(name: .customLong("display-name"), help: "The name people see.") var displayName: String = ""
        @Option(name: .customLong("capability"), help: "voice, video or web (repeat; default voice).")
        var capabilities: [String] = []
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let body = AdminAPI.User(
                name: name,
                displayName: displayName,
                capabilities: capabilities.isEmpty ? ["voice"] : capabilities
            )
            let user = try await options.client().send(.post, "/api/users", json: body, as: AdminAPI.User.self)
            if options.json { return try Output.json(user) }
            print("Added user \(user.name)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user; their phones keep working, unowned.")

        @Argument(help: "The user name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete(UserCommand.path(name))
            if !options.json { print("Removed user \(name)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let users = try await options.client().get("/api/users", as: [AdminAPI.User].self)
            if options.json { return try Output.json(users) }
            Output.table(
                ["User", "Display name", "Capabilities", "Devices"],
                users.map {
                    [
                        $0.name, $0.displayName.isEmpty ? "-" : $0.displayName, Output.list($0.capabilities),
                        Output.list($0.devices),
                    ]
                },
                empty: "No users are configured."
            )
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's name, display name or capabilities.")

        @Argument(help: "The user name.") var name: String
        @Option(name: .customLong("new-name"), help: "A new user name.") var newName: String?
        @Option(name: .customLong("display-name"), help: "The name people see.") var displayName: String?
        @Option(name: .customLong("capability"), help: "voice, video or web (repeat; replaces them all).")
        var capabilities: [String] = []
        @Option(
            name: .customLong("presence-visibility"),
            help: "Who sees the user's presence: everyone, nobody or allowList."
        )
        var presenceVisibility: String?
        @Option(name: .customLong("allow"), help: "A user who may see the presence with allowList (repeat).")
        var allowList: [String] = []
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let patch = AdminAPI.UserPatch(
                name: newName,
                displayName: displayName,
                capabilities: capabilities.isEmpty ? nil : capabilities,
                presenceVisibility: presenceVisibility,
                presenceAllowList: allowList.isEmpty ? nil : allowList
            )
            let user = try await options.client().send(
                .patch,
                UserCommand.path(name),
                json: patch,
                as: AdminAPI.User.self
            )
            if options.json { return try Output.json(user) }
            print("Updated user \(user.name)")
        }
    }
}
