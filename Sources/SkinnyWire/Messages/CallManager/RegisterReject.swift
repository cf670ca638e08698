public import NIOCore

extension SkinnyMessage {
    /// RegisterReject (0x009D), call manager to phone: registration refused, with a reason the phone may show
    /// (reference §5.2, §6.14: free text only, no code). 32 bytes. The call manager then closes the connection.
    public struct RegisterReject: SkinnyMessageBody {
        public static let id = SkinnyMessageID.registerReject

        /// Why, e.g. "Unknown device"; at most 32 bytes on the wire.
        public var text: String

        public init(text: String) {
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.text = body.string(at: 0, size: 32)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.text, size: 32)
        }
    }
}
