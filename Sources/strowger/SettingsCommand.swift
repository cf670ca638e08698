import AdminHTTP
import ArgumentParser

/// `strowger settings show|set`: the server-wide settings, among them the date/time group and the locales every
/// phone's cnf.xml carries.
struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show and change the server-wide settings (date and time, locales, auto-registration, timers,"
            + " transfer on-hook, DND mode).",
        subcommands: [Show.self, SetSettings.self]
    )

    static let path = "/api/settings"

    static func print(_ settings: AdminAPI.Settings, json: Bool) throws {
        if json { return try Output.json(settings) }
        func text(_ value: String?) -> String { (value ?? "").isEmpty ? "-" : value ?? "-" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        let autoRegistration: String
        if settings.autoRegistrationEnabled == true {
            autoRegistration =
                "on, \(number(settings.autoRegistrationFirstNumber))–\(number(settings.autoRegistrationLastNumber))"
        } else {
            autoRegistration = "off"
        }
        Output.fields([
            ("Date template", text(settings.dateTemplate)),
            ("Time zone", text(settings.timeZone)),
            ("Olson time zone", text(settings.olsonTimeZone)),
            ("NTP servers", Output.list(settings.ntpServers ?? [])),
            ("User locale", text(settings.userLocale)),
            ("Network locale", text(settings.networkLocale)),
            ("Auto-registration", autoRegistration),
            ("Keepalive", "\(number(settings.keepAliveSeconds)) s"),
            (
                "Call park",
                text(settings.parkSlots) == "-"
                    ? "off" : "\(text(settings.parkSlots)), reverts after \(number(settings.parkReversionSeconds)) s"
            ),
            ("Transfer on-hook", settings.transferOnHook.map { OnOff($0).rawValue } ?? "-"),
            ("DND mode", text(settings.doNotDisturbMode)),
        ])
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the server-wide settings.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let settings = try await options.client().get(SettingsCommand.path, as: AdminAPI.Settings.self)
            try SettingsCommand.print(settings, json: options.json)
        }
    }

    struct SetSettings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change settings, e.g. strowger settings set --date-template M/D/YA"
                + " --time-zone 'Pacific Standard/Daylight Time' --ntp-server 192.0.2.1."
        )

        @Option(
            name: .customLong("date-template"),
            help: "How phones show the date: D.M.Y, M/D/YA (A: 12-hour clock), YY/M/D (4-digit year), M-D-Y, …."
        )
        var dateTemplate: String?
        @Option(
            name: .customLong("time-zone"),
            help: "The Cisco firmware's time zone name, e.g. 'W. Europe Standard/Daylight Time'."
        )
        var timeZone: String?
        @Option(
            name: .customLong("olson-time-zone"),
            help: "The IANA time zone, e.g. Europe/Berlin ('' for none)."
        )
        var olsonTimeZone: String?
        @Option(
            name: .customLong("ntp-server"),
            help: "An NTP server for the phones (repeat for more, at most 4; replaces the list)."
        )
        var ntpServers: [String] = []
        @Flag(name: .customLong("no-ntp-servers"), help: "Remove every NTP server.") var noNTPServers = false
        @Option(
            name: .customLong("user-locale"),
            help: "The phones' language, e.g. English_United_States, German_Germany ('' for none)."
        )
        var userLocale: String?
        @Option(
            name: .customLong("network-locale"),
            help: "The phones' tones, e.g. United_States, Germany ('' for none)."
        )
        var networkLocale: String?
        @Option(
            name: .customLong("transfer-on-hook"),
            help: "on: hanging up while consulting for a transfer completes it; off (default): ends the consultation."
        )
        var transferOnHook: OnOff?
        @Option(
            name: .customLong("dnd-mode"),
            help:
                "What a call to a phone in do not disturb does: ringer-off (shown, no ring; default) or reject (busy)."
        )
        var doNotDisturbMode: DoNotDisturbModeArgument?
        @OptionGroup var options: ClientOptions

        func validate() throws {
            if noNTPServers && !ntpServers.isEmpty {
                throw ValidationError("give --ntp-server or --no-ntp-servers, not both")
            }
        }

        func run() async throws {
            var patch = AdminAPI.Settings()
            patch.dateTemplate = dateTemplate
            patch.timeZone = timeZone
            patch.olsonTimeZone = olsonTimeZone
            if noNTPServers { patch.ntpServers = [] } else if !ntpServers.isEmpty { patch.ntpServers = ntpServers }
            patch.userLocale = userLocale
            patch.networkLocale = networkLocale
            patch.transferOnHook = transferOnHook?.isOn
            patch.doNotDisturbMode = doNotDisturbMode?.rawValue
            guard patch != AdminAPI.Settings() else {
                throw ValidationError("nothing to change: give at least one option (see --help)")
            }
            let settings = try await options.client().send(
                .patch,
                SettingsCommand.path,
                json: patch,
                as: AdminAPI.Settings.self
            )
            try SettingsCommand.print(settings, json: options.json)
        }
    }
}
