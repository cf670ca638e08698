public import NIOCore

extension SkinnyMessage {
    /// HookFlash (0x0008), phone to call manager: the hook switch was flashed (reference §5.1). 8 bytes.
    public struct HookFlash: SkinnyMessageBody {
        public static let id = SkinnyMessageID.hookFlash

        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(lineInstance: UInt32, callReference: UInt32) {
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.lineInstance = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
