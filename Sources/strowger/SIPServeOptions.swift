import ArgumentParser
import StrowgerApp

/// `strowger serve`'s SIP options (issue 15).
struct SIPServeOptions: ParsableArguments {
    @Option(
        name: .customLong("sip-port"),
        help: "UDP and TCP port for SIP trunks (0 picks a free one; 'off' disables SIP)."
    )
    var port: String = "5060"

    @Option(name: .customLong("sips-port"), help: "TCP port for SIP over TLS ('off' disables it).")
    var tlsPort: String = "5061"

    @Option(
        name: .customLong("sip-address"),
        help:
            "The address SIP peers reach this server at (Via, Contact); default: --bind, or the first non-loopback address."
    )
    var address: String?

    @Option(name: .customLong("sip-options-interval"), help: "Seconds between OPTIONS keepalives to each trunk.")
    var optionsInterval: Int = 30

    func validate() throws {
        _ = try Self.port(port, "--sip-port")
        _ = try Self.port(tlsPort, "--sips-port")
        guard (5...3600).contains(optionsInterval) else {
            throw ValidationError("--sip-options-interval must be 5-3600 seconds, got \(optionsInterval)")
        }
        if let address, address.isEmpty || address == "0.0.0.0" || address == "::" {
            throw ValidationError("--sip-address must name this machine, not a wildcard")
        }
    }

    static func port(_ text: String, _ name: String) throws -> Int? {
        if text == "off" { return nil }
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ValidationError("\(name) must be 0-65535 or off, got '\(text)'")
        }
        return port
    }

    func apply(to configuration: inout ServerConfiguration) {
        configuration.sip.port = (try? Self.port(port, "--sip-port")) ?? nil
        configuration.sip.tlsPort = (try? Self.port(tlsPort, "--sips-port")) ?? nil
        configuration.sip.advertisedAddress = address
        configuration.sip.optionsIntervalSeconds = optionsInterval
    }
}
