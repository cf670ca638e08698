import AdminHTTP
import ArgumentParser
import CallControl
import Foundation

/// `strowger softkeys list|show|set|remove`: softkey templates, the softkeys phones show in each call state
/// (issue 17); a device names one with `strowger device update NAME --softkey-template T`.
struct SoftkeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "softkeys",
        abstract: "List, show, set and remove softkey templates (the softkeys phones show in each call state).",
        subcommands: [List.self, Show.self, Set.self, Remove.self]
    )

    static func path(_ name: String) -> String { "/api/softkey-templates/" + AdminClient.segment(name) }

    static func print(_ template: AdminAPI.SoftkeyTemplate, json: Bool) throws {
        if json { return try Output.json(template) }
        var fields: [(String, String)] = [
            ("Template", template.name + (template.isBuiltIn == true ? " (built in)" : ""))
        ]
        for state in SoftkeyTemplate.State.allCases {
            if let keys = template.sets[state.rawValue] {
                fields.append((state.rawValue, keys.isEmpty ? "(none)" : keys.joined(separator: " ")))
            } else {
                fields.append((state.rawValue, "(Standard User's)"))
            }
        }
        if let devices = template.devices { fields.append(("Devices", Output.list(devices))) }
        Output.fields(fields)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the softkey templates and who uses them.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let templates = try await options.client().get(
                "/api/softkey-templates",
                as: [AdminAPI.SoftkeyTemplate].self
            )
            if options.json { return try Output.json(templates) }
            Output.table(
                ["Template", "States set", "Devices"],
                templates.map { template in
                    [
                        template.name + (template.isBuiltIn == true ? " (built in)" : ""),
                        template.isBuiltIn == true ? "all" : Output.list(template.sets.keys.sorted()),
                        template.isBuiltIn == true
                            ? "(every device that names none)" : Output.list(template.devices ?? []),
                    ]
                },
                empty: "No softkey templates."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a template's softkeys, state by state.")

        @Argument(help: "The template's name ('Standard User' for the built-in one).") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try SoftkeysCommand.print(
                try await options.client().get(SoftkeysCommand.path(name), as: AdminAPI.SoftkeyTemplate.self),
                json: options.json
            )
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a template or replace its softkeys, e.g. strowger softkeys set Lobby --state"
                + " onHook=Redial,NewCall --state connected=Hold,EndCall.",
            discussion: "Each --state gives one call state's softkeys in the order the phone shows them (at most"
                + " 16); states not given show the Standard User's keys. States: "
                + SoftkeyTemplate.State.allCases.map(\.rawValue).joined(separator: ", ") + ". Softkeys: "
                + SoftkeyTemplate.Key.allCases.map(\.rawValue).joined(separator: ", ")
                + ". Phones that name the template restart once idle to show the new keys."
        )

        @Argument(help: "The template's name.") var name: String
        @Option(name: .customLong("state"), help: "STATE=KEY,KEY,… (repeat for more states; STATE= for no keys).")
        var states: [String] = []
        @OptionGroup var options: ClientOptions

        func validate() throws {
            guard !states.isEmpty else { throw ValidationError("give at least one --state STATE=KEY,KEY") }
            _ = try Self.sets(states)
        }

        /// `--state` values as the API's object; every state and key checked here too, for an early message.
        static func sets(_ states: [String]) throws -> [String: [String]] {
            var sets: [String: [String]] = [:]
            for argument in states {
                guard let equals = argument.firstIndex(of: "=") else {
                    throw ValidationError("--state '\(argument)': expected STATE=KEY,KEY,…")
                }
                let stateName = String(argument[..<equals])
                guard let state = SoftkeyTemplate.State(rawValue: stateName) else {
                    throw ValidationError(
                        "--state '\(argument)': no call state '\(stateName)'; the states are "
                            + SoftkeyTemplate.State.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
                guard sets[state.rawValue] == nil else {
                    throw ValidationError("--state \(state.rawValue) is given twice")
                }
                let names = argument[argument.index(after: equals)...].split(separator: ",").map {
                    String($0).trimmingCharacters(in: .whitespaces)
                }
                var keys: [String] = []
                for name in names {
                    guard let key = SoftkeyTemplate.Key(name: name) else {
                        throw ValidationError(
                            "--state '\(argument)': no softkey '\(name)'; the softkeys are "
                                + SoftkeyTemplate.Key.allCases.map(\.rawValue).joined(separator: ", ")
                        )
                    }
                    keys.append(key.rawValue)
                }
                sets[state.rawValue] = keys
            }
            return sets
        }

        func run() async throws {
            let template = try await options.client().setSoftkeyTemplate(name, sets: try Self.sets(states))
            if options.json { return try Output.json(template) }
            Swift.print("Saved softkey template \(template.name)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a template no device names.")

        @Argument(help: "The template's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().deleteSoftkeyTemplate(name)
            if options.json { return try Output.json(["removed": name]) }
            Swift.print("Removed softkey template \(name)")
        }
    }
}
