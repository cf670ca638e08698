import AdminHTTP
import ArgumentParser

/// `strowger park set|off|show`: the call park slots and the reversion time (part of the settings).
struct ParkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "park",
        abstract: "Set, turn off and show call park (the slots parked calls wait in, and when they ring back).",
        subcommands: [SetPark.self, Off.self, Show.self]
    )

    /// The park part of the settings, as people or scripts read it.
    struct Report: Encodable, Equatable {
        /// `7000-7019`, or nil when park is off.
        var slots: String?
        var reversionSeconds: Int?
    }

    static func print(_ settings: AdminAPI.Settings, json: Bool) throws {
        let slots = settings.parkSlots.flatMap { $0.isEmpty ? nil : $0 }
        if json { return try Output.json(Report(slots: slots, reversionSeconds: settings.parkReversionSeconds)) }
        Output.fields([
            ("Park slots", slots ?? "off"),
            ("Reversion", settings.parkReversionSeconds.map { "\($0) s" } ?? "-"),
        ])
    }

    struct SetPark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Turn park on or change it, e.g. strowger park set --range 7000-7019 --reversion 90.",
            discussion: "The slots are numbers of equal length (at most 1000), none of them a line, hunt pilot or"
                + " pickup group. Park on the phone puts the call in the first free slot; dialling the slot retrieves"
                + " it; after the reversion time it rings the phone that parked it."
        )

        @Option(help: "The slots, FIRST-LAST (7000-7019) or one number.", transform: FeatureArguments.parkRange)
        var range: String?
        @Option(help: "Seconds before a parked call rings back the phone that parked it (1-3600; default 60).")
        var reversion: Int?
        @OptionGroup var options: ClientOptions

        func validate() throws {
            if range == nil, reversion == nil {
                throw ValidationError("give --range, --reversion or both (strowger park off turns park off)")
            }
        }

        func run() async throws {
            let settings = try await options.client().send(
                .patch,
                SettingsCommand.path,
                json: AdminAPI.Settings(parkSlots: range, parkReversionSeconds: reversion),
                as: AdminAPI.Settings.self
            )
            try ParkCommand.print(settings, json: options.json)
        }
    }

    struct Off: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn call park off: the Park softkey then finds no slot."
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let settings = try await options.client().send(
                .patch,
                SettingsCommand.path,
                json: AdminAPI.Settings(parkSlots: ""),
                as: AdminAPI.Settings.self
            )
            try ParkCommand.print(settings, json: options.json)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the park slots and the reversion time.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try ParkCommand.print(
                try await options.client().get(SettingsCommand.path, as: AdminAPI.Settings.self),
                json: options.json
            )
        }
    }
}
