import NIOConcurrencyHelpers

/// Why a guard refused a connection or datagram, or closed a connection. The raw value is the `reason` label in
/// `/metrics` and the `guard.reason` key in the log.
public enum GuardRejectionReason: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The source is not on the service's allow-list.
    case sourceNotAllowed = "source_not_allowed"
    /// The source is banned for opening connections too fast.
    case sourceBanned = "source_banned"
    /// This connection went past the per-source connection rate; the source is now banned.
    case connectionRateExceeded = "connection_rate_exceeded"
    /// The source already holds its maximum number of connections.
    case perSourceConnectionLimit = "per_source_connection_limit"
    /// The listener already holds its maximum number of connections.
    case totalConnectionLimit = "total_connection_limit"
    /// Too many sources are being tracked at once to take another.
    case trackingTableFull = "tracking_table_full"
    /// Too many connections have not registered yet.
    case unregisteredConnectionLimit = "unregistered_connection_limit"
    /// The connection sent no Register within the register timeout.
    case registerTimeout = "register_timeout"
    /// A KeepAlive before any Register asked for a standby slot and none was free: the connection stays under the
    /// Register deadline.
    case standbyConnectionLimit = "standby_connection_limit"
    /// A standby connection sent nothing within the standby timeout.
    case standbyTimeout = "standby_timeout"
    /// The connection sent more messages than the per-connection ceiling allows.
    case messageRateExceeded = "message_rate_exceeded"
    /// The peer stopped reading and the server's unsent bytes for it passed the limit.
    case writeBufferExceeded = "write_buffer_exceeded"
    /// Nothing arrived from the phone within two keepalive intervals.
    case keepAliveExpired = "keepalive_expired"
    /// The byte stream did not frame: a length field out of range, or a frame cut short by the close.
    case malformedFrame = "malformed_frame"
    /// A frame's body did not decode as the message its id names.
    case malformedMessage = "malformed_message"
    /// A message the session cannot accept in its state (a call message before Register, a second Register).
    case protocolViolation = "protocol_violation"
    /// The call manager refused the registration (unknown device, invalid name, no free number, name in use).
    case registrationRejected = "registration_rejected"
    /// The TLS handshake on the SCCPS port failed: not TLS at all (a scan, garbage), no common cipher or version, or
    /// a client certificate that does not verify against the Strowger CA.
    case tlsHandshakeFailed = "tls_handshake_failed"
    /// The TLS handshake on the SCCPS port did not complete within its deadline.
    case tlsHandshakeTimeout = "tls_handshake_timeout"
    /// A device refused at Register for its client certificate: it requires one and came without, or the
    /// certificate names another device.
    case clientCertificateRejected = "client_certificate_rejected"
    /// A cluster datagram that is not an authenticated message from a member (all of them, until the cluster
    /// protocol exists).
    case unauthenticatedDatagram = "unauthenticated_datagram"
    /// A datagram longer than the service accepts.
    case oversizedDatagram = "oversized_datagram"
    /// A datagram that is not a well-formed request (TFTP junk).
    case malformedDatagram = "malformed_datagram"
    /// A datagram dropped by the per-source request rate (TFTP).
    case datagramRateLimited = "datagram_rate_limited"
    /// A request dropped because every transfer slot was taken and none was stalled (TFTP).
    case transferSlotsFull = "transfer_slots_full"
    /// A request dropped because its source already holds its share of the transfer slots (TFTP).
    case perSourceTransferLimit = "per_source_transfer_limit"
    /// A stalled transfer (its packet unanswered past the timeout) ended to make room for a new request (TFTP).
    case stalledTransferEvicted = "stalled_transfer_evicted"
    /// A connection that did not send a whole request within the request deadline (HTTP provisioning, admin API):
    /// a slow-drip ("slowloris") client.
    case requestTimeout = "request_timeout"
    /// A connection closed after the idle timeout with no request in progress (HTTP provisioning, admin API).
    case idleTimeout = "idle_timeout"
    /// A Register of an unknown device refused because its source, or everyone together, auto-registered too many
    /// devices too fast (SCCP, SCCPS).
    case autoRegistrationRateExceeded = "auto_registration_rate_exceeded"
    /// A Register of an unknown device refused because the database could not save the device it would have been
    /// given: the phone is told no rather than given a number that would be forgotten (SCCP, SCCPS).
    case autoRegistrationNotSaved = "auto_registration_not_saved"
    /// An admin event stream refused because its client, or everyone together, already held the most allowed.
    case eventStreamLimit = "event_stream_limit"
    /// A cluster datagram shorter than the smallest well-formed one (docs/cluster.md).
    case undersizedDatagram = "undersized_datagram"
    /// A cluster datagram of another protocol version.
    case badVersion = "bad_version"
    /// A cluster datagram whose HMAC-SHA256 tag does not verify under the cluster secret: forged or altered.
    case badTag = "bad_tag"
    /// An authenticated cluster datagram of a type this version does not know.
    case unknownMessageType = "unknown_message_type"
    /// An authenticated cluster datagram that names a node not in the node table (or this node itself).
    case unknownNode = "unknown_node"
    /// An authenticated cluster datagram that names one node and came from another node's address.
    case nodeAddressMismatch = "node_address_mismatch"
    /// A cluster datagram whose timestamp is too far from this node's clock.
    case timestampOutsideWindow = "timestamp_outside_window"
    /// A cluster datagram whose sequence number was already accepted from its sender: a replay.
    case replayedDatagram = "replayed_datagram"
    /// A cluster datagram whose sequence number is below its sender's replay window.
    case sequenceTooOld = "sequence_too_old"
    /// A socket error that the listener survived (an ICMP error reported on a socket, a failed read).
    case socketError = "socket_error"

    public var description: String { self.rawValue }
}

/// What one listener's guards have refused, by reason, and what it holds now: the numbers the admin API's
/// `/metrics` route publishes (``prometheusText(_:)``) and `strowger serve` logs.
public struct GuardStatistics: Hashable, Sendable {
    /// The service: `sccp`, `sccps`, `tftp`, `http`, `cluster`, `admin`.
    public var service: String
    /// Refusals and guard-initiated closes since the listener started, by reason. Reasons never seen are absent.
    public var rejections: [GuardRejectionReason: Int]
    /// Connections open now (TCP services).
    public var openConnections: Int
    /// Connections open now that have not registered yet (SCCP), standby connections not included.
    public var unregisteredConnections: Int
    /// Phones' standby connections open now (SCCP): KeepAlives to this node as the next of their CallManager group.
    public var standbyConnections: Int
    /// Sources banned now for their connection rate.
    public var bannedSources: Int

    public init(
        service: String,
        rejections: [GuardRejectionReason: Int] = [:],
        openConnections: Int = 0,
        unregisteredConnections: Int = 0,
        standbyConnections: Int = 0,
        bannedSources: Int = 0
    ) {
        self.service = service
        self.rejections = rejections
        self.openConnections = openConnections
        self.unregisteredConnections = unregisteredConnections
        self.standbyConnections = standbyConnections
        self.bannedSources = bannedSources
    }

    /// The count for one reason.
    public subscript(reason: GuardRejectionReason) -> Int {
        self.rejections[reason, default: 0]
    }

    /// All refusals and guard closes.
    public var totalRejections: Int { self.rejections.values.reduce(0, +) }

    /// The statistics of several listeners in the Prometheus text exposition format (version 0.0.4): a counter
    /// `strowger_guard_rejections_total{service,reason}` for every reason (zeros included, so rates work from the
    /// first scrape) and gauges for open and unregistered connections and banned sources.
    public static func prometheusText(_ statistics: [GuardStatistics]) -> String {
        var lines = [
            "# HELP strowger_guard_rejections_total Connections, messages and datagrams refused or closed by a guard.",
            "# TYPE strowger_guard_rejections_total counter",
        ]
        for item in statistics {
            for reason in GuardRejectionReason.allCases {
                lines.append(
                    "strowger_guard_rejections_total{service=\"\(item.service)\",reason=\"\(reason.rawValue)\"} "
                        + "\(item[reason])"
                )
            }
        }
        let gauges: [(String, String, KeyPath<GuardStatistics, Int>)] = [
            ("strowger_guard_open_connections", "Connections open now.", \.openConnections),
            (
                "strowger_guard_unregistered_connections", "Connections open now that have not registered.",
                \.unregisteredConnections
            ),
            (
                "strowger_guard_standby_connections",
                "Phones' standby connections open now (KeepAlives only, to the next node of their group).",
                \.standbyConnections
            ),
            (
                "strowger_guard_banned_sources", "Source addresses banned now for their connection rate.",
                \.bannedSources
            ),
        ]
        for (name, help, keyPath) in gauges {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
            for item in statistics {
                lines.append("\(name){service=\"\(item.service)\"} \(item[keyPath: keyPath])")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Thread-safe counters by reason, shared by a listener's handlers on every event loop.
public final class GuardCounters: Sendable {
    private let counts = NIOLockedValueBox([GuardRejectionReason: Int]())

    public init() {}

    /// Counts one rejection.
    public func record(_ reason: GuardRejectionReason, count: Int = 1) {
        self.counts.withLockedValue { $0[reason, default: 0] += count }
    }

    /// The counts so far.
    public func snapshot() -> [GuardRejectionReason: Int] {
        self.counts.withLockedValue { $0 }
    }
}
