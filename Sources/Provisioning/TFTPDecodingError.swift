public import NIOCore

/// A datagram that is not a well-formed TFTP packet.
///
/// Compare errors by `code` only. The raw bytes (at most the first 64) travel with the error so that a field report
/// can be replayed; `description` prints them as hex.
public struct TFTPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case truncated
            case tooLong
            case unknownOpcode
            case unterminatedString
            case invalidString
            case emptyFilename
            case unknownMode
            case malformedOption
            case tooManyOptions
            case trailingBytes
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Shorter than its opcode's fixed fields.
        public static let truncated = Code(.truncated)
        /// Longer than its kind allows (512 bytes for a request, RFC 2347; 4 + 65464 for DATA, RFC 2348).
        public static let tooLong = Code(.tooLong)
        /// An opcode outside 1...6.
        public static let unknownOpcode = Code(.unknownOpcode)
        /// A file name, mode or option that does not end in NUL (RFC 1350 §5).
        public static let unterminatedString = Code(.unterminatedString)
        /// A string that is not UTF-8 (RFC 1350 asks for netascii; UTF-8 is its superset).
        public static let invalidString = Code(.invalidString)
        /// A request with an empty file name.
        public static let emptyFilename = Code(.emptyFilename)
        /// A mode other than netascii, octet or mail.
        public static let unknownMode = Code(.unknownMode)
        /// An option without a value, or with an empty name (RFC 2347).
        public static let malformedOption = Code(.malformedOption)
        /// More than `TFTPLimits.maximumOptionCount` options.
        public static let tooManyOptions = Code(.tooManyOptions)
        /// Bytes after a fixed-size packet (ACK).
        public static let trailingBytes = Code(.trailingBytes)

        public var description: String {
            switch self.base {
            case .truncated: "truncated packet"
            case .tooLong: "packet too long"
            case .unknownOpcode: "unknown opcode"
            case .unterminatedString: "unterminated string"
            case .invalidString: "invalid string"
            case .emptyFilename: "empty file name"
            case .unknownMode: "unknown mode"
            case .malformedOption: "malformed option"
            case .tooManyOptions: "too many options"
            case .trailingBytes: "trailing bytes"
            }
        }
    }

    public let code: Code
    /// The first bytes of the datagram (at most 64).
    public let bytes: ByteBuffer
    /// A human-readable detail.
    public let detail: String

    private init(code: Code, bytes: ByteBuffer, detail: String) {
        self.code = code
        self.bytes = bytes.getSlice(at: bytes.readerIndex, length: min(64, bytes.readableBytes)) ?? ByteBuffer()
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        let hex = self.bytes.readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "TFTP \(self.code): \(self.detail) [\(hex.joined(separator: " "))]"
    }

    @inline(never)
    static func make(_ code: Code, _ bytes: ByteBuffer, _ detail: String) -> TFTPDecodingError {
        TFTPDecodingError(code: code, bytes: bytes, detail: detail)
    }
}
