/// Bounds from the TFTP RFCs and Strowger's own defaults, each with its source.
public enum TFTPLimits {
    /// The largest request (RRQ/WRQ) accepted, options included.
    ///
    /// RFC 2347 §"Packet Formats": "the request packet ... must not exceed 512 octets". Anything longer is junk.
    public static let maximumRequestLength = 512

    /// The block size without a `blksize` option. RFC 1350 §1: "data is sent in blocks of 512 bytes".
    public static let defaultBlockSize = 512

    /// The smallest `blksize` a client may ask for. RFC 2348: "Valid values range between 8 and 65464 octets".
    public static let minimumBlockSize = 8

    /// The largest `blksize` a client may ask for (RFC 2348), the most a UDP/IPv4 datagram holds after the
    /// TFTP, UDP and IP headers.
    public static let maximumBlockSize = 65464

    /// The `timeout` option's range in seconds. RFC 2349: "Valid values range between 1 and 255 seconds".
    public static let timeoutRange: ClosedRange<Int> = 1...255

    /// The `timeout` values Strowger acknowledges, in seconds; a larger one is ignored (no OACK entry), and the
    /// transfer runs with the server's default timeout.
    ///
    /// RFC 2349 lets a server ignore the option but not lower it ("the specified timeout value must match the value
    /// specified by the client"). Phones ask for none or a few seconds. A client that asks for 255 and never
    /// acknowledges would hold a transfer slot for 255 s × (1 + retransmissions): ten such requests a second
    /// locked every slot for minutes (issue 13). With at most 10 s a silent transfer ends within a minute.
    public static let acceptedTimeoutRange: ClosedRange<Int> = 1...10

    /// The largest datagram any TFTP peer sends: a DATA packet of the largest block (4 header bytes).
    public static let maximumPacketLength = 4 + maximumBlockSize

    /// The longest ERROR message Strowger writes or reads; the RFCs put no bound on it, a datagram does.
    public static let maximumErrorMessageLength = 255

    /// How many options one request may carry. No RFC bound; 512 bytes leave room for about 120 empty ones, and
    /// no client sends more than a handful (blksize, tsize, timeout, windowsize).
    public static let maximumOptionCount = 16

    /// How many digits a numeric option value may have. `tsize` of a file up to 2^63 needs 19.
    public static let maximumNumericOptionDigits = 19
}
