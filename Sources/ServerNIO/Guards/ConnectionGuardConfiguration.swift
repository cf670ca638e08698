public import NIOCore

/// The guards of one TCP listener (SCCP, SCCPS), with safe defaults (``GuardLimits``).
public struct ConnectionGuardConfiguration: Hashable, Sendable {
    /// Sources that may connect at all. Phones can be anywhere: any by default.
    public var allowedNetworks: SourceAllowList = .any
    /// Sources exempt from the per-source cap and the connection-rate ban (a NAT gateway in front of many phones).
    /// They still count against ``maximumConnections``. None by default.
    public var exemptNetworks: SourceAllowList = .none
    /// Connections held open at once.
    public var maximumConnections: Int = GuardLimits.maximumConnections
    /// Connections one source address may hold open at once.
    public var maximumConnectionsPerSource: Int = GuardLimits.maximumConnectionsPerSource
    /// Connections open at once that have not registered.
    public var maximumUnregisteredConnections: Int = GuardLimits.maximumUnregisteredConnections
    /// How long a connection may go without sending Register.
    public var registerTimeout: TimeAmount = GuardLimits.registerTimeout
    /// Phones' standby connections open at once.
    public var maximumStandbyConnections: Int = GuardLimits.maximumStandbyConnections
    /// How long a standby connection may go without a frame.
    public var standbyTimeout: TimeAmount = GuardLimits.standbyTimeout
    /// New connections per source; past it the source is banned for ``banDuration``.
    public var connectionRate = RateLimit(
        events: GuardLimits.connectionRateLimit,
        per: GuardLimits.connectionRateWindow
    )
    /// How long a source that went past ``connectionRate`` is refused.
    public var banDuration: TimeAmount = GuardLimits.banDuration
    /// Messages per connection; past it the connection is closed.
    public var messageCeiling = RateLimit(events: GuardLimits.messageCeiling, per: GuardLimits.messageCeilingWindow)
    /// Unsent bytes per connection; past it the connection is closed.
    public var maximumPendingWriteBytes: Int = GuardLimits.maximumPendingWriteBytes
    /// SO_SNDBUF for each connection; nil leaves the kernel's default and its autotuning (up to `tcp_wmem`'s
    /// maximum, kernel memory rather than the server's). What the kernel does not take counts against
    /// ``maximumPendingWriteBytes``.
    public var socketSendBufferSize: Int?
    /// One log line per reason and source per this interval.
    public var logInterval: TimeAmount = GuardLimits.logInterval
    /// Sources tracked at once for the connection rate.
    public var maximumTrackedSources: Int = GuardLimits.maximumTrackedSources

    public init() {}
}
