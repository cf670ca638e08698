public import NIOCore

extension SkinnyMessage {
    /// MediaPathEvent (0x0049; chan-sccp: AccessoryStatus), phone to call manager: the headset, handset or speaker
    /// went on or off (reference §5.1). 8 bytes.
    public struct MediaPathEvent: SkinnyMessageBody {
        public static let id = SkinnyMessageID.mediaPathEvent

        public var mediaPath: SkinnyMediaPath
        /// 1 on (off hook), 2 off (on hook).
        public var event: UInt32

        public init(mediaPath: SkinnyMediaPath, event: UInt32) {
            self.mediaPath = mediaPath
            self.event = event
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.mediaPath = SkinnyMediaPath(rawValue: body.u32(at: 0))
            self.event = body.u32(at: 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.mediaPath.rawValue)
            buffer.writeSkinnyU32(self.event)
        }
    }
}
