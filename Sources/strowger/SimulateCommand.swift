import ArgumentParser
import CallControl
import NIOPosix
import SkinnyPhone
import SkinnyWire

/// `strowger simulate call`: two simulated SCCP phones (SkinnyPhone) register with a server and call each other, for
/// trying a server out without hardware.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulated phones: try a server without hardware.",
        subcommands: [Call.self]
    )

    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register two simulated phones and call from one to the other.",
            discussion: """
                Both phones connect to the server's SCCP port and register under the given device names (configured \
                ones get their lines; with auto-registration on, unknown ones get a number). The caller dials the \
                callee's first line (or --number), the callee answers, they exchange RTP for --talk seconds, and the \
                caller hangs up. The server writes a CDR for the call.
                """
        )

        @Option(help: "The calling phone's device name.") var caller: String
        @Option(help: "The called phone's device name.") var callee: String
        @Option(help: "The number to dial (default: the callee's first line).") var number: String?
        @Option(name: .customLong("host"), help: "The server's address.") var host: String = "127.0.0.1"
        @Option(name: .customLong("sccp-port"), help: "The server's SCCP port.") var port: Int = 2000
        @Option(help: "Seconds to talk once answered.") var talk: Int = 2
        @Flag(name: .customLong("no-answer"), help: "Hang up while it rings instead (an abandoned call).")
        var noAnswer = false
        @Option(name: .customLong("protocol"), help: "The SCCP version the phones offer.") var protocolVersion: UInt8 =
            11

        func validate() throws {
            guard (0...3600).contains(talk) else { throw ValidationError("--talk must be 0 to 3600 seconds") }
        }

        func run() async throws {
            let timeout = Duration.seconds(15)
            let group = MultiThreadedEventLoopGroup.singleton
            func connect(_ name: String) async throws -> (SkinnyPhone, SkinnyPhone.Registration) {
                var configuration = SkinnyPhone.Configuration(deviceName: DeviceName.canonicalSpelling(of: name))
                configuration.protocolVersion = protocolVersion
                let phone = try await SkinnyPhone.connect(
                    host: host,
                    port: port,
                    configuration: configuration,
                    group: group
                )
                let registration = try await phone.register(timeout: timeout)
                let lines = registration.lines.map {
                    $0.displayName.isEmpty ? $0.directoryNumber : "\($0.directoryNumber) (\($0.displayName))"
                }
                print(
                    "\(DeviceName.canonicalSpelling(of: name)) registered with line \(lines.isEmpty ? "none" : lines.joined(separator: ", "))"
                )
                return (phone, registration)
            }
            let (from, fromRegistration) = try await connect(caller)
            let (to, toRegistration) = try await connect(callee)
            guard let dialled = number ?? toRegistration.lines.first?.directoryNumber else {
                throw ValidationError("\(callee) has no line to call; give --number")
            }
            let callerNumber = fromRegistration.lines.first?.directoryNumber ?? caller

            try await from.offHook()
            try await from.waitForCallState(.offHook, timeout: timeout)
            try await from.dial(dialled)
            _ = try await to.waitForRinging(timeout: timeout)
            print("\(callerNumber) calls \(dialled): \(DeviceName.canonicalSpelling(of: callee)) rings")
            if noAnswer {
                try await from.onHook()
                try await to.waitForIdle(timeout: timeout)
                print("\(callerNumber) hung up before the answer")
            } else {
                try await to.answer()
                let call = try await from.waitForCall(.connected, timeout: timeout)
                print("answered; talking for \(talk) s")
                try await Task.sleep(for: .seconds(talk))
                let packets = try await from.state().call(call.callReference)?.rtpPacketsReceived ?? 0
                try await from.onHook()
                try await to.waitForIdle(timeout: timeout)
                print("\(callerNumber) hung up after \(talk) s (\(packets) RTP packets received)")
            }
            try await from.disconnect()
            try await to.disconnect()
        }
    }
}
