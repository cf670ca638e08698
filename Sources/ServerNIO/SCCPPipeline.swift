public import Logging
public import NIOCore
import NIOConcurrencyHelpers
public import SkinnySession

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
        host: CallControlHost, sessionConfiguration: SessionConfiguration, logger: Logger,
        metrics: SCCPMetrics = SCCPMetrics(), counters: GuardCounters? = nil
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
                machine: DeviceSessionStateMachine(configuration: self.sessionConfiguration), host: self.host,
                sessionID: id, logger: self.logger, metrics: self.metrics, counters: self.counters))
    }
}
