import CallRuntime
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing

/// A whole Strowger server on loopback with its guards configured by the test, every port free.
struct GuardServer {
    let application: StrowgerApplication
    let sccpPort: Int
    let sccpsPort: Int
    let tftpPort: Int
    let clusterPort: Int
    let dataDirectory: URL
    private let runTask: Task<Void, any Error>

    /// Runs `body` with a server configured as `configuration` (its data folder, address and ports are replaced),
    /// logging into `logLines` when given.
    static func with<T>(
        _ configuration: ServerConfiguration = ServerConfiguration(),
        logLines: NIOLockedValueBox<[String]>? = nil,
        _ body: (GuardServer) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-guard-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = configuration
        configuration.dataDirectory = directory.path
        configuration.bindAddress = "127.0.0.1"
        configuration.sccpPort = 0
        configuration.sccpsPort = 0
        configuration.tftpPort = 0
        configuration.httpPort = 0
        configuration.clusterPort = 0
        configuration.adminPort = 0
        // Below 20000: the media tests take ranges of their own in 20000–31999 and count the ports they get.
        configuration.mediaPorts = 16_384...19_999
        // These tests register many new phones from a few loopback addresses; the auto-registration rates have tests
        // of their own (HardeningTests).
        configuration.autoRegistrationLimits.perSource = RateLimit(events: 1_000, per: .seconds(60))
        configuration.autoRegistrationLimits.total = RateLimit(events: 10_000, per: .seconds(10))
        var logger: Logger
        if let logLines {
            logger = Logger(label: "strowger-guard-test", factory: { _ in CountingLogHandler(lines: logLines) })
            logger.logLevel = .info
        } else {
            logger = Logger(label: "strowger-guard-test")
            logger.logLevel =
                ProcessInfo.processInfo.environment["STROWGER_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
                ?? .critical
        }
        let application = try await StrowgerApplication(configuration: configuration, logger: logger)
        let runTask = Task { try await application.run(gracefulShutdownSignals: []) }
        try await TestServer.waitForMediaServer(application)
        let server = GuardServer(
            application: application,
            sccpPort: try await application.sccpListener.boundPort(),
            sccpsPort: try await application.sccpsListener.boundPort(),
            tftpPort: try await application.tftpListener.boundPort(),
            clusterPort: try await application.clusterListener.boundPort(),
            dataDirectory: directory,
            runTask: runTask
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

    func stop() async {
        self.runTask.cancel()
        _ = try? await self.runTask.value
        try? FileManager.default.removeItem(at: self.dataDirectory)
    }

    /// The SCCP listener's guard statistics.
    var sccp: GuardStatistics { self.application.sccpListener.connectionGuard.statistics() }

    func status() async throws -> CallControlHost.Status {
        try await self.application.host.status()
    }

    /// Waits until `predicate` holds for the SCCP statistics.
    @discardableResult
    func waitForStatistics(
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: (GuardStatistics) -> Bool
    ) async throws -> GuardStatistics {
        try await Eventually.wait(what, sourceLocation: sourceLocation) {
            let statistics = self.sccp
            return predicate(statistics) ? statistics : nil
        }
    }

    /// Waits until no call, leg, timer or media stream is left and `registered` devices are registered.
    func waitUntilClean(registered: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await Eventually.wait("clean with \(registered) registered", sourceLocation: sourceLocation) {
            let status = try await self.status()
            let clean =
                status.activeCalls == 0 && status.activeLegs == 0 && status.activeTimers == 0
                && status.activeMediaStreams == 0 && status.registeredDevices == registered
                && status.sessions == registered + TestServer.serviceSessions
            return clean ? status : nil
        }
    }

    /// A registered SkinnyPhone and its number.
    func registeredPhone(_ name: String, version: UInt8 = 11) async throws -> (phone: SkinnyPhone, number: String) {
        var configuration = SkinnyPhone.Configuration(deviceName: name)
        configuration.protocolVersion = version
        configuration.historyCapacity = 256
        let phone = try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: self.sccpPort,
            configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton
        )
        let registration = try await phone.register(timeout: TestServer.timeout)
        let number = try #require(registration.lines.first?.directoryNumber)
        return (phone, number)
    }

    /// A two-phone call, set up and torn down: proof that the server still does its job.
    func placeCall(_ index: Int) async throws {
        let (alice, aliceNumber) = try await self.registeredPhone(Calls.deviceName(0xA000 + 2 * index))
        let (bob, bobNumber) = try await self.registeredPhone(Calls.deviceName(0xA001 + 2 * index))
        try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
        try await alice.onHook()
        try await alice.waitForIdle(timeout: TestServer.timeout)
        try await bob.waitForIdle(timeout: TestServer.timeout)
        try await alice.disconnect()
        try await bob.disconnect()
    }
}

extension ServerConfiguration {
    /// The defaults, changed by `change`.
    static func configured(_ change: (inout ServerConfiguration) -> Void) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        change(&configuration)
        return configuration
    }
}

enum Eventually {
    /// Polls `probe` every 20 ms until it returns a value or `timeout` passes.
    @discardableResult
    static func wait<T>(
        _ what: String,
        timeout: Duration = TestServer.timeout,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ probe: () async throws -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let value = try await probe() { return value }
            guard clock.now < deadline else {
                Issue.record("Timed out waiting for \(what)", sourceLocation: sourceLocation)
                throw RawClientError.timedOut(what)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

enum RawClientError: Error {
    case timedOut(String)
}

/// A TCP client that sends whatever bytes a test gives it and keeps what comes back: the attacker's side.
final class RawClient: Sendable {
    let channel: any Channel
    private let state: NIOLockedValueBox<(received: ByteBuffer, closed: Bool)>

    private init(channel: any Channel, state: NIOLockedValueBox<(received: ByteBuffer, closed: Bool)>) {
        self.channel = channel
        self.state = state
    }

    /// Connects to 127.0.0.1:`port`, from `source` (another loopback address) when given.
    /// Opens `count` connections at once (not one after another), so that they all arrive within a short window even
    /// on a loaded machine: a test of a cap or a deadline then does not depend on how fast connects are made.
    static func connectAtOnce(
        _ count: Int,
        port: Int,
        from source: @escaping @Sendable (Int) -> String
    ) async throws -> [RawClient] {
        try await withThrowingTaskGroup(of: RawClient.self) { group in
            for index in 0..<count {
                group.addTask { try await RawClient.connect(port: port, from: source(index)) }
            }
            var clients: [RawClient] = []
            for try await client in group { clients.append(client) }
            return clients
        }
    }

    static func connect(port: Int, from source: String? = nil, receiveBuffer: Int? = nil) async throws -> RawClient {
        let state = NIOLockedValueBox((received: ByteBuffer(), closed: false))
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(state: state))
                }
            }
        if let receiveBuffer {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
        }
        if let source {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0))
        }
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        return RawClient(channel: channel, state: state)
    }

    /// Sends raw bytes.
    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends one frame with a correct length field.
    func send(id: SkinnyMessageID, body: [UInt8] = []) async throws {
        try await self.send(RawFrames.frame(id: id.rawValue, body: body))
    }

    /// Sends Register for `name` as a v11 7960 would.
    func register(_ name: String, version: UInt8 = 11) async throws {
        try await self.send(RawFrames.register(name, version: version))
    }

    /// Waits until the server has sent a frame with `id`.
    func waitFor(_ id: SkinnyMessageID, timeout: Duration = TestServer.timeout) async throws {
        try await Eventually.wait("frame \(id)", timeout: timeout) {
            RawFrames.ids(in: self.received).contains(id) ? () : nil
        }
    }

    /// Whether the server closed the connection within `timeout`.
    func waitForClose(timeout: Duration = TestServer.timeout) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if self.isClosed { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return self.isClosed
    }

    var received: ByteBuffer { self.state.withLockedValue { $0.received } }
    var isClosed: Bool { self.state.withLockedValue { $0.closed } }

    func close() async {
        try? await self.channel.close()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state: NIOLockedValueBox<(received: ByteBuffer, closed: Bool)>

        init(state: NIOLockedValueBox<(received: ByteBuffer, closed: Bool)>) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = self.unwrapInboundIn(data)
            self.state.withLockedValue { _ = $0.received.writeBuffer(&bytes) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.state.withLockedValue { $0.closed = true }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

/// Hand-made SCCP bytes, hostile or not.
enum RawFrames {
    static func littleEndian(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// A frame whose length field says `length` (default: the true length).
    static func frame(id: UInt32, body: [UInt8] = [], length: UInt32? = nil) -> [UInt8] {
        littleEndian(length ?? UInt32(4 + body.count)) + littleEndian(0) + littleEndian(id) + body
    }

    static func register(_ name: String, version: UInt8 = 11, deviceType: UInt32 = 7) -> [UInt8] {
        let message = StationMessage.register(
            SkinnyMessage.Register(
                deviceName: name,
                deviceType: SkinnyDeviceType(rawValue: deviceType),
                protocolVersion: version
            )
        )
        var buffer = ByteBuffer()
        buffer.writeSkinnyFrame(message.frame(version: .v3))
        return Array(buffer.readableBytesView)
    }

    /// The ids of the whole frames in `buffer`.
    static func ids(in buffer: ByteBuffer) -> [SkinnyMessageID] {
        var buffer = buffer
        var ids: [SkinnyMessageID] = []
        while let (length, _, id) = buffer.getMultipleIntegers(
            at: buffer.readerIndex,
            endianness: .little,
            as: (UInt32, UInt32, UInt32).self
        ),
            length >= 4, buffer.readableBytes >= 8 + Int(length)
        {
            ids.append(SkinnyMessageID(id))
            buffer.moveReaderIndex(forwardBy: 8 + Int(length))
        }
        return ids
    }
}
