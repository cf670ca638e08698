public import NIOCore

extension SkinnyMessage {
    /// EnblocCall (0x0004), phone to call manager: a whole number dialled at once, from redial, a directory or the
    /// Dial softkey (reference §5.1, §7 #14).
    ///
    /// - v17 and below: `char[24] calledParty`, then optionally `u32 lineInstance` at 24 (v16 and older phones send
    ///   none).
    /// - v18 and above: `char[25] calledParty`, then the line instance either packed at 25 (a 7970: 32-byte body,
    ///   3 pad bytes at the end) or aligned at 28 (an 8945, bytes 25–27 zero) (reference §7 #14). chan-sccp reads
    ///   the `u32` at 28 and falls back to 25 when it is 0, which misreads a packed value whose top byte is set
    ///   (0xFFFFFFFF packed leaves 0x000000FF at 28). This decoder takes the aligned form only when bytes 25–27 are
    ///   zero and the `u32` at 28 is not, and the packed form otherwise.
    ///
    /// The encoder writes the packed form, which Wireshark also expects, except for a line instance whose low three
    /// bytes are zero and top byte is not (0x01000000, say): packed, it would look aligned, so it goes out aligned.
    /// No phone has such a line; the exception keeps decode → encode → decode exact for every value.
    public struct EnblocCall: SkinnyMessageBody {
        public static let id = SkinnyMessageID.enblocCall

        /// The number dialled, up to 24 bytes (25 from v18).
        public var calledParty: String
        /// `nil` when the body ends after the number.
        public var lineInstance: UInt32?

        public init(calledParty: String, lineInstance: UInt32? = nil) {
            self.calledParty = calledParty
            self.lineInstance = lineInstance
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let size = version.directoryNumberSize
            self.calledParty = body.string(at: 0, size: size)
            if version.usesLongDirectoryNumbers {
                // A line instance, packed (25..<29) or aligned (28..<32), makes the body longer than 28 bytes; a
                // number alone is 25 bytes, or 28 with padding.
                guard body.count > 28 else {
                    self.lineInstance = nil
                    return
                }
                self.lineInstance = body.u32(at: Self.isAligned(body) ? Self.alignedOffset : Self.packedOffset)
            } else {
                self.lineInstance = body.count > size ? body.u32(at: size) : nil
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyString(self.calledParty, size: version.directoryNumberSize)
            if let lineInstance = self.lineInstance {
                if version.usesLongDirectoryNumbers && Self.looksAlignedWhenPacked(lineInstance) {
                    buffer.writeRepeatingByte(0, count: Self.alignedOffset - Self.packedOffset)
                }
                buffer.writeSkinnyU32(lineInstance)
            }
            if version.usesLongDirectoryNumbers {
                buffer.padSkinnyBody(from: start)
            }
        }

        /// Where the line instance starts in the packed form (v18 and above): right after the 25-byte number.
        static let packedOffset = 25
        /// Where it starts in the aligned form: after the number and three bytes of padding.
        static let alignedOffset = 28

        /// Whether a v18+ body longer than 28 bytes carries its line instance aligned at 28: the three padding bytes
        /// at 25–27 are zero and the `u32` at 28 is not. A packed line instance whose low three bytes are not all
        /// zero puts a non-zero byte in 25–27; a packed 0 reads the same either way.
        static func isAligned(_ body: SkinnyBodyReader) -> Bool {
            let padding = Self.packedOffset..<Self.alignedOffset
            return padding.allSatisfy { body.u8(at: $0) == 0 } && body.u32(at: Self.alignedOffset) != 0
        }

        /// Whether `lineInstance`, written packed at 25, would pass `isAligned` and decode as its top byte: its low
        /// three bytes are zero and it is not zero.
        static func looksAlignedWhenPacked(_ lineInstance: UInt32) -> Bool {
            lineInstance & 0x00FF_FFFF == 0 && lineInstance != 0
        }
    }
}
