public import AdminHTTP
public import ServerNIO
public import Store

/// Everything `strowger serve` can be told, with the defaults a new user gets (design.md "Defaults").
///
/// The keepalive and auto-registration settings live in the Store (they can be changed through the admin API). An
/// auto-registration value given here is written to the Store at start; a keepalive given here holds for this run
/// only; nil keeps what the Store has (the defaults on a first start: keepalive 30 s, auto-registration on,
/// 1000–1999).
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
    /// The admin API (design.md: 8080); 0 picks a free port.
    public var adminPort: Int = 8080
    /// The address the admin API binds to: loopback, because the token is its only lock.
    public var adminBindAddress: String = "127.0.0.1"
    /// Serve the admin API and web pages over HTTPS with the server certificate SCCPS presents (`--admin-tls`).
    public var adminTLS = false
    /// Seconds between a phone's KeepAlives; the session is dropped after twice this of silence. CUCM's default
    /// station keepalive is 30 s (call-flows.md §1). nil: the stored setting; a value holds for this run only.
    public var keepAliveSeconds: Int?
    /// Whether an unknown `SEP<MAC>` phone gets the next free directory number (CUCM auto-registration). nil: the
    /// stored setting.
    public var autoRegistration: Bool?
    /// The directory numbers auto-registration hands out. nil: the stored setting.
    public var autoRegistrationRange: ClosedRange<Int>?
    /// The cluster service (design.md: UDP 8500; `--cluster-port`). Without ``clusterNode`` every datagram is
    /// dropped and counted.
    public var clusterPort: Int = 8500
    /// This server as a node of a cluster (`--node`, `--cluster-secret-file`; docs/cluster.md); nil: not one.
    public var clusterNode: ClusterNodeOptions?
    /// The PostgreSQL database the cluster's nodes share (`--database`, docs/store.md); nil: the SQLite database
    /// in the data directory.
    public var database: PostgresURL?
    /// The password for ``database`` (`--database-password-file`, else `PGPASSWORD`); nil for none.
    public var databasePassword: String?
    /// How fast devices the server does not know may auto-register, per source and in all (SECURITY.md). The
    /// guards' exempt networks are exempt from the per-source rate.
    public var autoRegistrationLimits = AutoRegistrationLimits()
    /// How many admin event streams are served at once, in all and per client.
    public var eventStreamLimits = EventStreamLimits()
    /// The guards of the SCCP and SCCPS listeners (SECURITY.md): allow-list, caps, rate and ban, Register deadline,
    /// message ceiling, write bound.
    public var guards = ConnectionGuardConfiguration()
    /// Sources whose TFTP requests are looked at.
    public var tftpAllowedNetworks: SourceAllowList = .any
    /// The cluster's member nodes: none until the cluster exists.
    public var clusterMembers: SourceAllowList = .none
    /// Seconds between "Guard statistics" log lines (only when a count changed).
    public var guardReportSeconds: Double = 60
    /// Sources whose HTTP provisioning connections are kept.
    public var httpAllowedNetworks: SourceAllowList = .any
    /// The CallManager group written into every phone's cnf.xml: up to three nodes, the first one primary. Empty:
    /// this server alone, at its bind address (or the machine's first non-loopback address when it binds the
    /// wildcard), with its own SCCP and SCCPS ports.
    public var callManagers: [CallManagerAddress] = []
    /// The user's own SCCPS server certificate chain (PEM, leaf first); nil: the Strowger CA issues one in the data
    /// directory. Goes with `tlsPrivateKeyPath`.
    public var tlsCertificatePath: String?
    /// The private key of `tlsCertificatePath` (PEM).
    public var tlsPrivateKeyPath: String?
    /// The CA certificate phones should trust for a supplied server certificate, served as `strowger-ca.pem`.
    public var tlsTrustAnchorPath: String?
    /// SIP trunks (issue 15): off unless a port is given (`strowger serve` gives 5060 and 5061).
    public var sip = SIPServerConfiguration()
    /// The UDP ports of media streams (design.md: 16384–32767, CUCM's RTP range): conference participants each
    /// take an even port; music on hold and tones are sent from one.
    public var mediaPorts: ClosedRange<Int> = 16_384...32_767
    /// The IPv4 address phones are told to send conference RTP to (`--media-address`): the server's address as the
    /// phones see it, when that is not the bind address (NAT, several interfaces). nil: the bind address, or, when
    /// the server binds the wildcard, the address each phone's SCCP connection reached the server on.
    public var mediaAddress: String?
    /// Participants per conference (`--conference-max`; CUCM's ad hoc default is 4, its software bridge's limit
    /// higher; 8 here).
    public var conferenceMaximum: Int = 8
    /// Whether the TLS listeners also take TLS 1.0 and 1.1 with the RSA CBC suites 79x0 firmware uses
    /// (`--tls-legacy`; weaker, so off by default; docs/tls.md).
    public var tlsLegacy: Bool = false
    /// Which phones get trust lists (`--trust-lists`, docs/tls.md "Trust lists").
    public var trustLists: TrustListPolicy = .secureDevices
    /// `<idleURL>` of every phone's cnf.xml (`--idle-url`); nil writes none.
    public var idleURL: String?
    /// `<idleTimeout>`: seconds before an idle phone shows `idleURL` (`--idle-timeout`).
    public var idleTimeoutSeconds: Int = 0
    /// The host the phone-service URLs in the cnf.xml name (`--services-host`); nil: the first `--callmanager`
    /// host, else the address phones are told to register with.
    public var servicesHost: String?

    public init() {}
}

/// Which phones are served trust lists (CTL and ITL).
public enum TrustListPolicy: String, Sendable, Equatable, CaseIterable {
    /// `CTLSEP<MAC>.tlv` and `ITLSEP<MAC>.tlv` for devices in a secure mode (authenticated, encrypted) only. A phone
    /// that installs a list trusts only lists signed by the same SAST from then on, so phones that do not need one
    /// are not given one.
    case secureDevices = "secure"
    /// Every configured device's own files, and the generic `CTLFile.tlv` and `ITLFile.tlv` for phones without them
    /// (CUCM's Security By Default gives every phone an ITL).
    case allPhones = "all"
}
