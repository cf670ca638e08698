/// Named limits of the SIP wire format. Each says where it comes from and why it is what it is.
public enum SIPLimits {
    /// The largest message accepted, start line, headers and body together, on every transport. 65,535 is the largest
    /// payload a UDP datagram can carry (RFC 768), so TCP and TLS accept exactly what UDP could; a TCP peer cannot
    /// make the server buffer more than this before the message is rejected (the check is made as soon as the header
    /// section and its Content-Length are read, before the body is awaited). A trunk's INVITE with SDP is 1–4 KB.
    public static let defaultMaximumMessageSize = 65_535

    /// The most header fields one message may carry (each folded line counts once). RFC 4475's longest valid
    /// message (§3.1.1.7, "longreq") has 45; carriers add a few dozen at most. The bound keeps the work per message
    /// linear in a small constant.
    public static let maximumHeaderFields = 256

    /// The most Via values one message may carry. Every proxy on the path adds one; Max-Forwards starts at 70
    /// (RFC 3261 §8.1.1.6), so 70 is the longest path a well-behaved request can have taken.
    public static let maximumVias = 70

    /// The most lines one SDP body may have. An audio offer is about 15; a video offer with ICE candidates a few
    /// hundred.
    public static let maximumSDPLines = 1_024

    /// The largest CSeq sequence number: RFC 3261 §8.1.1.5, "MUST be expressible as a 32-bit unsigned integer and
    /// MUST be less than 2**31".
    public static let maximumCSeq: UInt32 = (1 << 31) - 1

    /// The largest Max-Forwards: RFC 3261 §20.22, "an integer in the range 0-255".
    public static let maximumMaxForwards = 255

    /// The Max-Forwards a request starts with (RFC 3261 §8.1.1.6: "SHOULD be 70").
    public static let initialMaxForwards = 70

    /// The magic cookie that starts every RFC 3261 branch parameter (§8.1.1.7).
    public static let branchMagicCookie = "z9hG4bK"
}
