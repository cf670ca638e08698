public import CallRuntime
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import SkinnySession
import SkinnyWire

/// Builds the per-connection part of the SCCP pipeline: the keepalive deadline and the session handler.
public struct SCCPSessionInitializer: Sendable {
    private let host: CallControlHost
    private let sessionConfiguration: SessionConfiguration
    private let logger: Logger
    private let metrics: SCCPMetrics
    private let counters: GuardCounters?
    private let nextSessionID = NIOLockedValueBox<UInt64>(1)

    /// - Parameter counters: where sessions count the connections they close themselves (keepalive expiry,
    ///   malformed messages, protocol violations, rejected registrations): the listener guard's counters.
    public init(
        host: CallControlHost,
        sessionConfiguration: SessionConfiguration,
        logger: Logger,
        metrics: SCCPMetrics = SCCPMetrics(),
        counters: GuardCounters? = nil
    ) {
        self.host = host
        self.sessionConfiguration = sessionConfiguration
        self.logger = logger
        self.metrics = metrics
        self.counters = counters
    }

    /// Adds the handlers after the frame codec, on the child channel's event loop.
    public func initialize(_ channel: any Channel) throws {
        let id = self.nextSessionID.withLockedValue { value -> UInt64 in
            defer { value &+= 1 }
            return value
        }
        // A phone that sends nothing (not even a KeepAlive) for twice its interval is gone (reference §8 note 5).
        let deadline = TimeAmount.seconds(2 * Int64(self.sessionConfiguration.keepAliveInterval))
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(IdleStateHandler(readTimeout: deadline))
        try operations.addHandler(
            SkinnySessionHandler(
                machine: DeviceSessionStateMachine(configuration: self.configuration(for: channel)),
                host: self.host,
                sessionID: id,
                logger: self.logger,
                metrics: self.metrics,
                counters: self.counters
            )
        )
    }

    /// The listener's settings with ServerRes's address and port taken from the connection itself: the address the
    /// phone reached (the listener may be bound to every address) and the port it connected to (which is the bound
    /// one when the listener was asked for port 0, and 2443 for a phone on SCCPS).
    private func configuration(for channel: any Channel) -> SessionConfiguration {
        var configuration = self.sessionConfiguration
        guard let local = channel.localAddress else { return configuration }
        if let port = local.port, port > 0 { configuration.serverPort = UInt32(port) }
        if case .v4 = local, let text = local.ipAddress, let address = SkinnyIPAddress(ipv4String: text) {
            configuration.serverAddress = address
        }
        return configuration
    }
}
