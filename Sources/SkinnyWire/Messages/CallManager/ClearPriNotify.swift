public import NIOCore

extension SkinnyMessage {
    /// ClearPriNotify (0x0121), call manager to phone: remove the priority notification of one priority
    /// (reference §5.2). 4 bytes.
    public struct ClearPriNotify: SkinnyMessageBody {
        public static let id = SkinnyMessageID.clearPriNotify

        public var priority: UInt32

        public init(priority: UInt32) {
            self.priority = priority
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.priority = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.priority)
        }
    }
}
