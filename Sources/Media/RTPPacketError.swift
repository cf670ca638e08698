public import NIOCore

/// Why a datagram is not a usable RTP packet (RFC 3550 §5.1, §5.3.1).
///
/// Compare errors by `code` only; the raw bytes travel with the error so that a field report can be replayed.
public struct RTPPacketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case tooShort
            case unsupportedVersion
            case truncatedCSRCList
            case truncatedExtension
            case invalidPadding
            case tooLong
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Fewer than the 12 bytes of the fixed header.
        public static let tooShort = Code(.tooShort)
        /// The version field is not 2 (RFC 3550 §5.1: "The version defined by this specification is two").
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The CSRC count names more identifiers than the datagram holds.
        public static let truncatedCSRCList = Code(.truncatedCSRCList)
        /// The X bit is set but the extension header, or the words its length names, are missing (§5.3.1).
        public static let truncatedExtension = Code(.truncatedExtension)
        /// The P bit is set and the last octet's padding count is 0 or reaches into the header (§5.1: "the last
        /// octet of the padding contains a count of how many padding octets should be ignored, including itself").
        public static let invalidPadding = Code(.invalidPadding)
        /// Larger than the engine accepts (``RTPPacket/maximumSize``).
        public static let tooLong = Code(.tooLong)

        public var description: String {
            switch self.base {
            case .tooShort: "too short"
            case .unsupportedVersion: "unsupported version"
            case .truncatedCSRCList: "truncated CSRC list"
            case .truncatedExtension: "truncated header extension"
            case .invalidPadding: "invalid padding"
            case .tooLong: "too long"
            }
        }
    }

    public let code: Code
    /// The datagram as it arrived.
    public let bytes: ByteBuffer
    /// The offending value and its bound.
    public let detail: String

    private init(code: Code, bytes: ByteBuffer, detail: String) {
        self.code = code
        self.bytes = bytes
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        let hex = self.bytes.readableBytesView.prefix(32).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }
        return
            "RTP \(self.code): \(self.detail) [\(hex.joined(separator: " "))\(self.bytes.readableBytes > 32 ? " …" : "")]"
    }

    @inline(never)
    static func tooShort(_ bytes: ByteBuffer) -> Self {
        Self(code: .tooShort, bytes: bytes, detail: "\(bytes.readableBytes) bytes, the fixed header needs 12")
    }

    @inline(never)
    static func tooLong(_ bytes: ByteBuffer) -> Self {
        Self(code: .tooLong, bytes: bytes, detail: "\(bytes.readableBytes) bytes, at most \(RTPPacket.maximumSize)")
    }

    @inline(never)
    static func unsupportedVersion(_ version: UInt8, _ bytes: ByteBuffer) -> Self {
        Self(code: .unsupportedVersion, bytes: bytes, detail: "version \(version), expected 2")
    }

    @inline(never)
    static func truncatedCSRCList(count: Int, _ bytes: ByteBuffer) -> Self {
        Self(
            code: .truncatedCSRCList,
            bytes: bytes,
            detail: "CSRC count \(count) needs \(12 + 4 * count) bytes, got \(bytes.readableBytes)"
        )
    }

    @inline(never)
    static func truncatedExtension(needed: Int, _ bytes: ByteBuffer) -> Self {
        Self(
            code: .truncatedExtension,
            bytes: bytes,
            detail: "header extension needs \(needed) bytes, got \(bytes.readableBytes)"
        )
    }

    @inline(never)
    static func invalidPadding(count: Int, available: Int, _ bytes: ByteBuffer) -> Self {
        Self(
            code: .invalidPadding,
            bytes: bytes,
            detail: "padding count \(count) with \(available) bytes after the header"
        )
    }
}
