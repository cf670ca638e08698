public import NIOCore

extension SkinnyMessage {
    /// RecordingStatus (0x0160), call manager to phone: whether a call is being recorded (reference §4, §5.2).
    /// 8 bytes.
    public struct RecordingStatus: SkinnyMessageBody {
        public static let id = SkinnyMessageID.recordingStatus

        public var callReference: UInt32
        /// 0 off, 1 on.
        public var status: UInt32

        public init(callReference: UInt32, status: UInt32) {
            self.callReference = callReference
            self.status = status
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.callReference = body.u32(at: 0)
            self.status = body.u32(at: 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.status)
        }
    }
}
