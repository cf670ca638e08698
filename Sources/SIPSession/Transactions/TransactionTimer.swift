public import SIPWire

/// The transaction timers of RFC 3261 §17 (table 4) and RFC 6026 (L, M).
public enum TransactionTimer: String, Hashable, Sendable, CaseIterable {
    /// INVITE client: retransmit the INVITE (UDP), T1 doubling.
    case a = "A"
    /// INVITE client: give up waiting for any response, 64·T1.
    case b = "B"
    /// INVITE client: absorb retransmitted final responses after a non-2xx (32 s UDP, 0 TCP).
    case d = "D"
    /// Non-INVITE client: retransmit the request (UDP), T1 doubling up to T2.
    case e = "E"
    /// Non-INVITE client: give up, 64·T1.
    case f = "F"
    /// Non-INVITE client: absorb retransmitted responses (T4 UDP, 0 TCP).
    case k = "K"
    /// INVITE server: retransmit the non-2xx final response (UDP), T1 doubling up to T2.
    case g = "G"
    /// INVITE server: give up waiting for the ACK, 64·T1.
    case h = "H"
    /// INVITE server: absorb retransmitted ACKs (T4 UDP, 0 TCP).
    case i = "I"
    /// Non-INVITE server: absorb retransmitted requests (64·T1 UDP, 0 TCP).
    case j = "J"
    /// INVITE server (RFC 6026): absorb retransmitted INVITEs after a 2xx, 64·T1.
    case l = "L"
    /// INVITE client (RFC 6026): pass on retransmitted 2xx responses, 64·T1.
    case m = "M"
}

/// What a transaction asks of the layer above it.
public enum TransactionAction: Hashable, Sendable {
    /// Send this message to the transaction's peer.
    case send(SIPMessage)
    /// Fire `timer` at this instant (it replaces an earlier one of the same timer).
    case schedule(TransactionTimer, at: SIPInstant)
    /// Client: give this response to the transaction user.
    case deliver(SIPResponse)
    /// Client: no final response in time (Timer B or F) or the transport failed; the user treats it as a 408
    /// (RFC 3261 §8.1.3.1).
    case timedOut
    /// Server (INVITE): the ACK for a non-2xx response never came (Timer H).
    case noAck
    /// Server (INVITE, RFC 6026 Accepted state): an ACK for the 2xx, for the transaction user.
    case deliverAck(SIPRequest)
    /// The transaction is over; forget it.
    case terminated
}
