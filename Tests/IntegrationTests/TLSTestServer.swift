import CallControl
import CallRuntime
import Certificates
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServerNIO
import SkinnyPhone
import SkinnySession
import Testing
import ToolSupport

/// The real SCCP pipeline (CallControlHost, SCCPSessionInitializer, SCCPListener) on two loopback ports, plain and
/// TLS, wired the way StrowgerApplication is to wire them: the TLS listener's session initializer is the plain one
/// wrapped by `TLSChannelDecorator`, and the plain one is wrapped by `TLSDeviceIdentityCheck` so that devices that
/// require mutual TLS cannot register in the clear.
struct TLSTestServer {
    let host: CallControlHost
    let plainPort: Int
    let tlsPort: Int
    let authority: CertificateAuthority
    let decorator: TLSChannelDecorator
    let directory: URL
    private let runTask: Task<Void, any Error>

    static func start(
        tls: TLSListenerConfiguration = TLSListenerConfiguration(),
        requiringClientCertificates: Set<String> = []
    ) async throws -> TLSTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-tls-\(UUID().uuidString)"
        )
        var logger = Logger(label: "strowger-tls-test")
        logger.logLevel =
            ProcessInfo.processInfo.environment["STROWGER_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        // The ECDSA certificate alone: these tests are about client certificates, and an RSA key generated here
        // would hold one of the few cooperative threads (ServeRSATLSTests covers the RSA certificate).
        let authority = try CertificateAuthority.loadOrCreate(
            in: directory,
            configuration: .init(server: ServerCertificateConfiguration(makesRSACertificate: false))
        )
        let group = MultiThreadedEventLoopGroup.singleton
        let host = CallControlHost(
            core: CallControlCore(),
            configuration: .init(keepAliveInterval: .seconds(30)),
            eventLoop: group.next(),
            logger: logger
        )
        let sessions = SCCPSessionInitializer(
            host: host,
            sessionConfiguration: SessionConfiguration(keepAliveInterval: 30),
            logger: logger
        )
        let requiresClientCertificate: @Sendable (String) -> Bool = { requiringClientCertificates.contains($0) }
        let decorator = try TLSChannelDecorator(
            authority: authority,
            configuration: tls,
            logger: logger,
            requiresClientCertificate: requiresClientCertificate
        )
        let identity = TLSDeviceIdentityCheck(requiresClientCertificate: requiresClientCertificate, logger: logger)
        let plain = SCCPListener(
            configuration: .init(host: "127.0.0.1", port: 0),
            group: group,
            logger: logger,
            sessionInitializer: identity.wrap { channel in try sessions.initialize(channel) }
        )
        let secure = SCCPListener(
            configuration: .init(host: "127.0.0.1", port: 0),
            group: group,
            logger: logger,
            sessionInitializer: decorator.wrap { channel in try sessions.initialize(channel) }
        )
        let runTask = Task {
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { try await plain.run() }
                tasks.addTask { try await secure.run() }
            }
        }
        return TLSTestServer(
            host: host,
            plainPort: try await plain.boundPort(),
            tlsPort: try await secure.boundPort(),
            authority: authority,
            decorator: decorator,
            directory: directory,
            runTask: runTask
        )
    }

    /// A client context that trusts `trusting` (the Strowger CA by default) and presents `certificate`, if any.
    func clientContext(
        certificate: IssuedCertificate? = nil,
        trusting trustPEM: String? = nil
    ) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(
            try NIOSSLCertificate.fromPEMBytes(Array((trustPEM ?? self.authority.certificatePEM).utf8))
        )
        if let certificate {
            configuration.certificateChain = [
                .certificate(try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem))
            ]
            configuration.privateKey = .privateKey(
                try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPEM.utf8), format: .pem)
            )
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Connects a phone: over TLS with `tls`, else in the clear.
    func phone(_ name: String, tls: NIOSSLContext?) async throws -> SkinnyPhone {
        var configuration = SkinnyPhone.Configuration(deviceName: name)
        configuration.historyCapacity = 256
        configuration.tls = tls
        configuration.tlsServerHostname = "localhost"
        return try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: tls == nil ? self.plainPort : self.tlsPort,
            configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton
        )
    }

    /// Connects and registers a phone; returns it with its directory number.
    func registeredPhone(_ name: String, tls: NIOSSLContext?) async throws -> (phone: SkinnyPhone, number: String) {
        let phone = try await self.phone(name, tls: tls)
        let registration = try await phone.register(timeout: TestServer.timeout)
        let number = try #require(registration.lines.first?.directoryNumber, "\(name) registered without a line")
        return (phone, number)
    }

    func stop() async {
        self.runTask.cancel()
        _ = try? await self.runTask.value
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Runs `body` with a server, and stops it afterwards whether `body` threw or not.
    static func with<T>(
        tls: TLSListenerConfiguration = TLSListenerConfiguration(),
        requiringClientCertificates: Set<String> = [],
        _ body: (TLSTestServer) async throws -> T
    ) async throws -> T {
        let server = try await TLSTestServer.start(tls: tls, requiringClientCertificates: requiringClientCertificates)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// openssl as a reference TLS client.
enum OpenSSL {
    typealias Result = ExternalTool.Result

    /// Whether an `openssl` binary is on the PATH.
    static let isAvailable = ExternalTool.succeeds(["openssl", "version"])

    /// Runs `openssl` with `arguments` and an empty standard input; waits without blocking the cooperative pool.
    static func run(_ arguments: [String]) async throws -> Result {
        // A missing openssl fails these tests, never skips them.
        try #require(Self.isAvailable, "these tests need the openssl command on PATH (Debian: apt-get install openssl)")
        return try await ExternalTool.run(["openssl"] + arguments)
    }

    /// Writes `pem` to a file for openssl, runs `body` with its path, removes it.
    static func withFile<T>(_ pem: String, _ body: (String) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("openssl-\(UUID().uuidString).pem")
        try pem.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url.path)
    }
}

/// Runs reference tools (openssl, curl) as independent clients, through ToolProcess (posix_spawn, not Foundation's
/// Process, which crashes now and then in a process full of threads).
enum ExternalTool {
    struct Result {
        /// The exit status, -1 if the tool could not be started, 128 + N if signal N ended it.
        var status: Int32
        /// stdout and stderr together.
        var output: String
    }

    /// Whether `command` runs and exits 0 (to tell a missing tool from a failing test).
    static func succeeds(_ command: [String]) -> Bool {
        Self.standardOutput(of: command) != nil
    }

    /// What `command` writes to its standard output, if it runs and exits 0; blocks (for a tool's quick `-V`).
    static func standardOutput(of command: [String]) -> String? {
        guard let result = try? ToolProcess.runBlocking(command, standardError: .discard),
            result.termination.succeeded
        else {
            return nil
        }
        return result.standardOutputText
    }

    /// Runs `command` (found on the PATH) with an empty standard input, stdout and stderr into one file; waits on its
    /// exit on a Dispatch thread, never on the cooperative pool (the server under test needs it).
    static func run(_ command: [String]) async throws -> Result {
        do {
            let result = try await ToolProcess.run(command, standardError: .standardOutput)
            return Result(status: result.termination.shellStatus, output: result.standardOutputText)
        } catch is ToolProcessError {
            return Result(status: -1, output: "")
        }
    }
}
