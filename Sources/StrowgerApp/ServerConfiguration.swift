public import ServerNIO

/// Everything `strowger serve` can be told, with the defaults a new user gets (design.md "Defaults").
public struct ServerConfiguration: Sendable, Equatable {
    /// Where the database, certificates and admin token live.
    public var dataDirectory: String = "strowger-data"
    /// The address every phone-facing listener binds to.
    public var bindAddress: String = "0.0.0.0"
    /// SCCP over TCP (design.md: 2000).
    public var sccpPort: Int = 2000
    /// SCCP over TLS (design.md: 2443).
    public var sccpsPort: Int = 2443
    /// TFTP provisioning (design.md: UDP 69).
    public var tftpPort: Int = 69
    /// HTTP provisioning (design.md: 6970).
    public var httpPort: Int = 6970
    /// The admin API, bound to loopback (design.md: 8080).
    public var adminPort: Int = 8080
    /// Seconds between a phone's KeepAlives; the session is dropped after twice this of silence. CUCM's default
    /// station keepalive is 30 s (call-flows.md §1).
    public var keepAliveSeconds: Int = 30
    /// Whether an unknown `SEP<MAC>` phone gets the next free directory number (CUCM auto-registration).
    public var autoRegistration: Bool = true
    /// The directory numbers auto-registration hands out.
    public var autoRegistrationRange: ClosedRange<Int> = 1000...1999
    /// The cluster service (design.md: UDP 8500). No cluster protocol yet: every datagram is dropped and counted.
    public var clusterPort: Int = 8500
    /// The guards of the SCCP and SCCPS listeners (SECURITY.md): allow-list, caps, rate and ban, Register deadline,
    /// message ceiling, write bound.
    public var guards = ConnectionGuardConfiguration()
    /// Sources whose TFTP requests are looked at.
    public var tftpAllowedNetworks: SourceAllowList = .any
    /// The cluster's member nodes: none until the cluster exists.
    public var clusterMembers: SourceAllowList = .none
    /// Seconds between "Guard statistics" log lines (only when a count changed).
    public var guardReportSeconds: Double = 60

    public init() {}
}
