import AdminHTTP
import ArgumentParser

extension LineCommand {
    /// `strowger line mwi NUMBER on|off`.
    struct MessageWaiting: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mwi",
            abstract: "Light or clear the message-waiting lamp of every phone with the line, e.g. strowger line mwi"
                + " 1001 on."
        )

        @Argument(help: "The directory number.") var number: String
        @Argument(help: "on or off.") var state: OnOff
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let line = try await options.client().send(
                .put,
                LineCommand.path(number) + "/mwi",
                json: AdminAPI.MessageWaiting(messageWaiting: state.isOn),
                as: AdminAPI.Line.self
            )
            if options.json { return try Output.json(line) }
            Swift.print(
                "Message waiting \(state.rawValue) for line \(line.number)"
                    + (line.devices.isEmpty ? " (no phone shows it yet)" : " on \(Output.list(line.devices))")
            )
        }
    }

    /// `strowger line dnd NUMBER on|off`.
    struct DoNotDisturb: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dnd",
            abstract: "Turn do not disturb on or off for a number, e.g. strowger line dnd 1001 on.",
            discussion: "Do not disturb is a device setting (as the DND softkey sets it): this sets it on every device"
                + " that shows the line, including the other lines of those devices. What a call to such a device"
                + " does is the setting --dnd-mode of strowger settings set (ringer-off or reject)."
        )

        @Argument(help: "The directory number.") var number: String
        @Argument(help: "on or off.") var state: OnOff
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let line = try await options.client().send(
                .put,
                LineCommand.path(number) + "/dnd",
                json: AdminAPI.DoNotDisturb(doNotDisturb: state.isOn),
                as: AdminAPI.Line.self
            )
            if options.json { return try Output.json(line) }
            Swift.print("Do not disturb \(state.rawValue) for line \(line.number) on \(Output.list(line.devices))")
        }
    }
}
