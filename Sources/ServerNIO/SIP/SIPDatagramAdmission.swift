public import NIOCore

/// Decides, without I/O, whether a UDP datagram on the SIP port is looked at: the allow-list, the size, and a
/// per-source rate with a ban (the connection rate's model, per datagram). Time is an input.
///
/// A trunk sends a few datagrams a second (keepalives, and in phase 2 a call's dozen messages); a source past
/// ``SIPGuardConfiguration/datagramRate`` is a flood or a scanner (SIPVicious sends hundreds a second) and is
/// refused for ``SIPGuardConfiguration/banDuration``. The table of sources is bounded; idle entries are pruned.
struct SIPDatagramAdmission: Sendable {
    enum Decision: Hashable, Sendable {
        case accept
        case drop(GuardRejectionReason)
    }

    private struct Source: Sendable {
        var datagrams: SlidingWindowCounter
        var bannedUntil: NIODeadline?
    }

    let configuration: SIPGuardConfiguration
    /// The trunks' addresses: held to ``SIPGuardConfiguration/trunkDatagramRate`` instead.
    var trunkSources: Set<SourceAddress> = []
    private var sources: [SourceAddress: Source] = [:]
    private var lastPrune: NIODeadline?

    init(configuration: SIPGuardConfiguration) {
        self.configuration = configuration
    }

    /// Sources banned at `now`.
    func bannedSources(now: NIODeadline) -> Int {
        sources.values.reduce(0) { $0 + (($1.bannedUntil.map { now < $0 } ?? false) ? 1 : 0) }
    }

    mutating func datagramReceived(from source: SourceAddress, size: Int, now: NIODeadline) -> Decision {
        guard configuration.allowedNetworks.allows(source) else { return .drop(.sourceNotAllowed) }
        // A datagram that filled the receive buffer may have been cut short by the kernel: oversized either way.
        guard size <= configuration.maximumMessageSize, size < configuration.receiveBufferSize else {
            return .drop(.oversizedDatagram)
        }
        if configuration.exemptNetworks.allows(source) { return .accept }
        let rate = trunkSources.contains(source) ? configuration.trunkDatagramRate : configuration.datagramRate
        pruneIfDue(now: now)
        var entry: Source
        if let existing = sources[source] {
            entry = existing
        } else {
            guard sources.count < configuration.maximumTrackedSources else { return .drop(.trackingTableFull) }
            entry = Source(datagrams: SlidingWindowCounter(window: rate.window))
        }
        defer { sources[source] = entry }
        if let until = entry.bannedUntil {
            if now < until { return .drop(.sourceBanned) }
            entry.bannedUntil = nil
        }
        if entry.datagrams.record(now: now) > rate.events {
            entry.bannedUntil = now + configuration.banDuration
            entry.datagrams = SlidingWindowCounter(window: rate.window)
            return .drop(.datagramRateLimited)
        }
        return .accept
    }

    private mutating func pruneIfDue(now: NIODeadline) {
        guard sources.count > 1_024 else { return }
        if let last = lastPrune, now - last < configuration.datagramRate.window { return }
        lastPrune = now
        sources = sources.filter { _, source in
            var source = source
            if let until = source.bannedUntil, now < until { return true }
            return source.datagrams.count(now: now) > 0
        }
    }
}

/// The guards of the SIP listeners (UDP, TCP, TLS), with their defaults and the reasons for them.
public struct SIPGuardConfiguration: Hashable, Sendable {
    /// Sources whose datagrams and connections are looked at; any by default (trunk policy then answers 403 to
    /// strangers). A site whose trunks are known lists their networks here, so strangers cost nothing at all.
    public var allowedNetworks: SourceAllowList = .any
    /// Sources exempt from the rate limits (a carrier's SBC cluster behind one address).
    public var exemptNetworks: SourceAllowList = .none
    /// The largest SIP message, on every transport.
    public var maximumMessageSize: Int = 65_535
    /// Datagrams are read into buffers of this size (a datagram filling it may be cut: dropped as oversized).
    public var receiveBufferSize: Int = 65_536
    /// Datagrams one source may send per window before it is banned: 100 per second is about ten calls starting
    /// at once from one trunk, and well below a SIP scanner's rate.
    public var datagramRate = RateLimit(events: 100, per: .seconds(1))
    /// Messages one TCP/TLS connection may send per window before it is closed (the same rate as datagrams).
    public var messageCeiling = RateLimit(events: 100, per: .seconds(1))
    /// The datagrams, and the messages per connection, of a trunk's address: a trunk carrying 100 calls a second
    /// sends about 500 (INVITE, ACK, BYE, their retransmissions and responses to this side's requests); 2,000
    /// leaves room, and a trunk that floods past it is banned like anyone else.
    public var trunkDatagramRate = RateLimit(events: 2_000, per: .seconds(1))
    /// How long a source past the datagram rate is refused (the SCCP guard's ban, 300 s).
    public var banDuration: TimeAmount = .seconds(300)
    /// Sources tracked at once for the datagram rate.
    public var maximumTrackedSources = 100_000
    /// How long a TCP/TLS connection may stay without a message before it is closed: a trunk that keeps a
    /// connection sends OPTIONS or CRLF pings far more often (RFC 5626 suggests 120 s for pings).
    public var idleTimeout: TimeAmount = .seconds(300)
    /// The guards of the TCP and TLS listeners (caps, connection rate, ban).
    public var connections: ConnectionGuardConfiguration = {
        var configuration = ConnectionGuardConfiguration()
        // A trunk peer keeps one or two connections; 16 leaves room for reconnects.
        configuration.maximumConnectionsPerSource = 16
        configuration.maximumConnections = 1_024
        return configuration
    }()

    public init() {}
}
