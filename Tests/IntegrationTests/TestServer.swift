import Foundation
import Logging
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import StrowgerApp

/// A Strowger server on loopback with port 0 and a fresh data directory, for one test.
struct TestServer {
    let application: StrowgerApplication
    let port: Int
    let dataDirectory: URL
    private let runTask: Task<Void, any Error>

    static func start(
        keepAliveSeconds: Int = 30, autoRegistration: Bool = true, dataDirectory: URL? = nil,
        directoryJSON: String? = nil
    ) async throws -> TestServer {
        let directory =
            dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("strowger-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let directoryJSON {
            try Data(directoryJSON.utf8).write(to: directory.appendingPathComponent("directory.json"))
        }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path
        configuration.bindAddress = "127.0.0.1"
        configuration.sccpPort = 0
        configuration.keepAliveSeconds = keepAliveSeconds
        configuration.autoRegistration = autoRegistration
        var logger = Logger(label: "strowger-test")
        logger.logLevel = ProcessInfo.processInfo.environment["STROWGER_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        let application = try StrowgerApplication(configuration: configuration, logger: logger)
        let runTask = Task { try await application.run(gracefulShutdownSignals: []) }
        let port = try await application.sccpListener.boundPort()
        return TestServer(application: application, port: port, dataDirectory: directory, runTask: runTask)
    }

    /// Connects a simulated phone to this server.
    func phone(
        _ name: String, version: UInt8 = 11, keepAlive: SkinnyPhone.KeepAlivePolicy = .fromRegisterAck,
        rtp: SkinnyPhone.RTPMode = .enabled
    ) async throws -> SkinnyPhone {
        var configuration = SkinnyPhone.Configuration(deviceName: name)
        configuration.protocolVersion = version
        configuration.keepAlive = keepAlive
        configuration.rtp = rtp
        return try await SkinnyPhone.connect(
            host: "127.0.0.1", port: self.port, configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton)
    }

    func stop() async {
        self.runTask.cancel()
        _ = try? await self.runTask.value
    }
}
