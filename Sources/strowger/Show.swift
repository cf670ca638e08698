import AdminHTTP
import ArgumentParser
import StrowgerApp

/// `strowger show ...`: read-only views of the running server, in CUCM's words.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the version, status, registered devices, lines and calls.",
        subcommands: [ShowVersion.self, ShowStatus.self, ShowDevices.self, ShowLines.self, ShowCalls.self]
    )
}

struct ShowVersion: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the version.",
        subcommands: [Active.self]
    )

    /// `show version active`: CUCM's "Active Master Version", plus the running server's when one answers.
    struct Active: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print this strowger's version and, if a server answers, the running server's."
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            var running: String?
            if let client = try? options.client(requireToken: true),
                let status = try? await client.get("/api/status", as: AdminAPI.Status.self)
            {
                running = status.version
            }
            if options.json {
                try Output.json(VersionReport(active: StrowgerVersion.current, running: running))
                return
            }
            print("Active Master Version: \(StrowgerVersion.current)")
            if let running {
                print("Running Server Version: \(running) (\(options.serverURL))")
            }
        }
    }

    struct VersionReport: Encodable {
        var active: String
        var running: String?
    }
}

struct ShowStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the server's version, uptime and counts."
    )

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let client = try options.client()
        let status = try await client.get("/api/status", as: AdminAPI.Status.self)
        let trunks = try await client.get("/api/status/trunks", as: [AdminAPI.TrunkStatus].self)
        if options.json { return try Output.json(StatusReport(status: status, trunks: trunks)) }
        Output.fields([
            ("Server", options.serverURL),
            ("Version", status.version),
            ("Started", Output.date(status.startedAt) + " UTC"),
            ("Registered devices", "\(status.registeredDevices) of \(status.devices) configured"),
            ("Active calls", "\(status.activeCalls)"),
            ("Lines", "\(status.lines)"),
            ("Users", "\(status.users)"),
            ("Route patterns", "\(status.routePatterns)"),
            ("Call records", "\(status.callRecords)"),
        ])
        guard !trunks.isEmpty else { return }
        print("")
        Output.table(
            ["Trunk", "State", "Registration"],
            trunks.map { [$0.name, TrunkCommand.state($0), TrunkCommand.registration($0)] },
            empty: ""
        )
    }

    /// `--json`: the status with the trunks' states.
    struct StatusReport: Encodable {
        var status: AdminAPI.Status
        var trunks: [AdminAPI.TrunkStatus]
    }
}

struct ShowDevices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "Show every device: registered or not, and for registered ones their address, model and protocol.",
        discussion: "--json prints the same rows as the table, one object per device."
    )

    @OptionGroup var options: ClientOptions

    /// One row of the table, and one object of `--json`: the configured devices and the registered ones, merged.
    struct Row: Encodable, Equatable {
        var name: String
        /// `registered` or `unregistered`.
        var status: String
        var address: String?
        var model: String?
        var protocolVersion: Int?
        var lines: [String]
        /// Calls up on the device now; nil when it is not registered.
        var activeCalls: Int?
    }

    /// The rows, by name: every configured device and every registered one (an auto-registration may not be
    /// configured yet when the two lists are read).
    static func rows(configured: [AdminAPI.Device], registered: [AdminAPI.RegisteredDevice]) -> [Row] {
        let live = Dictionary(registered.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let stored = Dictionary(configured.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Set(configured.map(\.name)).union(registered.map(\.name))
        return names.sorted().map { name in
            let device = live[name]
            let model = device?.model ?? stored[name].flatMap { $0.model.isEmpty ? nil : $0.model }
            return Row(
                name: name,
                status: device == nil ? "unregistered" : "registered",
                address: device?.address,
                model: model,
                protocolVersion: device?.protocolVersion,
                lines: device?.lines ?? stored[name]?.lines ?? [],
                activeCalls: device?.activeCalls
            )
        }
    }

    func run() async throws {
        let client = try options.client()
        let registered = try await client.get("/api/status/devices", as: [AdminAPI.RegisteredDevice].self)
        let configured = try await client.get("/api/devices", as: [AdminAPI.Device].self)
        let rows = Self.rows(configured: configured, registered: registered)
        if options.json { return try Output.json(rows) }
        Output.table(
            ["Device", "Status", "Address", "Model", "Protocol", "Lines", "Calls"],
            rows.map { row in
                [
                    row.name, row.status, row.address ?? "-", row.model ?? "-",
                    row.protocolVersion.map(String.init) ?? "-", Output.list(row.lines),
                    row.activeCalls.map { "\($0)" } ?? "-",
                ]
            },
            empty: "No devices are configured or registered."
        )
    }
}

struct ShowLines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lines",
        abstract: "Show every line with its devices, which of them are registered, and its calls."
    )

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let lines = try await options.client().get("/api/status/lines", as: [AdminAPI.LineStatus].self)
        if options.json { return try Output.json(lines) }
        Output.table(
            ["Line", "Name", "Devices", "Registered", "Calls", "Forward all"],
            lines.map {
                [
                    $0.number, $0.displayName.isEmpty ? "-" : $0.displayName, Output.list($0.devices),
                    Output.list($0.registeredDevices), "\($0.activeCalls)", $0.forwardAll ?? "-",
                ]
            },
            empty: "No lines are configured."
        )
    }
}

struct ShowCalls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "Show the calls up now, each with all its legs.",
        discussion: "One row per leg (a device's side of the call), the call's first leg (the one that placed it, or"
            + " the party that stayed after a transfer) first. --json prints GET /api/status/calls: each call with"
            + " its id, legs, dialled digits, park slot and hunt pilot."
    )

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let calls = try await options.client().get("/api/status/calls", as: [AdminAPI.ActiveCall].self)
        if options.json { return try Output.json(calls) }
        var rows: [[String]] = []
        for call in calls {
            var notes: [String] = []
            if let dialing = call.dialing { notes.append("dialled \(dialing)") }
            if let pilot = call.huntPilot { notes.append("hunt group \(pilot)") }
            if let slot = call.parkSlot { notes.append("parked at \(slot)") }
            for (index, leg) in call.legs.enumerated() {
                rows.append([
                    index == 0 ? call.id.map(String.init) ?? "-" : "", leg.device, leg.number ?? "-", leg.state,
                    index == 0 ? notes.joined(separator: ", ") : "",
                ])
            }
        }
        Output.table(["Call", "Device", "Number", "State", "Note"], rows, empty: "No calls are up.")
    }
}
