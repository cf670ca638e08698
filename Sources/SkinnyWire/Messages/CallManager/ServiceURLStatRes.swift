public import NIOCore

extension SkinnyMessage {
    /// ServiceURLStatRes (0x012F), call manager to phone: one service-URL button's address and label, answering
    /// ServiceURLStatReq (reference §5.2). 300 bytes.
    public struct ServiceURLStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.serviceURLStatRes

        /// The service-URL instance the phone asked for.
        public var serviceURLIndex: UInt32
        /// At most 256 bytes on the wire.
        public var url: String
        /// At most 40 bytes on the wire.
        public var displayName: String

        public init(serviceURLIndex: UInt32, url: String, displayName: String) {
            self.serviceURLIndex = serviceURLIndex
            self.url = url
            self.displayName = displayName
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.serviceURLIndex = body.u32(at: 0)
            self.url = body.string(at: 4, size: 256)
            self.displayName = body.string(at: 260, size: 40)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.serviceURLIndex)
            buffer.writeSkinnyString(self.url, size: 256)
            buffer.writeSkinnyString(self.displayName, size: 40)
        }
    }
}
