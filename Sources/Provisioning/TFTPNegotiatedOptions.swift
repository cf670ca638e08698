public import NIOCore

/// The block size and timeout of one read transfer, and the OACK that tells the client (RFC 2347, 2348, 2349).
public struct TFTPNegotiatedOptions: Hashable, Sendable {
    /// Bytes per DATA block.
    public var blockSize: Int
    /// The retransmission timeout.
    public var timeout: TimeAmount
    /// The options accepted, in the order the client sent them, with the values the server uses. Empty means the
    /// server sends no OACK and starts with DATA block 1 (RFC 2347: "If the server ... does not support options,
    /// it ... proceeds with the normal transfer").
    public var acknowledged: [TFTPOption]

    public init(blockSize: Int, timeout: TimeAmount, acknowledged: [TFTPOption]) {
        self.blockSize = blockSize
        self.timeout = timeout
        self.acknowledged = acknowledged
    }

    /// Negotiates the options of a read request for a file of `fileSize` bytes.
    ///
    /// - `blksize` (RFC 2348): values 8...65464 are accepted, anything larger is lowered to
    ///   `maximumBlockSize` (the server "may reply with a smaller value"), anything smaller or not a number is
    ///   ignored.
    /// - `tsize` (RFC 2349): the client sends 0 in an RRQ; the server answers with the file's size.
    /// - `timeout` (RFC 2349): 1...10 seconds (`TFTPLimits.acceptedTimeoutRange`) is accepted and echoed; anything
    ///   else, including RFC 2349's 11...255, is ignored.
    /// - Every other option (e.g. RFC 7440 `windowsize`) is ignored, as RFC 2347 allows.
    public static func negotiate(
        _ request: TFTPRequest,
        fileSize: Int,
        maximumBlockSize: Int,
        defaultTimeout: TimeAmount
    ) -> TFTPNegotiatedOptions {
        let serverMaximum = min(max(maximumBlockSize, TFTPLimits.minimumBlockSize), TFTPLimits.maximumBlockSize)
        var result = TFTPNegotiatedOptions(
            blockSize: min(TFTPLimits.defaultBlockSize, serverMaximum),
            timeout: defaultTimeout,
            acknowledged: []
        )
        for option in request.options {
            switch option.name {
            case TFTPOption.blockSizeName:
                guard let requested = Self.number(option.value), requested >= TFTPLimits.minimumBlockSize else {
                    continue
                }
                result.blockSize = min(requested, serverMaximum)
                result.acknowledged.append(TFTPOption(name: option.name, value: String(result.blockSize)))
            case TFTPOption.transferSizeName:
                result.acknowledged.append(TFTPOption(name: option.name, value: String(fileSize)))
            case TFTPOption.timeoutName:
                guard let seconds = Self.number(option.value), TFTPLimits.acceptedTimeoutRange.contains(seconds)
                else {
                    continue
                }
                result.timeout = .seconds(Int64(seconds))
                result.acknowledged.append(TFTPOption(name: option.name, value: String(seconds)))
            default:
                continue
            }
        }
        return result
    }

    /// A decimal number of at most `TFTPLimits.maximumNumericOptionDigits` ASCII digits, nothing else.
    private static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= TFTPLimits.maximumNumericOptionDigits,
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(text)
    }
}
