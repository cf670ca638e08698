public import NIOCore

/// An error in SCCP bytes from a peer.
///
/// Compare errors by `code` only. The message id and the raw bytes travel with the error so that a field report can
/// be replayed byte for byte; `description` prints them as hex.
public struct SkinnyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case frameTooShort
            case frameTooLong
            case truncatedFrame
            case countOutOfRange
            case fieldOutOfRange
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The length field was below 4, the size of the message id it must include.
        public static let frameTooShort = Code(.frameTooShort)
        /// The length field was above the configured maximum (8 KiB by default).
        public static let frameTooLong = Code(.frameTooLong)
        /// The connection ended in the middle of a frame.
        public static let truncatedFrame = Code(.truncatedFrame)
        /// A count field claims more entries than the message's array holds (CVE-2007-4280, CVE-2010-0587).
        public static let countOutOfRange = Code(.countOutOfRange)
        /// A field holds a value the message cannot carry.
        public static let fieldOutOfRange = Code(.fieldOutOfRange)

        public var description: String {
            switch self.base {
            case .frameTooShort: "frame too short"
            case .frameTooLong: "frame too long"
            case .truncatedFrame: "truncated frame"
            case .countOutOfRange: "count out of range"
            case .fieldOutOfRange: "field out of range"
            }
        }
    }

    public let code: Code
    /// The id of the message being decoded, when the header was read far enough to know it.
    public let messageID: SkinnyMessageID?
    /// The bytes that caused the error: the header for framing errors, the body for message errors.
    public let bytes: ByteBuffer
    /// A human-readable detail, e.g. the offending value and its bound.
    public let detail: String

    private init(code: Code, messageID: SkinnyMessageID?, bytes: ByteBuffer, detail: String) {
        self.code = code
        self.messageID = messageID
        self.bytes = bytes
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        var text = "SCCP \(self.code): \(self.detail)"
        if let messageID = self.messageID { text += " in \(messageID)" }
        text += " [\(self.bytes.readableBytesView.prefix(64).map { byteHex($0) }.joined(separator: " "))"
        text += self.bytes.readableBytes > 64 ? " …]" : "]"
        return text
    }

    @inline(never)
    public static func frameTooShort(length: UInt32, header: ByteBuffer) -> SkinnyError {
        SkinnyError(
            code: .frameTooShort,
            messageID: nil,
            bytes: header,
            detail: "length \(length) is below the minimum of \(SkinnyLimits.minimumLength)"
        )
    }

    @inline(never)
    public static func frameTooLong(length: UInt32, maximum: UInt32, header: ByteBuffer) -> SkinnyError {
        SkinnyError(
            code: .frameTooLong,
            messageID: nil,
            bytes: header,
            detail: "length \(length) is above the maximum of \(maximum)"
        )
    }

    @inline(never)
    public static func truncatedFrame(remaining: ByteBuffer) -> SkinnyError {
        SkinnyError(
            code: .truncatedFrame,
            messageID: nil,
            bytes: remaining,
            detail: "connection closed with \(remaining.readableBytes) bytes of an unfinished frame"
        )
    }

    @inline(never)
    public static func countOutOfRange(
        _ field: String,
        count: UInt32,
        maximum: Int,
        messageID: SkinnyMessageID,
        body: ByteBuffer
    ) -> SkinnyError {
        SkinnyError(
            code: .countOutOfRange,
            messageID: messageID,
            bytes: body,
            detail: "\(field) is \(count) but the message holds at most \(maximum)"
        )
    }

    @inline(never)
    public static func fieldOutOfRange(
        _ field: String,
        value: UInt32,
        messageID: SkinnyMessageID,
        body: ByteBuffer
    ) -> SkinnyError {
        SkinnyError(
            code: .fieldOutOfRange,
            messageID: messageID,
            bytes: body,
            detail: "\(field) has the value \(value), which the message cannot carry"
        )
    }
}

private func byteHex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
