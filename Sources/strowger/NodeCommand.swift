import AdminHTTP
import ArgumentParser

/// `strowger node add|list|remove`: the nodes of the cluster and the addresses of their cluster ports
/// (docs/cluster.md, issue 19).
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Add, list and remove the nodes of the cluster.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a node, e.g. strowger node add cm2 192.0.2.12.",
            discussion: """
                NAME is what that node's strowger serve --node says; ADDRESS is its cluster port: an IP address \
                with an optional port (8500 if none), e.g. 192.0.2.12, 192.0.2.12:8501 or [2001:db8::12]:8501. \
                Only datagrams from node addresses are accepted on the cluster port, and heartbeats go to them. \
                Every node, this one included, needs its row.
                """
        )

        @Argument(help: "The node's name (letters, digits, -, _ and .).") var name: String
        @Argument(help: "Its cluster port: IP[:PORT] or [IPv6]:PORT.") var address: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let stored = try await options.client().addNode(AdminAPI.Node(name: name, address: address))
            if options.json { return try Output.json(stored) }
            print("Added node \(stored.name) at \(stored.address).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the nodes and their addresses.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let nodes = try await options.client().nodes()
            if options.json { return try Output.json(nodes) }
            Output.table(
                ["Name", "Address"],
                nodes.map { [$0.name, $0.address] },
                empty: "No nodes are configured (this server runs alone)."
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a node.")

        @Argument(help: "The node's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().removeNode(name)
            if !options.json { print("Removed node \(name).") }
        }
    }
}
