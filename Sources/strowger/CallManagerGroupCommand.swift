import AdminHTTP
import ArgumentParser
import StrowgerApp

/// `strowger cmgroup list|show|set|delete`: CallManager groups, the nodes a phone's cnf.xml tells it to register
/// with.
struct CallManagerGroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cmgroup",
        abstract: "List, show, set and delete CallManager groups (the nodes phones register with, from their cnf.xml).",
        subcommands: [List.self, Show.self, SetGroup.self, Delete.self]
    )

    /// `host:sccp:sccps`, an IPv6 host in brackets.
    static func describe(_ member: AdminAPI.CallManagerGroupMember) -> String {
        let host = member.host.contains(":") ? "[\(member.host)]" : member.host
        return "\(host):\(member.sccpPort):\(member.sccpsPort)"
    }

    /// `HOST[:SCCP_PORT[:SCCPS_PORT]]` as a member; the ports default to 2000 and 2443.
    static func member(_ text: String) throws -> AdminAPI.CallManagerGroupMember {
        let address: CallManagerAddress
        do {
            address = try CallManagerAddress(parsing: text)
        } catch {
            throw ValidationError("member \(error)")
        }
        return AdminAPI.CallManagerGroupMember(
            host: address.host,
            sccpPort: address.sccpPort ?? 2000,
            sccpsPort: address.sccpsPort ?? 2443
        )
    }

    static func print(_ group: AdminAPI.CallManagerGroup, json: Bool) throws {
        if json { return try Output.json(group) }
        var fields = [("Group", group.name)]
        for (index, member) in group.members.enumerated() {
            fields.append((index == 0 ? "Primary" : "Backup \(index)", describe(member)))
        }
        fields.append(("Devices", Output.list(group.devices)))
        Output.fields(fields)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the CallManager groups.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let groups = try await options.client().callManagerGroups()
            if options.json { return try Output.json(groups) }
            Output.table(
                ["Group", "Members (host:sccp:sccps, primary first)", "Devices"],
                groups.map {
                    [
                        $0.name, $0.members.map(CallManagerGroupCommand.describe).joined(separator: ", "),
                        "\($0.devices.count)",
                    ]
                },
                empty: "No CallManager groups are configured: phones get the server's own nodes."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one CallManager group and its devices.")

        @Argument(help: "The group's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try CallManagerGroupCommand.print(
                try await options.client().callManagerGroup(named: name),
                json: options.json
            )
        }
    }

    struct SetGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Create a CallManager group or replace its members, e.g."
                + " strowger cmgroup set Default 192.0.2.10 192.0.2.11:2000:2443."
        )

        @Argument(help: "The group's name (the group named Default is that of devices that name none).")
        var name: String
        @Argument(
            help: ArgumentHelp(
                "One to three nodes, primary first: HOST[:SCCP_PORT[:SCCPS_PORT]] (ports default to 2000 and 2443;"
                    + " IPv6 in brackets).",
                valueName: "member"
            )
        )
        var members: [String] = []
        @OptionGroup var options: ClientOptions

        func validate() throws {
            guard (1...CallManagerAddress.maximumCount).contains(members.count) else {
                throw ValidationError(
                    "give one to three members, HOST[:SCCP_PORT[:SCCPS_PORT]], primary first; got \(members.count)"
                )
            }
        }

        func run() async throws {
            let group = try await options.client().setCallManagerGroup(
                named: name,
                members: try members.map(CallManagerGroupCommand.member)
            )
            try CallManagerGroupCommand.print(group, json: options.json)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a CallManager group (refused while devices name it)."
        )

        @Argument(help: "The group's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().deleteCallManagerGroup(named: name)
            if !options.json { Swift.print("Deleted CallManager group \(name)") }
        }
    }
}
