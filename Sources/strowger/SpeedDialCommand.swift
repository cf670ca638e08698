import AdminHTTP
import ArgumentParser
import CallControl

/// `strowger speeddial add|remove|list`.
struct SpeedDialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speeddial",
        abstract: "Add, remove and list a phone's speed dials.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    static func path(_ device: String, _ index: Int? = nil) -> String {
        DeviceCommand.path(device) + "/speeddials" + (index.map { "/\($0)" } ?? "")
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set speed dial INDEX on a phone, e.g. strowger speeddial add SEP001122334455 1 1002 --label Bob."
        )

        @Argument(help: "The device name.") var device: String
        @Argument(help: "The speed-dial button, from 1.") var index: Int
        @Argument(help: "The number it dials.") var number: String
        @Option(help: "The text next to the button.") var label: String = ""
        @Flag(name: .customLong("blf"), help: "Also show the line state of the number (busy lamp field).")
        var busyLampField = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let body = AdminAPI.SpeedDial(
                buttonIndex: index,
                number: number,
                label: label,
                isBusyLampField: busyLampField
            )
            let dial = try await options.client().send(
                .put,
                SpeedDialCommand.path(device, index),
                json: body,
                as: AdminAPI.SpeedDial.self
            )
            if options.json { return try Output.json(dial) }
            print("Speed dial \(dial.buttonIndex) on \(DeviceName.canonicalSpelling(of: device)) dials \(dial.number)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove speed dial INDEX from a phone.")

        @Argument(help: "The device name.") var device: String
        @Argument(help: "The speed-dial button.") var index: Int
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().delete(SpeedDialCommand.path(device, index))
            if !options.json { print("Removed speed dial \(index) from \(DeviceName.canonicalSpelling(of: device))") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a phone's speed dials.")

        @Argument(help: "The device name.") var device: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let dials = try await options.client().get(SpeedDialCommand.path(device), as: [AdminAPI.SpeedDial].self)
            if options.json { return try Output.json(dials) }
            Output.table(
                ["Index", "Number", "Label", "BLF"],
                dials.map {
                    [
                        "\($0.buttonIndex)", $0.number, $0.label.isEmpty ? "-" : $0.label,
                        $0.isBusyLampField ? "yes" : "no",
                    ]
                },
                empty: "\(DeviceName.canonicalSpelling(of: device)) has no speed dials."
            )
        }
    }
}
