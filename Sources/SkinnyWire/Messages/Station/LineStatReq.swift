public import NIOCore

extension SkinnyMessage {
    /// LineStatReq (0x000B), phone to call manager: asks for a line's number and labels; answered with
    /// LineStatRes or LineStatV2Res (reference §5.1). 4 bytes.
    public struct LineStatReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.lineStatReq

        /// The line instance asked about (1-based).
        public var lineNumber: UInt32

        public init(lineNumber: UInt32) {
            self.lineNumber = lineNumber
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.lineNumber = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.lineNumber)
        }
    }
}
