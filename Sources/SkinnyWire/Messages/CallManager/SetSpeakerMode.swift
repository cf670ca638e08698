public import NIOCore

extension SkinnyMessage {
    /// SetSpeakerMode (0x0088), call manager to phone: switch the speakerphone on or off (reference §5.2). 4 bytes.
    public struct SetSpeakerMode: SkinnyMessageBody {
        public static let id = SkinnyMessageID.setSpeakerMode

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
