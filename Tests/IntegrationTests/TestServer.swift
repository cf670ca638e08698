import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing

/// A Strowger server on loopback with port 0 and a fresh data directory, for one test.
struct TestServer {
    /// How long any one wait in these tests may take. Generous: the tests run in parallel on a loaded 2-core
    /// machine, and a wait that succeeds returns as soon as its condition holds.
    static let timeout: Duration = .seconds(20)
    /// The runtime's sessions that are not phones: the media server's (it attaches once its engine has started;
    /// ``start(keepAliveSeconds:autoRegistration:dataDirectory:directoryJSON:logger:configure:)`` waits for it).
    static let serviceSessions = 1

    let application: StrowgerApplication
    /// The SCCP port.
    let port: Int
    /// The SCCPS (TLS) port.
    let sccpsPort: Int
    /// The TFTP port (UDP).
    let tftpPort: Int
    /// The HTTP provisioning port.
    let httpPort: Int
    /// The admin API's port.
    let adminPort: Int
    let dataDirectory: URL
    private let runTask: Task<Void, any Error>

    /// - Parameter configure: changes to the configuration before the server starts (its folder, address and ports
    ///   are set first; a test may set `callManagers`, for example).
    static func start(
        keepAliveSeconds: Int = 30,
        autoRegistration: Bool = true,
        dataDirectory: URL? = nil,
        directoryJSON: String? = nil,
        logger: Logger? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory =
            dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("strowger-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let directoryJSON {
            // The server imports directory.json into its database at start (then renames it).
            try Data(directoryJSON.utf8).write(to: directory.appendingPathComponent("directory.json"))
        }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path
        configuration.bindAddress = "127.0.0.1"
        configuration.sccpPort = 0
        configuration.adminPort = 0
        // Every listener on a free port, so that tests run side by side.
        configuration.sccpsPort = 0
        configuration.tftpPort = 0
        configuration.httpPort = 0
        configuration.clusterPort = 0
        // Below 20000: the media tests take ranges of their own in 20000–31999 and count the ports they get.
        configuration.mediaPorts = 16_384...19_999
        configuration.keepAliveSeconds = keepAliveSeconds
        configuration.autoRegistration = autoRegistration
        // The tests' phones all connect from 127.0.0.1 and auto-register; a real site's phones come from addresses
        // of their own. The auto-registration rate tests (HardeningTests) set their own limits.
        configuration.autoRegistrationLimits.perSource = RateLimit(events: 1_000, per: .seconds(60))
        configure(&configuration)
        let logger =
            logger
            ?? {
                var logger = Logger(label: "strowger-test")
                logger.logLevel =
                    ProcessInfo.processInfo.environment["STROWGER_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
                    ?? .critical
                return logger
            }()
        // The first server makes the RSA keys (server certificate and SAST) and keeps them; the others wait for it
        // and copy them, so that a wave of servers starting at once does not make two RSA keys each.
        let leads = await RSAKeyCache.waitOrLead()
        RSAKeyCache.copy(into: directory)
        let application: StrowgerApplication
        do {
            application = try await StrowgerApplication(configuration: configuration, logger: logger)
        } catch {
            if leads { RSAKeyCache.finish() }
            throw error
        }
        RSAKeyCache.keep(from: directory)
        if leads { RSAKeyCache.finish() }
        let runTask = Task { try await application.run(gracefulShutdownSignals: []) }
        try await Self.waitForMediaServer(application)
        return TestServer(
            application: application,
            port: try await application.sccpListener.boundPort(),
            sccpsPort: try await application.sccpsListener.boundPort(),
            tftpPort: try await application.tftpListener.boundPort(),
            httpPort: try await application.httpListener.boundPort(),
            adminPort: try await application.adminServer.boundPort(),
            dataDirectory: directory,
            runTask: runTask
        )
    }

    /// Waits until the media server's session is attached to the call core, so that a test's holds and conferences
    /// use it and the session count is the phones' plus ``serviceSessions``.
    static func waitForMediaServer(_ application: StrowgerApplication) async throws {
        try await Eventually.wait("the media server attached") {
            try await application.host.registeredSessions()[.mediaServer] != nil ? () : nil
        }
    }

    /// Connects a simulated phone to this server.
    func phone(
        _ name: String,
        version: UInt8 = 11,
        keepAlive: SkinnyPhone.KeepAlivePolicy = .fromRegisterAck,
        answerMode: SkinnyPhone.AnswerMode = .offHook,
        rtp: SkinnyPhone.RTPMode = .enabled,
        tls: NIOSSLContext? = nil,
        source: String? = nil
    ) async throws -> SkinnyPhone {
        var configuration = SkinnyPhone.Configuration(deviceName: name)
        configuration.localAddress = source
        configuration.protocolVersion = version
        configuration.keepAlive = keepAlive
        configuration.answerMode = answerMode
        configuration.rtp = rtp
        configuration.historyCapacity = 256
        configuration.tls = tls
        configuration.tlsServerHostname = "localhost"
        return try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: tls == nil ? self.port : self.sccpsPort,
            configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton
        )
    }

    /// Connects and registers a phone; returns it with its directory number.
    func registeredPhone(
        _ name: String,
        version: UInt8 = 11,
        keepAlive: SkinnyPhone.KeepAlivePolicy = .fromRegisterAck,
        answerMode: SkinnyPhone.AnswerMode = .offHook,
        tls: NIOSSLContext? = nil
    ) async throws -> (phone: SkinnyPhone, number: String) {
        let phone = try await self.phone(
            name,
            version: version,
            keepAlive: keepAlive,
            answerMode: answerMode,
            tls: tls
        )
        let registration = try await phone.register(timeout: Self.timeout)
        let number = try #require(registration.lines.first?.directoryNumber, "\(name) registered without a line")
        return (phone, number)
    }

    func status() async throws -> CallControlHost.Status {
        try await self.application.host.status()
    }

    /// Waits until the server's status satisfies `predicate` and returns it; fails with the last status seen.
    ///
    /// The server has no status notifications yet, so this looks every 20 ms until the deadline.
    @discardableResult
    func waitForStatus(
        _ what: String,
        timeout: Duration = TestServer.timeout,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: @escaping @Sendable (CallControlHost.Status) -> Bool
    ) async throws -> CallControlHost.Status {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var status = try await self.status()
        while !predicate(status) {
            guard clock.now < deadline else {
                Issue.record("Server status never became \(what); last: \(status)", sourceLocation: sourceLocation)
                throw TestServerError.statusTimedOut(what)
            }
            try await Task.sleep(for: .milliseconds(20))
            status = try await self.status()
        }
        return status
    }

    /// Waits until no call, leg, timer or media stream is left and `registered` devices are registered.
    @discardableResult
    func waitUntilClean(
        registered: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CallControlHost.Status {
        try await self.waitForStatus(
            "clean with \(registered) registered device(s)",
            sourceLocation: sourceLocation
        ) { status in
            status.activeCalls == 0 && status.activeLegs == 0 && status.activeTimers == 0
                && status.activeMediaStreams == 0 && status.registeredDevices == registered
                && status.sessions == registered + Self.serviceSessions
        }
    }

    /// Whether the core has `name` registered.
    func isRegistered(_ name: String) async throws -> Bool {
        try await self.application.host.withCore { $0.isRegistered(DeviceName(name)) }
    }

    /// Stops the server the way SIGTERM does (graceful shutdown: sessions end, then the writers drain) and keeps
    /// its data directory.
    func stopGracefully() async throws {
        await self.application.triggerGracefulShutdown()
        try await self.runTask.value
    }

    /// Stops the server and, unless `keepingData`, removes its data directory.
    func stop(keepingData: Bool = false) async {
        self.runTask.cancel()
        _ = try? await self.runTask.value
        if !keepingData {
            try? FileManager.default.removeItem(at: self.dataDirectory)
        }
    }

    /// Runs `body` with a server, and stops the server afterwards whether `body` threw or not.
    static func with<T>(
        keepAliveSeconds: Int = 30,
        autoRegistration: Bool = true,
        directoryJSON: String? = nil,
        logger: Logger? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let server = try await TestServer.start(
            keepAliveSeconds: keepAliveSeconds,
            autoRegistration: autoRegistration,
            directoryJSON: directoryJSON,
            logger: logger,
            configure: configure
        )
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

enum TestServerError: Error {
    case statusTimedOut(String)
}

/// The RSA keys a server makes on its first start (the RSA server certificate and the SAST: two RSA 2048 key
/// generations, a noticeable share of a debug build's start), made by the first test server and copied into the data
/// directories of the next ones, which reuse them as a restarted server would. A test that configures other host names
/// gets a new RSA certificate for them, as it should.
enum RSAKeyCache {
    /// Whether a server is making the keys now (the others wait), or they are kept.
    private enum State { case none, making, kept }
    private static let state = NIOLockedValueBox(State.none)

    /// Returns true if the caller is to make the keys (it calls ``finish()`` after ``keep(from:)``); otherwise
    /// waits, without holding a thread, until the maker has finished (at most 120 s) and returns false.
    static func waitOrLead() async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(120))
        while clock.now < deadline {
            let leads: Bool? = Self.state.withLockedValue { state in
                switch state {
                case .none:
                    state = .making
                    return true
                case .making:
                    return nil
                case .kept:
                    return false
                }
            }
            if let leads { return leads }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The maker is done (kept or failed): the next waiter copies the keys, or makes them if none were kept.
    static func finish() {
        let kept = FileManager.default.fileExists(atPath: Self.directory.path)
        Self.state.withLockedValue { $0 = kept ? .kept : .none }
    }

    static let files = ["sast-key.pem", "sast-cert.pem", "server-rsa-key.pem", "server-rsa-cert.pem"]
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "strowger-test-rsa-keys-\(ProcessInfo.processInfo.processIdentifier)"
    )

    /// Copies the kept files into `dataDirectory` (if they are kept, and not there already).
    static func copy(into dataDirectory: URL) {
        let manager = FileManager.default
        guard Self.files.allSatisfy({ manager.fileExists(atPath: Self.directory.appendingPathComponent($0).path) })
        else { return }
        for name in Self.files where !manager.fileExists(atPath: dataDirectory.appendingPathComponent(name).path) {
            try? manager.copyItem(
                at: Self.directory.appendingPathComponent(name),
                to: dataDirectory.appendingPathComponent(name)
            )
        }
    }

    /// Keeps the files a server wrote into `dataDirectory`, the first time.
    static func keep(from dataDirectory: URL) {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: Self.directory.path) else { return }
        let staging = Self.directory.appendingPathExtension("\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for name in Self.files {
                try manager.copyItem(
                    at: dataDirectory.appendingPathComponent(name),
                    to: staging.appendingPathComponent(name)
                )
            }
            // All four files or none: a rename, so a concurrent copy never sees half of them.
            try manager.moveItem(at: staging, to: Self.directory)
        } catch {
            try? manager.removeItem(at: staging)
        }
    }
}

/// Call steps shared by the tests.
enum Calls {
    /// `caller` dials `number`, `callee` rings and answers, and RTP flows both ways. Returns the two phones' call
    /// references.
    @discardableResult
    static func establish(
        from caller: SkinnyPhone,
        to callee: SkinnyPhone,
        number: String,
        callerNumber: String
    ) async throws -> (caller: UInt32, callee: UInt32) {
        try await caller.offHook()
        try await caller.waitForCallState(.offHook, timeout: TestServer.timeout)
        try await caller.dial(number)
        let ringing = try await callee.waitForRinging(timeout: TestServer.timeout)
        // Caller ID comes in the CallInfo that follows the RingIn state.
        let callerID = try await callee.waitForState("caller ID on the ringing call", timeout: TestServer.timeout) {
            state in
            state.calls[ringing.callReference].flatMap { $0.callingParty.isEmpty ? nil : $0.callingParty }
        }
        #expect(callerID == callerNumber)
        try await callee.answer()
        let callerCall = try await caller.waitForCall(.connected, timeout: TestServer.timeout)
        let calleeCall = try await callee.waitForCall(.connected, timeout: TestServer.timeout)
        try await caller.waitForRTP(packets: 10, callReference: callerCall.callReference, timeout: TestServer.timeout)
        try await callee.waitForRTP(packets: 10, callReference: calleeCall.callReference, timeout: TestServer.timeout)
        return (callerCall.callReference, calleeCall.callReference)
    }

    /// One call from `caller` to `callee` (`establish`), hung up by the caller; returns once both phones are idle.
    static func placeAndHangUp(
        from caller: (phone: SkinnyPhone, number: String),
        to callee: (phone: SkinnyPhone, number: String)
    ) async throws {
        try await Self.establish(
            from: caller.phone,
            to: callee.phone,
            number: callee.number,
            callerNumber: caller.number
        )
        try await caller.phone.onHook()
        try await caller.phone.waitForIdle(timeout: TestServer.timeout)
        try await callee.phone.waitForIdle(timeout: TestServer.timeout)
    }

    /// A device name for auto-registration: `SEP` and 12 hex digits, unique within a test.
    static func deviceName(_ n: Int) -> String {
        "SEP" + String(repeating: "0", count: 12 - String(n, radix: 16).count) + String(n, radix: 16).uppercased()
    }
}
