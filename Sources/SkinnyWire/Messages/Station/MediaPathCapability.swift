public import NIOCore

extension SkinnyMessage {
    /// MediaPathCapability (0x004A), phone to call manager: what the phone can do with an audio path; IP
    /// Communicator sends it (reference §5.1). 8 bytes.
    public struct MediaPathCapability: SkinnyMessageBody {
        public static let id = SkinnyMessageID.mediaPathCapability

        public var mediaPath: SkinnyMediaPath
        /// 1 enable, 2 disable, 3 monitor.
        public var capability: UInt32

        public init(mediaPath: SkinnyMediaPath, capability: UInt32) {
            self.mediaPath = mediaPath
            self.capability = capability
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.mediaPath = SkinnyMediaPath(rawValue: body.u32(at: 0))
            self.capability = body.u32(at: 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.mediaPath.rawValue)
            buffer.writeSkinnyU32(self.capability)
        }
    }
}
