import CallControl
import Foundation
public import Logging
import NIOCore
public import UnixSignals
import NIOPosix
public import ServerNIO
public import ServiceLifecycle
import SkinnySession
import SkinnyWire

/// The composition root: one server, built from its configuration, run as one `ServiceGroup`.
public final class StrowgerApplication: Sendable {
    public let configuration: ServerConfiguration
    /// The CallControl owner; tests read its status.
    public let host: CallControlHost
    /// The SCCP listener; `boundPort()` tells the port when 0 was asked for.
    public let sccpListener: SCCPListener
    private let ioGroup: MultiThreadedEventLoopGroup
    private let coreGroup: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let directoryStore: DirectoryFileStore

    public init(configuration: ServerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StrowgerConfigurationError(
                "cannot create the data directory \(configuration.dataDirectory): \(error.localizedDescription)")
        }
        self.directoryStore = try DirectoryFileStore(directory: dataDirectory, logger: logger)

        var settings = CallControlSettings()
        settings.autoRegistration.isEnabled = configuration.autoRegistration
        settings.autoRegistration.numbers =
            UInt32(clamping: configuration.autoRegistrationRange.lowerBound)...UInt32(
                clamping: configuration.autoRegistrationRange.upperBound)
        let core = CallControlCore(directory: self.directoryStore.initial.callControlDirectory(settings: settings))

        // One event loop per core for sockets; the call-control core gets a loop of its own so that a busy
        // socket loop never delays call logic (design.md: one owner).
        self.ioGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        self.coreGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let directoryStore = self.directoryStore
        self.host = CallControlHost(
            core: core,
            configuration: .init(keepAliveInterval: .seconds(Int64(configuration.keepAliveSeconds))),
            eventLoop: self.coreGroup.next(), logger: logger,
            onCallRecord: { record in
                logger.info(
                    "Call ended",
                    metadata: [
                        "call.calling": "\(record.callingNumber)", "call.dialed": "\(record.dialedNumber)",
                        "call.cause": "\(record.endCause)",
                    ])
            },
            onAutoRegistered: { device, number in
                directoryStore.recordAutoRegistration(device: device, number: number)
            })
        let sessionInitializer = SCCPSessionInitializer(
            host: self.host,
            sessionConfiguration: SessionConfiguration(
                keepAliveInterval: UInt32(configuration.keepAliveSeconds),
                serverName: "Strowger", serverPort: UInt32(configuration.sccpPort)),
            logger: logger)
        self.sccpListener = SCCPListener(
            configuration: .init(host: configuration.bindAddress, port: configuration.sccpPort),
            group: self.ioGroup, logger: logger,
            sessionInitializer: { channel in try sessionInitializer.initialize(channel) })
    }

    /// The services in dependency order.
    public var services: [any Service] { [self.sccpListener] }

    /// Runs every service until SIGTERM or SIGINT (or cancellation), then shuts the event loops down.
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: self.services.map { .init(service: $0) },
                gracefulShutdownSignals: gracefulShutdownSignals, logger: self.logger))
        do {
            try await group.run()
        } catch {
            try? await self.shutdownEventLoops()
            throw error
        }
        try await self.shutdownEventLoops()
    }

    private func shutdownEventLoops() async throws {
        self.directoryStore.flush()
        try await self.ioGroup.shutdownGracefully()
        try await self.coreGroup.shutdownGracefully()
    }

    /// Messages for services that accept options but are not built yet.
    public var notBuiltYet: [String] {
        [
            "SCCPS (TLS) on port \(configuration.sccpsPort): not built yet (issue 7)",
            "TFTP on UDP port \(configuration.tftpPort): not built yet (issue 7)",
            "HTTP provisioning on port \(configuration.httpPort): not built yet (issue 7)",
            "Admin API on 127.0.0.1:\(configuration.adminPort): not built yet (issue 4)",
        ]
    }
}
