public import NIOCore

extension SkinnyMessage {
    /// SetMicroMode (0x0089), call manager to phone: switch the microphone on or off (reference §5.2). 4 bytes.
    public struct SetMicroMode: SkinnyMessageBody {
        public static let id = SkinnyMessageID.setMicroMode

        public var mode: SkinnyOnOffMode

        public init(_ mode: SkinnyOnOffMode) {
            self.mode = mode
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.mode = SkinnyOnOffMode(rawValue: body.u32(at: 0))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.mode.rawValue)
        }
    }
}
