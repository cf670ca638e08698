import AdminHTTP
import ArgumentParser

/// `strowger presence show|set`: who is available, and setting a user's status, through the admin API.
struct PresenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Show who is available, or set a user's status.",
        subcommands: [Show.self, Set.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every user's presence, or one user's (strowger presence show alice)."
        )

        @Argument(help: "A user name; all users when absent.") var user: String?
        @Option(name: .customLong("as"), help: "Look as this user: users hiding from them show as unknown.")
        var viewer: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let query = AdminClient.query([("as", viewer)])
            let entries: [AdminAPI.Presence]
            if let user {
                entries = [
                    try await client.get(
                        "/api/presence/" + AdminClient.segment(user) + query,
                        as: AdminAPI.Presence.self
                    )
                ]
            } else {
                entries = try await client.get("/api/presence" + query, as: [AdminAPI.Presence].self)
            }
            if options.json {
                if user != nil, let entry = entries.first { return try Output.json(entry) }
                return try Output.json(entries)
            }
            Output.table(
                ["User", "State", "Phones", "Status", "Note"],
                entries.map { entry in
                    [
                        entry.user, entry.state, entry.activity ?? "-", entry.status ?? "-",
                        (entry.note ?? "").isEmpty ? "-" : entry.note ?? "-",
                    ]
                },
                empty: "Presence knows no users."
            )
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's status: strowger presence set alice away --note \"back at 3\"."
        )

        @Argument(help: "The user name.") var user: String
        @Argument(help: "available, away, busy or dnd.") var status: String
        @Option(name: .customLong("note"), help: "A short note (at most 140 characters).") var note: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let presence = try await options.client().send(
                .put,
                "/api/presence/" + AdminClient.segment(user) + "/status",
                json: AdminAPI.PresenceStatusUpdate(status: status, note: note),
                as: AdminAPI.Presence.self
            )
            if options.json { return try Output.json(presence) }
            print("\(presence.user) is \(presence.state)")
        }
    }
}
