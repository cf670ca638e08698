/// Why a datagram on the cluster port was dropped. The raw value is the `reason` label in `/metrics`.
///
/// The checks run in this order, cheapest first, and nothing after the tag check looks at bytes that were not
/// authenticated: a datagram from someone without the secret costs one HMAC at most.
public enum ClusterDatagramRejection: String, Error, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Shorter than the smallest well-formed datagram (``ClusterLimits/minimumDatagramSize``): a probe or junk.
    case tooShort = "too_short"
    /// Longer than ``ClusterLimits/maximumDatagramSize``.
    case tooLong = "too_long"
    /// A version byte other than ``ClusterLimits/version``: junk, or a node running another protocol version.
    case badVersion = "bad_version"
    /// The tag is not the HMAC-SHA256 of the datagram under the cluster secret: a forgery, a datagram altered on
    /// the way, or a node configured with another secret.
    case badTag = "bad_tag"
    /// Authenticated but not well formed (lengths that do not add up, an invalid name): a node with a bug.
    case malformed = "malformed"
    /// Authenticated, but of a type this version does not know: a newer node.
    case unknownType = "unknown_type"
    /// Authenticated, but the sender is not one of this node's peers (removed from the node table, or this node's
    /// own datagram reflected back at it).
    case unknownNode = "unknown_node"
    /// Authenticated, from a peer, but not the one the receiver expected: it came from another node's address
    /// (``ClusterDatagramDecoder/decode(_:now:expectedSender:)``). Checked before the replay window, so that one
    /// node cannot move another's window.
    case wrongSender = "wrong_sender"
    /// The timestamp is further from the receiver's clock than the tolerance: a recording replayed later, or a
    /// node whose clock is wrong.
    case timestampOutsideWindow = "timestamp_outside_window"
    /// A sequence number already accepted from this sender: a replay.
    case replayed = "replayed"
    /// A sequence number below the sender's replay window: too old to tell whether it is a replay, so refused.
    case sequenceTooOld = "sequence_too_old"

    public var description: String { self.rawValue }
}
