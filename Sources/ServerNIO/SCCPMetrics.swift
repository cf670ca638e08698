public import CoreMetrics
import SkinnySession
import SkinnyWire

/// What the SCCP sessions count, as swift-metrics counters made on a factory the application chooses (the admin
/// API's Prometheus registry; the no-op factory by default).
///
/// - `strowger_sccp_messages_received_total`, `strowger_sccp_messages_sent_total`: SCCP messages in and out.
/// - `strowger_sccp_connections_rejected_total{reason}`: connections the server closed because of the phone:
///   `registration_rejected`, `malformed_frame`, `protocol_violation`, `keepalive_expired`, `connection_error`.
public struct SCCPMetrics: Sendable {
    let factory: any MetricsFactory
    let messagesReceived: Counter
    let messagesSent: Counter

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        self.messagesReceived = Counter(label: "strowger_sccp_messages_received_total", factory: factory)
        self.messagesSent = Counter(label: "strowger_sccp_messages_sent_total", factory: factory)
        // Every reason from the start, at 0, so that a scrape shows the series before the first rejection.
        for reason in Self.rejectionReasons {
            _ = Counter(label: Self.rejectedLabel, dimensions: [("reason", reason)], factory: factory)
        }
    }

    static let rejectedLabel = "strowger_sccp_connections_rejected_total"
    static let rejectionReasons = [
        "registration_rejected", "malformed_frame", "protocol_violation", "keepalive_expired", "connection_error",
    ]

    /// Counts a connection the server closed for the phone's fault; closes that are nobody's fault (the phone
    /// unregistered, an administrator reset it) are not rejections.
    func connectionClosed(_ reason: SessionCloseReason) {
        let label: String
        switch reason {
        case .registrationRejected: label = "registration_rejected"
        case .malformedFrame: label = "malformed_frame"
        case .protocolViolation: label = "protocol_violation"
        case .keepAliveExpired: label = "keepalive_expired"
        case .unregistered, .resetByServer: return
        }
        connectionRejected(label)
    }

    /// Counts a connection closed because of a framing or socket error.
    func connectionRejected(_ reason: String) {
        Counter(label: Self.rejectedLabel, dimensions: [("reason", reason)], factory: factory).increment()
    }
}
