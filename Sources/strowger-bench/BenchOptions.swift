import ArgumentParser
import SkinnyPhone
import SkinnyWire

/// Options every subcommand takes: where the call manager is, which phones to simulate and how.
struct PhoneOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The call manager, as HOST:PORT (loopback only for load: 127.0.0.1:2000). `failover`: repeat it for the"
                + " phones' CallManager list, primary first (two or three, as a Cisco phone takes).",
            valueName: "host:port"
        )
    )
    var server: [String] = ["127.0.0.1:2000"]

    @Option(help: "How many phones to simulate.")
    var phones: Int = 100

    @Option(help: "Registrations started per second (paced by a timer).")
    var rate: Double = 500

    @Option(name: .customLong("protocol"), help: "The SCCP protocol version the phones offer (3-22).")
    var protocolVersion: UInt8 = 11

    @Option(
        help:
            "The phone model sent in Register: 7960, 7940, 7941, 7961, 7970, 7971, 7911, 7942, 7962, 7965, 7975, 6941, 8945, ... or type:N for a raw device type."
    )
    var model: String = "7960"

    @Option(help: "Seconds between KeepAlives; default: what RegisterAck says.")
    var keepalive: Int?

    @Option(
        name: .customLong("device-pattern"),
        help: "Device names: one %d, %x or %X conversion, e.g. SEP%012d or SEP%012X."
    )
    var devicePattern: String = "SEP%012d"

    @Option(name: .customLong("device-offset"), help: "The number the first phone's name is made from.")
    var deviceOffset: Int = 1

    @Option(
        help:
            "Directory numbers of the phones as FIRST-LAST, for call managers with fixed numbers (phone i gets FIRST+i). Default: what each phone's registration says."
    )
    var numbers: String?

    @Option(
        name: .customLong("register-timeout"),
        help: "Seconds a phone may take from TCP connect to the end of its registration."
    )
    var registerTimeout: Int = 30

    @Option(
        name: .customLong("max-in-flight"),
        help: "At most this many registrations under way at once; the pacer waits beyond it."
    )
    var maxInFlight: Int = 5000

    @Option(
        name: .customLong("source-addresses"),
        help:
            "Connect from this many loopback addresses, 127.1.0.1, 127.1.0.2, … (only for a server on 127.x); phone i from address i mod N. Default: one per phone, as real phones come from their own addresses, so that a server's per-source guards (connection rate, per-source caps, auto-registration rate) see phones, not an attack."
    )
    var sourceAddresses: Int?

    @Flag(
        name: .customLong("allow-failures"),
        help:
            "Exit 0 even when a phone failed to register, was lost, or a call failed (by default any of these exits 1, after the report)."
    )
    var allowFailures = false

    @Option(help: "Event-loop threads for the phones (default: one per core).")
    var threads: Int?

    @Option(
        name: .customLong("server-pid"),
        help: "The call manager's pid, when it runs on this machine: its CPU and RSS are read from /proc."
    )
    var serverPID: Int32?

    @Option(name: .customLong("progress-interval"), help: "Seconds between progress lines (0: none).")
    var progressInterval: Double = 1

    @Option(help: "Also write the results as JSON to this file.")
    var json: String?

    @Option(help: "A label for this run in the table and the JSON.")
    var label: String?

    func validate() throws {
        guard self.phones > 0, self.phones <= 1_000_000 else {
            throw ValidationError("--phones must be between 1 and 1000000")
        }
        guard self.rate > 0, self.rate <= 1_000_000 else { throw ValidationError("--rate must be above 0") }
        guard (3...22).contains(self.protocolVersion) else { throw ValidationError("--protocol must be 3...22") }
        guard self.parsedServers != nil else { throw ValidationError("--server must be HOST:PORT") }
        guard self.server.count <= Self.maximumCallManagers else {
            throw ValidationError("--server at most \(Self.maximumCallManagers) times (a CallManager list of three)")
        }
        guard DevicePattern(self.devicePattern) != nil else {
            throw ValidationError("--device-pattern must hold exactly one %d, %x or %X (e.g. SEP%012d)")
        }
        guard self.deviceType != nil else { throw ValidationError("--model: unknown model \(self.model)") }
        if self.numbers != nil, self.numberRange == nil {
            throw ValidationError("--numbers must be FIRST-LAST")
        }
        if let range = self.numberRange, range.count < self.phones {
            throw ValidationError("--numbers \(self.numbers ?? "") holds fewer numbers than --phones")
        }
        if let keepalive, !(1...3600).contains(keepalive) { throw ValidationError("--keepalive must be 1...3600") }
        guard self.registerTimeout > 0, self.maxInFlight > 0 else {
            throw ValidationError("--register-timeout and --max-in-flight must be above 0")
        }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be 1...256") }
        if let sourceAddresses, !(1...Self.maximumSourceAddresses).contains(sourceAddresses) {
            throw ValidationError("--source-addresses must be 1...\(Self.maximumSourceAddresses)")
        }
    }

    /// A Cisco phone takes at most three call managers from its group.
    static let maximumCallManagers = 3

    /// The first (or only) call manager.
    var parsedServer: (host: String, port: Int)? { self.parsedServers?.first }

    /// Every `--server`, in order; nil when one is not HOST:PORT.
    var parsedServers: [(host: String, port: Int)]? {
        var servers: [(host: String, port: Int)] = []
        for server in self.server {
            guard let parsed = Self.parse(server) else { return nil }
            servers.append(parsed)
        }
        return servers.isEmpty ? nil : servers
    }

    /// The servers as the table and the JSON name them: `HOST:PORT`, comma-separated when there are several.
    var serverText: String { self.server.joined(separator: ",") }

    static func parse(_ server: String) -> (host: String, port: Int)? {
        guard let colon = server.lastIndex(of: ":"),
            let port = Int(server[server.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        var host = String(server[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }

    /// The configuration of phone `index`, named `name`: model, protocol, keepalive, source address; no history.
    func phoneConfiguration(rtp: Bool) -> @Sendable (_ name: String, _ index: Int) -> SkinnyPhone.Configuration {
        let deviceType = self.deviceType ?? .station7960
        let keepAlive: SkinnyPhone.KeepAlivePolicy = self.keepalive.map { .every(.seconds($0)) } ?? .fromRegisterAck
        let connectTimeout = Duration.seconds(min(10, self.registerTimeout))
        let localAddresses = self.localAddresses
        let protocolVersion = self.protocolVersion
        return { name, index in
            var configuration = SkinnyPhone.Configuration(
                deviceName: name,
                deviceType: deviceType,
                protocolVersion: protocolVersion,
                keepAlive: keepAlive,
                rtp: rtp ? .enabled : .disabled,
                historyCapacity: 0,
                connectTimeout: connectTimeout
            )
            if let localAddresses {
                configuration.localAddress = localAddresses[index % localAddresses.count]
            }
            return configuration
        }
    }

    /// The most source addresses: 127.1.0.1 to 127.254.255.254 holds more, a million is plenty.
    static let maximumSourceAddresses = 1_000_000

    /// The local addresses phones connect from: nil (the kernel's choice) unless the server is on 127.x.
    var localAddresses: [String]? {
        guard let host = self.parsedServer?.host, host.hasPrefix("127.") else { return nil }
        let count = self.sourceAddresses ?? self.phones
        return (0..<count).map(Self.sourceAddress)
    }

    /// The `index`th source address: 127.1.0.1 onwards, 254 per /24 (no .0, no .255), clear of 127.0.0.x (where a
    /// server on loopback and the tools around it live).
    static func sourceAddress(_ index: Int) -> String {
        let block = index / 254
        return "127.\(1 + block / 256).\(block % 256).\(index % 254 + 1)"
    }

    var numberRange: ClosedRange<Int>? {
        guard let numbers else { return nil }
        let parts = numbers.split(separator: "-")
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low >= 0, low <= high else {
            return nil
        }
        return low...high
    }

    var deviceType: SkinnyDeviceType? {
        if self.model.hasPrefix("type:") {
            return UInt32(self.model.dropFirst(5)).map { SkinnyDeviceType(rawValue: $0) }
        }
        return Self.models[self.model.lowercased()]
    }

    /// Model names → Register device types (reference §6.10).
    static let models: [String: SkinnyDeviceType] = [
        "7910": .station7910, "7960": .station7960, "7940": .station7940, "7935": .station7935,
        "ata186": .ata186, "ata188": .ata188, "7941": .station7941, "7971": .station7971, "7911": .station7911,
        "7961ge": .station7961GE, "7931": .station7931, "7921": .station7921, "7906": .station7906,
        "7962": .station7962, "7942": .station7942, "7945": .station7945, "7965": .station7965,
        "7975": .station7975, "7925": .station7925, "6921": .station6921, "6941": .station6941,
        "6961": .station6961, "6901": .station6901, "6911": .station6911, "6945": .station6945,
        "8945": .station8945, "8941": .station8941, "7905": .station7905, "7920": .station7920,
        "7970": .station7970, "7912": .station7912, "7902": .station7902, "ipcommunicator": .ipCommunicator,
        "7961": .station7961, "7936": .station7936,
    ]
}
