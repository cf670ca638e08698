import CallControl
import Foundation
public import Logging
import NIOCore
public import UnixSignals
import NIOPosix
import Provisioning
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
    /// The SCCPS port, held and guarded until TLS is built.
    public let sccpsListener: SCCPSPlaceholderListener
    /// TFTP provisioning; serves no file yet (issue 7 gives it the store's devices).
    public let tftpListener: TFTPListener
    /// The cluster port: drops and counts every datagram until the cluster protocol exists.
    public let clusterListener: ClusterListener
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
        let sccpGuard = ListenerGuard(service: "sccp", configuration: configuration.guards, logger: logger)
        let sessionInitializer = SCCPSessionInitializer(
            host: self.host,
            sessionConfiguration: SessionConfiguration(
                keepAliveInterval: UInt32(configuration.keepAliveSeconds),
                serverName: "Strowger", serverPort: UInt32(configuration.sccpPort)),
            logger: logger, counters: sccpGuard.counters)
        self.sccpListener = SCCPListener(
            configuration: .init(host: configuration.bindAddress, port: configuration.sccpPort),
            group: self.ioGroup, logger: logger, connectionGuard: sccpGuard,
            sessionInitializer: { channel in try sessionInitializer.initialize(channel) })
        self.sccpsListener = SCCPSPlaceholderListener(
            configuration: .init(host: configuration.bindAddress, port: configuration.sccpsPort),
            group: self.ioGroup, logger: logger,
            connectionGuard: ListenerGuard(service: "sccps", configuration: configuration.guards, logger: logger))
        var tftp = TFTPListener.Configuration(
            host: configuration.bindAddress, port: configuration.tftpPort,
            fallbackPort: configuration.tftpPort == 69 ? 6969 : nil)
        tftp.allowedNetworks = configuration.tftpAllowedNetworks
        self.tftpListener = TFTPListener(
            configuration: tftp,
            fileProvider: ProvisioningFileProvider(source: StaticProvisioningSource(devices: [], defaults: nil)),
            group: self.ioGroup, logger: logger)
        self.clusterListener = ClusterListener(
            configuration: .init(
                host: configuration.bindAddress, port: configuration.clusterPort, members: configuration.clusterMembers),
            group: self.ioGroup, logger: logger)
    }

    /// Every listener's guard statistics, for `/metrics` (`GuardStatistics.prometheusText`).
    public func guardStatistics() -> [GuardStatistics] {
        [
            self.sccpListener.connectionGuard.statistics(), self.sccpsListener.connectionGuard.statistics(),
            self.tftpListener.guardStatistics(), self.clusterListener.statistics(),
        ]
    }

    /// The services in dependency order.
    public var services: [any Service] {
        [
            self.sccpListener, self.sccpsListener, self.tftpListener, self.clusterListener,
            GuardStatisticsReporter(
                interval: .milliseconds(Int64(self.configuration.guardReportSeconds * 1000)), logger: self.logger,
                statistics: { [self] in self.guardStatistics() }),
            MemoryTrimmer(logger: self.logger) { [self] in
                self.sccpListener.connectionGuard.statistics().openConnections
                    + self.sccpsListener.connectionGuard.statistics().openConnections
            },
        ]
    }

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
            "SCCPS (TLS) on port \(configuration.sccpsPort): TLS not built yet; the port is held and guarded, "
                + "connections are closed",
            "TFTP on UDP port \(configuration.tftpPort): guarded, serves no file yet (issue 7)",
            "Cluster on UDP port \(configuration.clusterPort): no cluster protocol yet; every datagram is dropped "
                + "and counted",
            "HTTP provisioning on port \(configuration.httpPort): not built yet (issue 7)",
            "Admin API on 127.0.0.1:\(configuration.adminPort): not built yet (issue 4)",
        ]
    }
}
