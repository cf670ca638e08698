public import NIOCore

extension SkinnyMessage {
    /// DialedNumber (0x011D), call manager to phone: the digits collected so far, for the display
    /// (reference §5.2).
    ///
    /// Below v18: `char[24] number`, `u32 lineInstance` at 24, `u32 callReference` at 28 (32 bytes). From v18 the
    /// number is `char[25]` and the integers follow it unaligned, at 25 and 29 (33 bytes); like chan-sccp, the
    /// body is then padded to 36 bytes (reference §1: bodies are padded to 4).
    public struct DialedNumber: SkinnyMessageBody {
        public static let id = SkinnyMessageID.dialedNumber

        public var number: String
        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(_ number: String, lineInstance: UInt32, callReference: UInt32) {
            self.number = number
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let size = version.directoryNumberSize
            self.number = body.string(at: 0, size: size)
            self.lineInstance = body.u32(at: size)
            self.callReference = body.u32(at: size + 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyString(self.number, size: version.directoryNumberSize)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.padSkinnyBody(from: start)
        }
    }
}
