import AdminHTTP
import ArgumentParser

/// `strowger route add|remove|list`: the dial plan's route patterns.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Add, remove and list route patterns (the dial plan).",
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add a route pattern, e.g. strowger route add 9.1XXX --to 1001, or strowger route add 900! --block."
        )

        @Argument(help: "The pattern: digits, X, [2-5], !, . and a final #.") var pattern: String
        @Option(help: "The directory number a matching call goes to.") var to: String?
        @Flag(help: "Refuse matching calls (reorder tone).") var block = false
        @Option(help: "A description.") var description: String = ""
        @Option(help: "Breaks ties between equally specific patterns, lower first.") var order: Int = 0
        @OptionGroup var options: ClientOptions

        func validate() throws {
            guard (to != nil) != block else { throw ValidationError("give either --to NUMBER or --block") }
        }

        func run() async throws {
            let body = AdminAPI.RoutePattern(
                pattern: pattern,
                targetNumber: to,
                isBlocked: block,
                description: description,
                sortOrder: order
            )
            let route = try await options.client().send(
                .post,
                "/api/routes",
                json: body,
                as: AdminAPI.RoutePattern.self
            )
            if options.json { return try Output.json(route) }
            print(
                "Added route \(route.id.map(String.init) ?? "?"): \(route.pattern) -> \(route.targetNumber ?? "blocked")"
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a route pattern by its id (see route list).")

        @Argument(help: "The route pattern's id.") var id: Int64
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete("/api/routes/\(id)")
            if !options.json { print("Removed route \(id)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the route patterns in plan order.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let routes = try await options.client().get("/api/routes", as: [AdminAPI.RoutePattern].self)
            if options.json { return try Output.json(routes) }
            Output.table(
                ["Id", "Pattern", "Target", "Order", "Description"],
                routes.map {
                    [
                        $0.id.map(String.init) ?? "-", $0.pattern, $0.targetNumber ?? "blocked", "\($0.sortOrder)",
                        $0.description.isEmpty ? "-" : $0.description,
                    ]
                },
                empty: "No route patterns are configured."
            )
        }
    }
}
