public import NIOCore

extension SkinnyMessage {
    /// HeadsetStatus (0x002B), phone to call manager: the headset key was toggled (reference §5.1). 4 bytes.
    public struct HeadsetStatus: SkinnyMessageBody {
        public static let id = SkinnyMessageID.headsetStatus

        /// 1 on, 2 off (HeadsetMode; reference §6.5).
        public var mode: UInt32

        public init(mode: UInt32) {
            self.mode = mode
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.mode = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.mode)
        }
    }
}
