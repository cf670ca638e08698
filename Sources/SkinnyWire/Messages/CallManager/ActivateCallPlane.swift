public import NIOCore

extension SkinnyMessage {
    /// ActivateCallPlane (0x0116), call manager to phone: show the call plane of a line (reference §5.2). 4 bytes.
    /// CUCM 4.1 sent it for line 1 on going off hook and on answering.
    public struct ActivateCallPlane: SkinnyMessageBody {
        public static let id = SkinnyMessageID.activateCallPlane

        public var lineInstance: UInt32

        public init(lineInstance: UInt32) {
            self.lineInstance = lineInstance
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.lineInstance = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.lineInstance)
        }
    }
}
