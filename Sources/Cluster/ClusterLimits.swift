/// The cluster protocol's limits, each with its reason (docs/cluster.md describes the datagram they bound).
public enum ClusterLimits {
    /// The only datagram version this code reads and writes. A node that meets another version drops the datagram
    /// (`bad_version`) rather than guess at its layout; a later version bumps this byte.
    public static let version: UInt8 = 1

    /// The longest datagram written or read: one Ethernet frame's UDP payload (1,500 − 20 − 8), so that no cluster
    /// datagram is ever fragmented (ServerNIO's guard drops longer ones before they reach the decoder).
    public static let maximumDatagramSize = 1_472

    /// The HMAC-SHA256 tag at the end of every datagram.
    public static let tagSize = 32

    /// The fixed bytes of a datagram: version, type, name length, sequence, timestamp, payload length.
    public static let fixedHeaderSize = 1 + 1 + 1 + 8 + 8 + 2

    /// The shortest datagram that can be well formed: the fixed header, a one-byte node name, an empty payload and
    /// the tag. Anything shorter is dropped (`too_short`) without computing an HMAC.
    public static let minimumDatagramSize = fixedHeaderSize + 1 + tagSize

    /// The longest node name, in bytes: its length travels in one byte, and 63 is a DNS label's limit (RFC 1035
    /// §2.3.4), which a node's name often is.
    public static let maximumNodeNameLength = 63

    /// The longest device name in a registration-location update: SCCP device names are 15 characters (`SEP` and a
    /// MAC address), SIP ones longer; 64 leaves room and keeps an entry's length in one byte.
    public static let maximumDeviceNameLength = 64

    /// The most registration-location changes in one datagram: 16 entries of the longest device name (2 + 64 bytes
    /// each) plus the largest header and the tag stay under ``maximumDatagramSize``.
    public static let maximumLocationChangesPerDatagram = 16

    /// The shortest cluster secret accepted: 32 bytes, the HMAC-SHA256 block's half and the hash's length (RFC 2104
    /// §3: a key shorter than the hash output weakens the MAC).
    public static let minimumSecretLength = 32

    /// How far a datagram's timestamp may be from the receiver's clock, either way, by default: wide enough for
    /// clocks kept by NTP and a slow network, narrow enough that a recorded datagram soon stops being accepted
    /// even by a receiver that restarted and lost its replay windows.
    public static let defaultTimestampTolerance: Duration = .seconds(30)

    /// The sequence numbers each peer's replay window remembers below the highest one seen (RFC 4303 §3.4.3 uses
    /// 32 or 64): datagrams reordered by up to this many are still accepted once each.
    public static let replayWindowSize: UInt64 = 64

    /// A node is down after this many heartbeat intervals without a datagram from it (issue 19).
    public static let missedHeartbeatsBeforeDown = 3
}
