import AdminHTTP
import ArgumentParser

/// `strowger trunk add|update|list|show|remove`: SIP trunks to gateways, carriers and other PBXs (issue 15).
struct TrunkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trunk",
        abstract: "Add, change, list, show and remove SIP trunks.",
        subcommands: [Add.self, Update.self, List.self, ShowTrunk.self, Remove.self]
    )

    /// The options `add` and `update` share.
    struct Settings: ParsableArguments {
        @Option(help: "The peer: a host name or IP address, with an optional :PORT ([IPv6]:PORT).")
        var host: String?
        @Option(help: "udp (default), tcp or tls.") var transport: String?
        @Option(help: "Register with the peer as USER:PASSWORD (and answer its digest challenges); \"\" removes it.")
        var register: String?
        @Option(help: "The domain in From, To and the REGISTER Request-URI (default: the host).")
        var fromDomain: String?
        @Flag(
            inversion: .prefixedNo,
            help: "Accept requests from other addresses that authenticate with the registration credentials."
        )
        var acceptCredentials: Bool?
        @Option(help: "Inbound called numbers: drop this many leading digits.") var inboundStrip: Int?
        @Option(help: "Inbound called numbers: then put these digits in front.") var inboundPrefix: String?
        @Option(help: "Where inbound calls go whose number is not a directory number.") var defaultNumber: String?
        @Option(help: "A description.") var description: String?
        @Option(help: "The most calls at once (1-4096); 0: the server's default (200).") var maxCalls: Int?

        func validate() throws {
            if let host { _ = try Self.split(host) }
            if let transport, !["udp", "tcp", "tls"].contains(transport.lowercased()) {
                throw ValidationError("--transport must be udp, tcp or tls, not \"\(transport)\"")
            }
            if let register, !register.isEmpty { _ = try Self.credentials(register) }
            if let inboundStrip, !(0...32).contains(inboundStrip) {
                throw ValidationError("--inbound-strip must be 0-32")
            }
            if let maxCalls, !(0...4_096).contains(maxCalls) {
                throw ValidationError("--max-calls must be 0-4096 (0: the server's default)")
            }
        }

        /// `HOST[:PORT]` or `[IPv6]:PORT`.
        static func split(_ text: String) throws -> (host: String, port: Int?) {
            if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else {
                    throw ValidationError("--host \(text): [ without ]")
                }
                let host = String(text[text.index(after: text.startIndex)..<close])
                let rest = text[text.index(after: close)...]
                if rest.isEmpty { return (host, nil) }
                guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65_535).contains(port) else {
                    throw ValidationError("--host \(text): the port must be 1-65535")
                }
                return (host, port)
            }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            switch parts.count {
            case 1:
                return (text, nil)
            case 2:
                guard let port = Int(parts[1]), (1...65_535).contains(port) else {
                    throw ValidationError("--host \(text): the port must be 1-65535")
                }
                return (String(parts[0]), port)
            default:
                // A bare IPv6 address.
                return (text, nil)
            }
        }

        static func credentials(_ text: String) throws -> (user: String, password: String) {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                text.index(after: colon) != text.endIndex
            else { throw ValidationError("--register takes USER:PASSWORD") }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }

        func body(name: String) throws -> AdminAPI.Trunk {
            var body = AdminAPI.Trunk(name: name)
            if let host {
                let (address, port) = try Self.split(host)
                body.host = address
                body.port = port ?? 0
            }
            body.transport = transport?.lowercased()
            if let register {
                if register.isEmpty {
                    body.registrationUser = ""
                } else {
                    let (user, password) = try Self.credentials(register)
                    body.registrationUser = user
                    body.registrationPassword = password
                }
            }
            body.fromDomain = fromDomain
            body.acceptsInboundCredentials = acceptCredentials
            body.inboundStrip = inboundStrip
            body.inboundPrefix = inboundPrefix
            body.defaultNumber = defaultNumber
            body.description = description
            body.maxCalls = maxCalls
            return body
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a trunk, e.g. strowger trunk add carrier --host sip.example.net --register 4930123:secret."
        )

        @Argument(help: "The trunk's name (letters, digits, . _ -).") var name: String
        @OptionGroup var settings: Settings
        @OptionGroup var options: ClientOptions

        func validate() throws {
            guard settings.host != nil else { throw ValidationError("give the peer with --host HOST[:PORT]") }
        }

        func run() async throws {
            var body = try settings.body(name: name)
            if body.port == 0 { body.port = nil }
            let trunk = try await options.client().send(.post, "/api/trunks", json: body, as: AdminAPI.Trunk.self)
            if options.json { return try Output.json(trunk) }
            print("Added trunk \(trunk.name ?? name): \(TrunkCommand.peer(trunk))")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a trunk's settings (the options given).")

        @Argument(help: "The trunk's name.") var name: String
        @OptionGroup var settings: Settings
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let trunk = try await options.client().send(
                .patch,
                "/api/trunks/\(AdminClient.segment(name))",
                json: try settings.body(name: name),
                as: AdminAPI.Trunk.self
            )
            if options.json { return try Output.json(trunk) }
            print("Updated trunk \(trunk.name ?? name): \(TrunkCommand.peer(trunk))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the trunks with their live state.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let trunks = try await client.get("/api/trunks", as: [AdminAPI.Trunk].self)
            let statuses = try await client.get("/api/status/trunks", as: [AdminAPI.TrunkStatus].self)
            if options.json { return try Output.json(trunks) }
            let byName = Dictionary(
                statuses.map { ($0.name.lowercased(), $0) },
                uniquingKeysWith: { first, _ in first }
            )
            Output.table(
                ["Name", "Peer", "Register", "State", "Registration", "Calls"],
                trunks.map { trunk in
                    let status = byName[(trunk.name ?? "").lowercased()]
                    return [
                        trunk.name ?? "-", TrunkCommand.peer(trunk), trunk.registrationUser ?? "-",
                        status.map(TrunkCommand.state) ?? "-", status?.registration ?? "-",
                        TrunkCommand.calls(trunk, status),
                    ]
                },
                empty: "No trunks are configured."
            )
        }
    }

    struct ShowTrunk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one trunk in full.")

        @Argument(help: "The trunk's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let trunk = try await client.get("/api/trunks/\(AdminClient.segment(name))", as: AdminAPI.Trunk.self)
            let status = try await client.get("/api/status/trunks", as: [AdminAPI.TrunkStatus].self)
                .first { $0.name.lowercased() == name.lowercased() }
            if options.json { return try Output.json(trunk) }
            var fields: [(String, String)] = [
                ("Name", trunk.name ?? name),
                ("Peer", TrunkCommand.peer(trunk)),
                ("Registration user", trunk.registrationUser ?? "- (no registration)"),
                ("Password", trunk.hasRegistrationPassword == true ? "set (not shown)" : "-"),
                ("From domain", trunk.fromDomain ?? "- (the host)"),
                ("Accepts credentials", trunk.acceptsInboundCredentials == true ? "yes" : "no"),
                ("Inbound strip", "\(trunk.inboundStrip ?? 0)"),
                ("Inbound prefix", (trunk.inboundPrefix ?? "").isEmpty ? "-" : trunk.inboundPrefix ?? "-"),
                ("Default number", trunk.defaultNumber ?? "-"),
                ("Calls", TrunkCommand.calls(trunk, status)),
            ]
            if let status {
                fields.append(("State", TrunkCommand.state(status)))
                if let check = status.lastCheck { fields.append(("Last check", Output.date(check) + " UTC")) }
                fields.append(("Registration", TrunkCommand.registration(status)))
            }
            if let description = trunk.description, !description.isEmpty { fields.append(("Description", description)) }
            Output.fields(fields)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a trunk (route patterns that use it must be removed first)."
        )

        @Argument(help: "The trunk's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete("/api/trunks/\(AdminClient.segment(name))")
            if !options.json { print("Removed trunk \(name)") }
        }
    }

    static func peer(_ trunk: AdminAPI.Trunk) -> String {
        let host = trunk.host ?? "?"
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(trunk.transport ?? "udp")://\(shown):\(trunk.port.map(String.init) ?? "?")"
    }

    /// `3 of 200`: the calls on the trunk now and its limit (`200` is the server's default).
    static func calls(_ trunk: AdminAPI.Trunk, _ status: AdminAPI.TrunkStatus?) -> String {
        let limit = trunk.maxCalls.map(String.init) ?? "200"
        return "\(status?.activeCalls.map(String.init) ?? "-") of \(limit)"
    }

    static func state(_ status: AdminAPI.TrunkStatus) -> String {
        guard let code = status.lastResponseCode else { return status.state }
        return "\(status.state) (\(code) \(status.lastResponseReason ?? ""))"
    }

    static func registration(_ status: AdminAPI.TrunkStatus) -> String {
        switch status.registration {
        case "registered":
            return "registered until \(status.registrationUntil.map { Output.date($0) + " UTC" } ?? "?")"
        case "failed":
            return "failed (\(status.registrationError ?? "?")), retry at "
                + (status.registrationUntil.map { Output.date($0) + " UTC" } ?? "?")
        default:
            return status.registration
        }
    }
}
