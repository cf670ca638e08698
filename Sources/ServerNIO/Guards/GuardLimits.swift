public import NIOCore

/// The defaults of every listener guard. Each one says where it comes from; each can be changed in
/// ``ConnectionGuardConfiguration`` (and `strowger serve` options). SECURITY.md lists them with the attacks they stop.
public enum GuardLimits {
    /// Connections one listener holds open at once. design.md sizes a node for 100,000 phones; the process's file
    /// descriptor limit must be above this (SECURITY.md, "Host hardening").
    public static let maximumConnections = 100_000

    /// Connections one source address may hold open at once. A phone keeps one connection to a call manager; 64
    /// leaves room for phones behind one NAT address and for reconnects that overlap a closing connection, while
    /// one host cannot take more than a sliver of ``maximumConnections`` (CVE-2011-1507). Sites with more phones
    /// behind one address raise it or list the address as exempt.
    public static let maximumConnectionsPerSource = 64

    /// Connections that have not registered yet, per listener. Asterisk's answer to CVE-2011-1507 was chan_skinny's
    /// `authlimit` (50 unauthenticated sessions) and `authtimeout` (30 s); Strowger serves a thousand times more
    /// phones, and a registration storm after a power cut has many phones between connect and RegisterAck at once
    /// (about 1,000 at 500 registrations a second), so 1,024.
    public static let maximumUnregisteredConnections = 1_024

    /// How long a connection may go without sending Register before it is closed (the 10 s; a phone sends
    /// Register within milliseconds of connecting, call-flows §1). Asterisk's `authtimeout` is 30 s.
    public static let registerTimeout = TimeAmount.seconds(10)

    /// Phones' standby connections, per listener: a phone keeps one to the next node of its CallManager group,
    /// sending it only KeepAlives (Cisco's "Troubleshoot IP Phone Unregistration"), so a node that backs up another
    /// holds one per phone of that node: the design's 30,000 phones.
    public static let maximumStandbyConnections = 30_000

    /// How long a standby connection may go without a frame: two of the longest keepalive intervals the settings
    /// allow (600 s), since a phone sends KeepAlives on its standby connection at the interval its primary gave it,
    /// which this node does not know.
    public static let standbyTimeout = TimeAmount.seconds(1_200)

    /// New connections one source may open per ``connectionRateWindow`` before it is banned: Kamailio's pike module,
    /// `reqs_density_per_unit` 16 per `sampling_time_unit` 2 s. A phone opens one connection and reopens it only
    /// after losing it.
    public static let connectionRateLimit = 16

    /// The window of ``connectionRateLimit`` (pike's `sampling_time_unit`).
    public static let connectionRateWindow = TimeAmount.seconds(2)

    /// How long a source that went past ``connectionRateLimit`` is refused (the 300 s; pike unblocks after
    /// its `remove_latency` once the rate drops).
    public static let banDuration = TimeAmount.seconds(300)

    /// Messages one connection may send per ``messageCeilingWindow`` before it is closed: CUCM's service parameter
    /// "Max Events Allowed", 2,000 events in 5 seconds, after which CUCM closes the device's TCP connection
    /// (unregister reason 12, SCCPDeviceThrottling; Cisco document 108548; CVE-2012-0361). A phone sends a few
    /// messages a second, about 40 while registering.
    public static let messageCeiling = 2_000

    /// The window of ``messageCeiling`` (CUCM: five seconds).
    public static let messageCeilingWindow = TimeAmount.seconds(5)

    /// Bytes written to one connection that the socket has not taken yet. A phone that stops reading fills the
    /// kernel's send buffer first, then this; past it the connection is closed rather than buffered forever
    /// (design.md: every queue a peer can grow has a bound). The largest burst the server sends a phone (the
    /// registration replies, about 6 KB) fits forty times.
    public static let maximumPendingWriteBytes = 256 * 1024

    /// How often one rejection is logged per reason and source: one line per interval says how many were
    /// suppressed, never one line per packet (CVE-2017-9358).
    public static let logInterval = TimeAmount.seconds(10)

    /// Source addresses whose connection rate is tracked at once. An entry is forgotten once its source has no
    /// connection, no ban and no recent attempt; past this many, new sources are refused until entries expire. At
    /// about 200 bytes an entry this bounds the table near 40 MB.
    public static let maximumTrackedSources = 200_000

    /// Distinct (reason, source) pairs the rejection log remembers; past it, further sources share one line per
    /// reason.
    public static let maximumLoggedSources = 4_096

    /// The largest cluster datagram accepted on UDP 8500: one Ethernet frame's UDP payload (1,500 − 20 − 8).
    /// Heartbeats and change notices are small; anything longer is dropped before it is looked at.
    public static let maximumClusterDatagramSize = 1_472

    /// Datagrams are read into buffers of this size; a longer one arrives cut short and is dropped as oversized.
    public static let datagramReceiveBufferSize = 2_048
}

extension GuardLimits {
    /// New devices one source address may auto-register per ``autoRegistrationSourceWindow``. A phone
    /// auto-registers once in its life (after that it is a known device); one address that brings new `SEP` names
    /// again and again is a scanner draining the number range (issue 13: 995 numbers at 7 a second from one
    /// address). Sites with many new phones behind one NAT address list it with `--guard-exempt`.
    public static let autoRegistrationsPerSource = 4

    /// The window of ``autoRegistrationsPerSource``.
    public static let autoRegistrationSourceWindow = TimeAmount.seconds(60)

    /// New devices auto-registered per ``autoRegistrationTotalWindow`` from everyone together: bounds a drain from
    /// many addresses (the default range of 1,000 numbers lasts at least 200 s) while a rollout of phones powering up
    /// at once is served at 5 a second; the phones retry a refused registration.
    public static let autoRegistrationsTotal = 50

    /// The window of ``autoRegistrationsTotal``.
    public static let autoRegistrationTotalWindow = TimeAmount.seconds(10)

    /// How long a phone's RegisterAck may wait for its auto-registration to be saved. The Store retries a failed
    /// write for about 3 s; past this the phone is refused rather than told yes to a number the server might
    /// forget.
    public static let autoRegistrationSaveDeadline = TimeAmount.seconds(10)

    /// How long new devices are refused after a save failed for good: the disk is full or read-only, and phones
    /// retrying every few seconds would only fail again.
    public static let autoRegistrationPauseAfterFailure = TimeAmount.seconds(30)
}
