import AdminHTTP
import ArgumentParser
import CallControl
import Foundation

/// `strowger device add|remove|list|show|update|reset|prune`.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Add, remove, list, change and reset phones.",
        subcommands: [Add.self, Remove.self, List.self, Show.self, Update.self, Reset.self, Prune.self]
    )

    static func path(_ name: String) -> String {
        "/api/devices/" + AdminClient.segment(DeviceName.canonicalSpelling(of: name))
    }

    /// `INDEX:NUMBER[:LABEL]`, e.g. `1:1002:Bob`.
    static func speedDial(_ text: String) throws -> AdminAPI.SpeedDial {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let index = Int(parts[0]), !parts[1].isEmpty else {
            throw ValidationError("--speed-dial must be INDEX:NUMBER[:LABEL], e.g. 1:1002:Bob, not '\(text)'")
        }
        return AdminAPI.SpeedDial(buttonIndex: index, number: parts[1], label: parts.count > 2 ? parts[2] : "")
    }

    static func print(_ device: AdminAPI.Device, json: Bool) throws {
        if json { return try Output.json(device) }
        Output.fields([
            ("Device", device.name),
            ("Model", device.model.isEmpty ? "-" : device.model),
            ("Description", device.description.isEmpty ? "-" : device.description),
            ("Owner", device.owner ?? "-"),
            ("CM group", device.callManagerGroup ?? "- (Default)"),
            ("Lines", Output.list(device.lines)),
            (
                "Speed dials",
                Output.list(
                    device.speedDials.map {
                        "\($0.buttonIndex):\($0.number)" + ($0.label.isEmpty ? "" : " \($0.label)")
                    }
                )
            ),
            ("Auto-registered", device.isAutoRegistered ? "yes" : "no"),
            ("Security mode", device.securityMode),
            ("Client cert", device.requiresClientCertificate ? "required" : "not required"),
            ("Load", device.loadInformation ?? "- (the phone's own)"),
            ("Music on hold", device.musicSource ?? "- (default)"),
            ("Do not disturb", OnOff(device.doNotDisturb).rawValue),
            ("Softkeys", device.softkeyTemplate ?? "- (Standard User)"),
            ("Last registered", device.lastRegisteredAt.map { Output.date($0) + " UTC" } ?? "-"),
        ])
    }

    /// What `--security-mode` takes (the admin API checks it too; this gives the error before a request is made).
    static let securityModes = ["non-secure", "authenticated", "encrypted"]

    static func securityMode(_ text: String) throws -> String {
        guard securityModes.contains(text) else {
            throw ValidationError(
                "--security-mode must be one of \(securityModes.joined(separator: ", ")), not '\(text)'"
            )
        }
        return text
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a phone, e.g. strowger device add SEP001122334455 --model 7960 --line 1001."
        )

        @Argument(help: "The device name: SEP followed by the MAC address (12 hex digits).") var name: String
        @Option(help: "The phone model, e.g. 7960.") var model: String = ""
        @Option(help: "A description.") var description: String = ""
        @Option(help: "The owner's user name.") var owner: String?
        @Option(
            name: .customLong("callmanager-group"),
            help: "The CallManager group for the phone's cnf.xml (see strowger cmgroup; default: Default)."
        )
        var callManagerGroup: String?
        @Option(name: .customLong("line"), help: "A line for the next button (repeat for more); it must exist.")
        var lines: [String] = []
        @Option(name: .customLong("speed-dial"), help: "A speed dial as INDEX:NUMBER[:LABEL] (repeat for more).")
        var speedDials: [String] = []
        @Option(
            name: .customLong("security-mode"),
            help: "non-secure (SCCP on 2000), authenticated or encrypted (SCCP over TLS on 2443), for the cnf.xml.",
            transform: DeviceCommand.securityMode
        )
        var securityMode: String = "non-secure"
        @Flag(
            name: .customLong("require-client-certificate"),
            help: "The phone must present a certificate from `strowger cert issue` (needs a secure --security-mode)."
        )
        var requireClientCertificate = false
        @Option(
            name: .customLong("load"),
            help: "The firmware load for the phone's cnf.xml, e.g. SCCP41.9-4-2SR3-1S (default: the phone's own)."
        )
        var load: String?
        @Option(
            name: .customLong("music"),
            help: "The music source parties this phone holds hear, unless the line has one (see strowger moh list)."
        )
        var music: String?
        @Option(
            name: .customLong("softkey-template"),
            help: "The softkey template the phone shows (see strowger softkeys list; default: Standard User)."
        )
        var softkeyTemplate: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let body = AdminAPI.Device(
                name: DeviceName.canonicalSpelling(of: name),
                model: model,
                description: description,
                owner: owner,
                callManagerGroup: callManagerGroup,
                lines: lines,
                speedDials: try speedDials.map(DeviceCommand.speedDial),
                securityMode: securityMode,
                requiresClientCertificate: requireClientCertificate,
                loadInformation: load,
                musicSource: music,
                softkeyTemplate: softkeyTemplate
            )
            let device = try await options.client().send(.post, "/api/devices", json: body, as: AdminAPI.Device.self)
            if options.json { return try Output.json(device) }
            Swift.print(
                "Added device \(device.name)" + (device.lines.isEmpty ? "" : " with lines \(Output.list(device.lines))")
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a phone (it is unregistered).")

        @Argument(help: "The device name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete(DeviceCommand.path(name))
            if !options.json { Swift.print("Removed device \(DeviceName.canonicalSpelling(of: name))") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the configured phones.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let devices = try await options.client().get("/api/devices", as: [AdminAPI.Device].self)
            if options.json { return try Output.json(devices) }
            Output.table(
                ["Device", "Model", "Description", "Owner", "Lines", "Speed dials", "Auto"],
                devices.map {
                    [
                        $0.name, $0.model.isEmpty ? "-" : $0.model, $0.description.isEmpty ? "-" : $0.description,
                        $0.owner ?? "-", Output.list($0.lines), "\($0.speedDials.count)",
                        $0.isAutoRegistered ? "yes" : "no",
                    ]
                },
                empty: "No devices are configured."
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one phone's configuration.")

        @Argument(help: "The device name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let device = try await options.client().get(DeviceCommand.path(name), as: AdminAPI.Device.self)
            try DeviceCommand.print(device, json: options.json)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change a phone: model, description, owner, name (a new MAC), lines, speed dials, CallManager group or"
                + " TLS security."
        )

        @Argument(help: "The device name.") var name: String
        @Option(name: .customLong("new-name"), help: "A new device name: the phone was replaced.") var newName: String?
        @Option(help: "The phone model.") var model: String?
        @Option(help: "A description.") var description: String?
        @Option(help: "The owner's user name ('' for none).") var owner: String?
        @Option(
            name: .customLong("callmanager-group"),
            help: "The CallManager group for the phone's cnf.xml ('' for the Default group)."
        )
        var callManagerGroup: String?
        @Option(name: .customLong("line"), help: "The phone's lines in button order (replaces them all).")
        var lines: [String] = []
        @Flag(name: .customLong("no-lines"), help: "Take every line off the phone.") var noLines = false
        @Option(name: .customLong("speed-dial"), help: "The phone's speed dials (replaces them all).")
        var speedDials: [String] = []
        @Option(
            name: .customLong("security-mode"),
            help: "non-secure, authenticated or encrypted.",
            transform: DeviceCommand.securityMode
        )
        var securityMode: String?
        @Flag(
            name: .customLong("require-client-certificate"),
            inversion: .prefixedNo,
            help: "Whether the phone must present a certificate from `strowger cert issue` (mutual TLS)."
        )
        var requireClientCertificate: Bool?
        @Option(
            name: .customLong("load"),
            help: "The firmware load for the phone's cnf.xml, e.g. SCCP41.9-4-2SR3-1S ('' for the phone's own)."
        )
        var load: String?
        @Option(name: .customLong("music"), help: "The music source parties this phone holds hear ('' for default).")
        var music: String?
        @Option(help: "Do not disturb: on or off (as the phone's DND softkey sets it).") var dnd: OnOff?
        @Option(
            name: .customLong("softkey-template"),
            help: "The softkey template the phone shows ('' for the built-in Standard User); it restarts once idle."
        )
        var softkeyTemplate: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            var patch = AdminAPI.DevicePatch()
            patch.doNotDisturb = dnd?.isOn
            patch.name = newName
            patch.model = model
            patch.description = description
            if let owner { patch.owner = .some(owner.isEmpty ? nil : owner) }
            if let callManagerGroup {
                patch.callManagerGroup = .some(callManagerGroup.isEmpty ? nil : callManagerGroup)
            }
            if noLines { patch.lines = [] } else if !lines.isEmpty { patch.lines = lines }
            if !speedDials.isEmpty { patch.speedDials = try speedDials.map(DeviceCommand.speedDial) }
            patch.securityMode = securityMode
            patch.requiresClientCertificate = requireClientCertificate
            if let load { patch.loadInformation = .some(load.isEmpty ? nil : load) }
            if let music { patch.musicSource = .some(music.isEmpty ? nil : music) }
            if let softkeyTemplate { patch.softkeyTemplate = .some(softkeyTemplate.isEmpty ? nil : softkeyTemplate) }
            let device = try await options.client().send(
                .patch,
                DeviceCommand.path(name),
                json: patch,
                as: AdminAPI.Device.self
            )
            try DeviceCommand.print(device, json: options.json)
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reset a phone: it restarts, registers again and picks up its configuration."
        )

        @Argument(help: "The device name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let result = try await options.client().send(
                .post,
                DeviceCommand.path(name) + "/reset",
                as: AdminAPI.ResetResult.self
            )
            if options.json { return try Output.json(result) }
            Swift.print(
                result.wasRegistered
                    ? "Reset device \(result.name)"
                    : "Device \(result.name) is not registered; it picks up its configuration when it registers"
            )
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove auto-registered phones that have not registered for a while, and free their numbers.",
            discussion: """
                e.g. strowger device prune --auto-registered --unused-for 30d. A phone registered now is never \
                removed. The lines that were on the removed phones only are removed too, so auto-registration can \
                hand their numbers out again. --dry-run lists what would go.
                """
        )

        @Flag(
            name: .customLong("auto-registered"),
            help: "Only phones auto-registration created (required: administrators' phones are not pruned by age)."
        )
        var autoRegistered = false
        @Option(
            name: .customLong("unused-for"),
            help: "How long a phone has not registered: a number and s, m, h, d or w, e.g. 30d (at least 1h).",
            transform: Prune.duration
        )
        var unusedFor: Int
        @Flag(name: .customLong("dry-run"), help: "List what would be removed; remove nothing.") var dryRun = false
        @OptionGroup var options: ClientOptions

        /// `30d`, `12h`, `90m`, `3600s`, `2w` as seconds.
        static func duration(_ text: String) throws -> Int {
            let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
            guard let unit = text.last, let factor = units[unit], let value = Int(text.dropLast()), value > 0,
                value <= Int.max / factor
            else {
                throw ValidationError("--unused-for must be a number and s, m, h, d or w, e.g. 30d, not '\(text)'")
            }
            return value * factor
        }

        func validate() throws {
            guard autoRegistered else {
                throw ValidationError("prune removes auto-registered phones only: add --auto-registered")
            }
            guard unusedFor >= 3_600 else {
                throw ValidationError("--unused-for must be at least 1h")
            }
        }

        func run() async throws {
            let result = try await options.client().send(
                .post,
                "/api/devices/prune",
                json: AdminAPI.PruneRequest(autoRegistered: true, unusedForSeconds: unusedFor, dryRun: dryRun),
                as: AdminAPI.PruneResult.self
            )
            if options.json { return try Output.json(result) }
            let verb = dryRun ? "Would remove" : "Removed"
            guard !result.devices.isEmpty else {
                Swift.print("No auto-registered phone has gone unregistered that long.")
                return
            }
            Swift.print(
                "\(verb) \(result.devices.count) phone\(result.devices.count == 1 ? "" : "s"): "
                    + result.devices.joined(separator: ", ")
            )
            if !result.lines.isEmpty {
                Swift.print(
                    "\(verb) \(result.lines.count) line\(result.lines.count == 1 ? "" : "s"): \(result.lines.joined(separator: ", "))"
                )
            }
        }
    }
}
