import AdminHTTP
import ArgumentParser
import Foundation
import Logging
import NIOCore
import ServerNIO
import Store
import StrowgerApp

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Strowger server.",
        discussion: """
            Starts every service on its port. Port 0 picks a free port (tests use it). \
            Several servers can run side by side with different --data-dir and ports.
            """
    )

    @Option(name: .customLong("data-dir"), help: "Directory for the database, certificates and admin token.")
    var dataDirectory: String = ServerConfiguration().dataDirectory

    @Option(name: .customLong("bind"), help: "Address the phone-facing listeners bind to.")
    var bindAddress: String = ServerConfiguration().bindAddress

    @Option(name: .customLong("sccp-port"), help: "TCP port for SCCP.")
    var sccpPort: Int = ServerConfiguration().sccpPort

    @Option(name: .customLong("sccps-port"), help: "TCP port for SCCP over TLS.")
    var sccpsPort: Int = ServerConfiguration().sccpsPort

    @Option(
        name: .customLong("tftp-port"),
        help: "UDP port for TFTP provisioning (69 falls back to 6969 when it cannot be bound)."
    )
    var tftpPort: Int = ServerConfiguration().tftpPort

    @Option(name: .customLong("http-port"), help: "TCP port for HTTP provisioning (the same files as TFTP).")
    var httpPort: Int = ServerConfiguration().httpPort

    @Option(
        name: .customLong("callmanager"),
        help: ArgumentHelp(
            "A node of the phones' CallManager group as HOST[:SCCP_PORT[:SCCPS_PORT]] (IPv6 in brackets); repeat, up to 3, primary first.",
            discussion:
                "Default: this server alone, at --bind (or this machine's address when --bind is a wildcard), on its own ports.",
            valueName: "host[:port[:port]]"
        ),
        transform: Serve.callManager
    )
    var callManagers: [CallManagerAddress] = []

    @Option(
        name: .customLong("tls-certificate"),
        help:
            "Your own SCCPS server certificate chain (PEM, leaf first) instead of one from the Strowger CA; needs --tls-key."
    )
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "The private key (PEM) of --tls-certificate.")
    var tlsKey: String?

    @Option(
        name: .customLong("tls-ca"),
        help: "The CA certificate (PEM) phones should trust for --tls-certificate; served as strowger-ca.pem."
    )
    var tlsCA: String?

    @Flag(
        name: .customLong("tls-legacy"),
        help:
            "Also accept TLS 1.0 with RSA CBC suites (AES128-SHA) on the RSA certificate, for 79x0 phones; weaker, off by default."
    )
    var tlsLegacy = false

    @Option(
        name: .customLong("trust-lists"),
        help: "Which phones get CTL/ITL trust lists: secure (devices in a secure mode, the default) or all."
    )
    var trustLists: String = ServerConfiguration().trustLists.rawValue

    @Option(name: .customLong("idle-url"), help: "The URL phones show when idle (<idleURL> in every cnf.xml).")
    var idleURL: String?

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle phone shows --idle-url.")
    var idleTimeout: Int = ServerConfiguration().idleTimeoutSeconds

    @Option(
        name: .customLong("services-host"),
        help:
            "The host the phone-service URLs in the cnf.xml name (default: the first --callmanager, else this server)."
    )
    var servicesHost: String?

    @Option(
        name: .customLong("http-allow"),
        help: "Source networks allowed on HTTP provisioning: any, loopback, or CIDRs separated by commas.",
        transform: Serve.networks
    )
    var httpAllow: SourceAllowList = ServerConfiguration().httpAllowedNetworks

    @Option(name: .customLong("admin-port"), help: "TCP port for the admin API (0 picks a free one).")
    var adminPort: Int = ServerConfiguration().adminPort

    @Option(name: .customLong("admin-bind"), help: "Address the admin API binds to.")
    var adminBindAddress: String = ServerConfiguration().adminBindAddress

    @Flag(
        name: .customLong("admin-tls"),
        help: "Serve the admin API and web pages over HTTPS, with the server certificate SCCPS presents."
    )
    var adminTLS = false

    @Option(
        name: .customLong("keepalive"),
        help:
            "Seconds between phone KeepAlives for this run; a phone silent for twice this is dropped (default: the stored setting, 30)."
    )
    var keepAliveSeconds: Int?

    @Option(
        name: .customLong("cluster-port"),
        help: "UDP port for the cluster (without --node every datagram is dropped and counted)."
    )
    var clusterPort: Int = ServerConfiguration().clusterPort

    @Option(
        name: .customLong("node"),
        help: "Run as this node of a cluster (its name in strowger node list); needs --cluster-secret-file."
    )
    var node: String?

    @Option(
        name: .customLong("cluster-secret-file"),
        help: "The cluster secret: a private (chmod 600) file of at least 32 bytes, the same on every node."
    )
    var clusterSecretFile: String?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "The PostgreSQL database the cluster's nodes share, as postgres://USER@HOST[:PORT]/DB[?sslmode=require];"
                + " without it, the SQLite database in the data directory.",
            valueName: "url"
        )
    )
    var database: String?

    @Option(
        name: .customLong("database-password-file"),
        help: "A file whose first line is the --database password (else the PGPASSWORD environment variable)."
    )
    var databasePasswordFile: String?

    @Option(
        name: .customLong("cluster-heartbeat"),
        help: "Seconds between cluster heartbeats; a node silent for three is down (default 2)."
    )
    var clusterHeartbeat: Double = 2

    @Option(
        name: .customLong("sccp-allow"),
        help: "Source networks allowed on SCCP and SCCPS: any, loopback, or CIDRs separated by commas.",
        transform: Serve.networks
    )
    var sccpAllow: SourceAllowList = ServerConfiguration().guards.allowedNetworks

    @Option(
        name: .customLong("tftp-allow"),
        help: "Source networks allowed on TFTP: any, loopback, or CIDRs separated by commas.",
        transform: Serve.networks
    )
    var tftpAllow: SourceAllowList = ServerConfiguration().tftpAllowedNetworks

    @Option(
        name: .customLong("guard-exempt"),
        help: "Source networks exempt from the per-source cap and rate ban (a NAT gateway): CIDRs separated by commas.",
        transform: Serve.networks
    )
    var guardExempt: SourceAllowList = ServerConfiguration().guards.exemptNetworks

    @Option(name: .customLong("max-connections"), help: "Connections held at once per TCP listener.")
    var maxConnections: Int = ServerConfiguration().guards.maximumConnections

    @Option(name: .customLong("max-connections-per-source"), help: "Connections one source address may hold at once.")
    var maxConnectionsPerSource: Int = ServerConfiguration().guards.maximumConnectionsPerSource

    @Option(name: .customLong("max-unregistered"), help: "Connections that have not registered, at once.")
    var maxUnregistered: Int = ServerConfiguration().guards.maximumUnregisteredConnections

    @Option(
        name: .customLong("max-standby"),
        help: "Phones' standby connections (KeepAlives only, to this node as the next of their group), at once."
    )
    var maxStandby: Int = ServerConfiguration().guards.maximumStandbyConnections

    @Option(name: .customLong("register-timeout"), help: "Seconds a connection may go without sending Register.")
    var registerTimeout: Int = Int(ServerConfiguration().guards.registerTimeout.nanoseconds / 1_000_000_000)

    @Option(
        name: .customLong("connection-rate"),
        help: "New connections per source as N/SECONDS; past it the source is banned (default 16/2).",
        transform: Serve.rate
    )
    var connectionRate: RateLimit = ServerConfiguration().guards.connectionRate

    @Option(name: .customLong("ban"), help: "Seconds a source past the connection rate is refused.")
    var banSeconds: Int = Int(ServerConfiguration().guards.banDuration.nanoseconds / 1_000_000_000)

    @Option(
        name: .customLong("message-ceiling"),
        help: "Messages per connection as N/SECONDS; past it the connection is closed (default 2000/5).",
        transform: Serve.rate
    )
    var messageCeiling: RateLimit = ServerConfiguration().guards.messageCeiling

    @Option(
        name: .customLong("auto-register-rate"),
        help:
            "New devices one source address may auto-register, as N/SECONDS (default 4/60; --guard-exempt sources are not limited).",
        transform: Serve.rate
    )
    var autoRegistrationRate: RateLimit = ServerConfiguration().autoRegistrationLimits.perSource

    @Option(
        name: .customLong("auto-register-total-rate"),
        help: "New devices auto-registered from everyone together, as N/SECONDS (default 50/10).",
        transform: Serve.rate
    )
    var autoRegistrationTotalRate: RateLimit = ServerConfiguration().autoRegistrationLimits.total

    @Option(
        name: .customLong("media-ports"),
        help: "UDP ports for media streams (conference bridge, music on hold), as FIRST-LAST; RTP takes the even ones.",
        transform: Serve.portRange
    )
    var mediaPorts: ClosedRange<Int> = ServerConfiguration().mediaPorts

    @Option(
        name: .customLong("media-address"),
        help: """
            The IPv4 address phones send conference RTP to (default: the bind address, or, with a wildcard bind, \
            the address each phone reached the server on).
            """
    )
    var mediaAddress: String?

    @Option(name: .customLong("conference-max"), help: "Participants per conference (2-64).")
    var conferenceMaximum: Int = ServerConfiguration().conferenceMaximum

    @Option(
        name: .customLong("guard-report-interval"),
        help: "Seconds between 'Guard statistics' log lines (logged only when a count changed)."
    )
    var guardReportSeconds: Double = ServerConfiguration().guardReportSeconds

    static func networks(_ text: String) throws -> SourceAllowList {
        guard let list = SourceAllowList(parsing: text) else {
            throw ValidationError(
                "'\(text)' is not any, none, loopback or a list of networks like 10.0.0.0/8,2001:db8::/32"
            )
        }
        return list
    }

    static func callManager(_ text: String) throws -> CallManagerAddress {
        do {
            return try CallManagerAddress(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    static func portRange(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), 1024 <= low, low < high,
            high <= 65535
        else {
            throw ValidationError(
                "--media-ports must be FIRST-LAST with 1024 <= FIRST < LAST <= 65535 (e.g. 16384-32767), got '\(text)'"
            )
        }
        return low...high
    }

    static func rate(_ text: String) throws -> RateLimit {
        guard let rate = RateLimit(parsing: text) else {
            throw ValidationError("'\(text)' is not N/SECONDS, e.g. 16/2")
        }
        return rate
    }

    @Flag(
        name: .customLong("auto-register"),
        inversion: .prefixedNo,
        help: "Give unknown SEP<MAC> phones the next free directory number (default: the stored setting, on)."
    )
    var autoRegistration: Bool?

    @Option(
        name: .customLong("auto-register-range"),
        help: "Directory numbers for auto-registration, as FIRST-LAST (default: the stored setting, 1000-1999).",
        transform: { text in
            let parts = text.split(separator: "-")
            guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low >= 0, low <= high else {
                throw ValidationError("--auto-register-range must be FIRST-LAST with FIRST <= LAST, got '\(text)'")
            }
            return low...high
        }
    )
    var autoRegistrationRange: ClosedRange<Int>?

    func validate() throws {
        for (name, port) in [
            ("--sccp-port", sccpPort), ("--sccps-port", sccpsPort), ("--tftp-port", tftpPort),
            ("--http-port", httpPort), ("--admin-port", adminPort), ("--cluster-port", clusterPort),
        ] where !(0...65535).contains(port) {
            throw ValidationError("\(name) must be between 0 and 65535, got \(port)")
        }
        if let keepAliveSeconds, !(1...3600).contains(keepAliveSeconds) {
            throw ValidationError("--keepalive must be between 1 and 3600 seconds, got \(keepAliveSeconds)")
        }
        for (name, value) in [
            ("--max-connections", maxConnections), ("--max-connections-per-source", maxConnectionsPerSource),
            ("--max-unregistered", maxUnregistered), ("--register-timeout", registerTimeout),
            ("--max-standby", maxStandby),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        guard (0.1...86_400).contains(guardReportSeconds) else {
            throw ValidationError(
                "--guard-report-interval must be between 0.1 and 86400 seconds, got \(guardReportSeconds)"
            )
        }
        if let mediaAddress {
            let parsed = try? SocketAddress(ipAddress: mediaAddress, port: 0)
            guard case .v4 = parsed, mediaAddress != "0.0.0.0" else {
                throw ValidationError("--media-address must be an IPv4 address phones can reach, got '\(mediaAddress)'")
            }
        }
        guard (2...64).contains(conferenceMaximum) else {
            throw ValidationError("--conference-max must be between 2 and 64, got \(conferenceMaximum)")
        }
        guard banSeconds >= 0 else { throw ValidationError("--ban must be 0 or more seconds, got \(banSeconds)") }
        guard callManagers.count <= CallManagerAddress.maximumCount else {
            throw ValidationError(
                "--callmanager may be given at most \(CallManagerAddress.maximumCount) times (a phone's CallManager group"
                    + " holds 3), got \(callManagers.count)"
            )
        }
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-certificate and --tls-key go together: give both or neither")
        }
        if tlsCA != nil, tlsCertificate == nil {
            throw ValidationError("--tls-ca goes with --tls-certificate and --tls-key")
        }
        guard TrustListPolicy(rawValue: trustLists) != nil else {
            throw ValidationError("--trust-lists must be secure or all, got '\(trustLists)'")
        }
        guard (0...86_400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 0 and 86400 seconds, got \(idleTimeout)")
        }
        if let idleURL, !(idleURL.hasPrefix("http://") || idleURL.hasPrefix("https://")) || idleURL.utf8.count > 256 {
            throw ValidationError("--idle-url must be an http:// or https:// URL of at most 256 characters")
        }
        if databasePasswordFile != nil && database == nil {
            throw ValidationError("--database-password-file needs --database")
        }
        if let database {
            do {
                _ = try PostgresURL(parsing: database)
            } catch {
                throw ValidationError("--database: \(error)")
            }
        }
        if (node == nil) != (clusterSecretFile == nil) {
            throw ValidationError("--node and --cluster-secret-file go together: give both or neither")
        }
        guard (0.1...60).contains(clusterHeartbeat) else {
            throw ValidationError("--cluster-heartbeat must be between 0.1 and 60 seconds, got \(clusterHeartbeat)")
        }
        if let servicesHost, servicesHost.isEmpty || servicesHost.contains(where: { $0 == "/" || $0 == " " }) {
            throw ValidationError("--services-host must be a host name or address, got '\(servicesHost)'")
        }
    }

    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = dataDirectory
        configuration.bindAddress = bindAddress
        configuration.sccpPort = sccpPort
        configuration.sccpsPort = sccpsPort
        configuration.tftpPort = tftpPort
        configuration.httpPort = httpPort
        configuration.adminPort = adminPort
        configuration.adminBindAddress = adminBindAddress
        configuration.adminTLS = adminTLS
        configuration.keepAliveSeconds = keepAliveSeconds
        configuration.autoRegistration = autoRegistration
        configuration.autoRegistrationRange = autoRegistrationRange
        configuration.clusterPort = clusterPort
        configuration.tftpAllowedNetworks = tftpAllow
        configuration.guards.allowedNetworks = sccpAllow
        configuration.guards.exemptNetworks = guardExempt
        configuration.guards.maximumConnections = maxConnections
        configuration.guards.maximumConnectionsPerSource = maxConnectionsPerSource
        configuration.guards.maximumUnregisteredConnections = maxUnregistered
        configuration.guards.maximumStandbyConnections = maxStandby
        if let keepAliveSeconds {
            // A standby connection carries KeepAlives at the phone's interval: never close it before two of them.
            configuration.guards.standbyTimeout = max(
                GuardLimits.standbyTimeout,
                .seconds(2 * Int64(keepAliveSeconds))
            )
        }
        configuration.guards.registerTimeout = .seconds(Int64(registerTimeout))
        configuration.guards.connectionRate = connectionRate
        configuration.guards.banDuration = .seconds(Int64(banSeconds))
        configuration.guards.messageCeiling = messageCeiling
        configuration.guardReportSeconds = guardReportSeconds
        configuration.autoRegistrationLimits.perSource = autoRegistrationRate
        configuration.autoRegistrationLimits.total = autoRegistrationTotalRate
        configuration.httpAllowedNetworks = httpAllow
        configuration.callManagers = callManagers
        configuration.tlsCertificatePath = tlsCertificate
        configuration.tlsPrivateKeyPath = tlsKey
        configuration.tlsTrustAnchorPath = tlsCA
        configuration.mediaPorts = mediaPorts
        configuration.conferenceMaximum = conferenceMaximum
        configuration.mediaAddress = mediaAddress
        configuration.tlsLegacy = tlsLegacy
        configuration.trustLists = TrustListPolicy(rawValue: trustLists) ?? .secureDevices
        configuration.idleURL = idleURL
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.servicesHost = servicesHost
        sip.apply(to: &configuration)
        return configuration
    }

    @OptionGroup(title: "SIP trunks") var sip: SIPServeOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        // Every file the server creates (database, WAL, certificates, token, backups) is its owner's alone.
        umask(0o077)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = serverConfiguration
        if let node, let clusterSecretFile {
            do {
                configuration.clusterNode = try ClusterNodeOptions.load(
                    name: node,
                    secretFile: clusterSecretFile,
                    heartbeatSeconds: clusterHeartbeat
                )
            } catch {
                throw ServeFailure(description: "\(error)")
            }
        }
        if let database {
            do {
                configuration.database = try PostgresURL(parsing: database)
                configuration.databasePassword = try StrowgerDatabase.postgresPassword(file: databasePasswordFile)
            } catch {
                throw ServeFailure(description: "\(error)")
            }
        }
        let logger = Logger(label: "strowger")
        let application = try await StrowgerApplication(configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            let sccp: Int
            let admin: Int
            do {
                sccp = try await application.sccpListener.boundPort()
            } catch {
                throw ServeFailure(
                    description: "SCCP cannot listen on \(bindAddress):\(sccpPort) (\(error)); try --sccp-port"
                )
            }
            do {
                admin = try await application.adminServer.boundPort()
            } catch {
                throw ServeFailure(
                    description:
                        "the admin API cannot listen on \(adminBindAddress):\(adminPort) (\(error)); try --admin-port"
                )
            }
            let tokenFile = AdminTokenFile.url(in: URL(fileURLWithPath: dataDirectory, isDirectory: true))
            // Written straight to the file descriptor, so that a script reading the ports sees them at once.
            var banner =
                "strowger \(StrowgerVersion.current): SCCP on \(bindAddress):\(sccp), data in \(dataDirectory)\n"
            let scheme = adminTLS ? "https" : "http"
            banner += "  admin API on \(scheme)://\(adminBindAddress):\(admin) (token in \(tokenFile.path))\n"
            banner +=
                "  web administration on \(scheme)://\(adminBindAddress):\(admin)/ (sign in as admin with the token)\n"
            for line in await application.serviceSummary() {
                banner += "  \(line)\n"
            }
            for note in application.notBuiltYet {
                banner += "  \(note)\n"
            }
            FileHandle.standardOutput.write(Data(banner.utf8))
            try await group.waitForAll()
        }
    }
}

/// A reason `strowger serve` stopped, printed as `Error: <description>`.
struct ServeFailure: Error, CustomStringConvertible {
    let description: String
}
