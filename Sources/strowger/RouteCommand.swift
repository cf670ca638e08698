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
                "Add a route pattern, e.g. strowger route add 9.1XXX --to 1001, strowger route add 900! --block, or"
                + " strowger route add 9.! --trunk carrier --strip-pre-dot --prefix +49."
        )

        @Argument(help: "The pattern: digits, X, [2-5], !, . and a final #.") var pattern: String
        @Option(help: "The directory number a matching call goes to.") var to: String?
        @Flag(help: "Refuse matching calls (reorder tone).") var block = false
        @Option(help: "Send matching calls out over this SIP trunk.") var trunk: String?
        @Flag(help: "With --trunk: drop the digits dialled before the pattern's '.' (the access code).")
        var stripPreDot = false
        @Option(help: "With --trunk: put these digits in front of the number sent (e.g. +49).") var prefix: String?
        @Option(help: "A description.") var description: String = ""
        @Option(help: "Breaks ties between equally specific patterns, lower first.") var order: Int = 0
        @OptionGroup var options: ClientOptions

        func validate() throws {
            let targets = [to != nil, block, trunk != nil].filter { $0 }.count
            guard targets == 1 else {
                throw ValidationError("give exactly one of --trunk NAME, --to NUMBER or --block")
            }
            if trunk == nil, stripPreDot || prefix != nil {
                throw ValidationError("--strip-pre-dot and --prefix go with --trunk")
            }
            if stripPreDot, !pattern.contains(".") {
                throw ValidationError("--strip-pre-dot needs a '.' in the pattern (e.g. 9.!), got '\(pattern)'")
            }
        }

        func run() async throws {
            let body = AdminAPI.RoutePattern(
                pattern: pattern,
                targetNumber: to,
                isBlocked: block,
                trunk: trunk,
                stripPreDot: stripPreDot,
                prefix: prefix ?? "",
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
            print("Added route \(route.id.map(String.init) ?? "?"): \(route.pattern) -> \(RouteCommand.target(route))")
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
                        $0.id.map(String.init) ?? "-", $0.pattern, RouteCommand.target($0), "\($0.sortOrder)",
                        $0.description.isEmpty ? "-" : $0.description,
                    ]
                },
                empty: "No route patterns are configured."
            )
        }
    }

    /// Where a route goes, for people: a number, `blocked`, or `trunk carrier (strip pre-dot, prefix +49)`.
    static func target(_ route: AdminAPI.RoutePattern) -> String {
        if let number = route.targetNumber { return number }
        guard let trunk = route.trunk else { return "blocked" }
        var manipulation: [String] = []
        if route.stripPreDot { manipulation.append("strip pre-dot") }
        if !route.prefix.isEmpty { manipulation.append("prefix \(route.prefix)") }
        return "trunk \(trunk)" + (manipulation.isEmpty ? "" : " (\(manipulation.joined(separator: ", ")))")
    }
}
