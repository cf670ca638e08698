import ArgumentParser
import StrowgerApp

@main
struct Strowger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strowger",
        abstract: "A call-processing and presence server for Cisco SCCP (Skinny) IP phones.",
        version: StrowgerVersion.current,
        subcommands: [Serve.self]
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Strowger server.")

    func run() async throws {
        print("strowger \(StrowgerVersion.current)")
        print("The server is not built yet: this build has the SCCP wire codec (SkinnyWire) only.")
    }
}
