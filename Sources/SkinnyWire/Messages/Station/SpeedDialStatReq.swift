public import NIOCore

extension SkinnyMessage {
    /// SpeedDialStatReq (0x000A), phone to call manager: asks for a speed dial's number and label; answered
    /// with SpeedDialStatRes (reference §5.1). 4 bytes.
    public struct SpeedDialStatReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.speedDialStatReq

        /// The speed-dial instance asked about (1-based, its own sequence; reference §6.4).
        public var speedDialNumber: UInt32

        public init(speedDialNumber: UInt32) {
            self.speedDialNumber = speedDialNumber
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.speedDialNumber = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.speedDialNumber)
        }
    }
}
