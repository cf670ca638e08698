public import NIOCore

extension SkinnyMessage {
    /// EnblocCall (0x0004), phone to call manager: a whole number dialled at once, from redial, a directory or the
    /// Dial softkey (reference §5.1, §7 #14).
    ///
    /// - v17 and below: `char[24] calledParty`, then optionally `u32 lineInstance` at 24 (v16 and older phones send
    ///   none).
    /// - v18 and above: `char[25] calledParty`, then the line instance either packed at 25 (a 7970: 32-byte body,
    ///   3 pad bytes at the end) or aligned at 28 (an 8945). chan-sccp's rule reads both: the `u32` at 28, and if
    ///   that is 0 the unaligned `u32` at 25. This encoder writes the packed form, which Wireshark also expects.
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
                let aligned = body.u32(at: 28)
                self.lineInstance = aligned != 0 ? aligned : body.u32(at: 25)
            } else {
                self.lineInstance = body.count > size ? body.u32(at: size) : nil
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyString(self.calledParty, size: version.directoryNumberSize)
            if let lineInstance = self.lineInstance {
                buffer.writeSkinnyU32(lineInstance)
            }
            if version.usesLongDirectoryNumbers {
                buffer.padSkinnyBody(from: start)
            }
        }
    }
}
