public import NIOCore

extension SkinnyMessage {
    /// ClearPromptStatus (0x0113), call manager to phone: remove the prompt that DisplayPromptStatus put on a call's
    /// line (reference §5.2). 8 bytes.
    public struct ClearPromptStatus: SkinnyMessageBody {
        public static let id = SkinnyMessageID.clearPromptStatus

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
