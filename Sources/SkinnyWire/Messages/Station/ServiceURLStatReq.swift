public import NIOCore

extension SkinnyMessage {
    /// ServiceURLStatReq (0x0033), phone to call manager: asks for a service URL button's URL and label;
    /// answered with ServiceURLStatRes (reference §5.1). 4 bytes.
    public struct ServiceURLStatReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.serviceURLStatReq

        /// The service-URL instance asked about (1-based).
        public var serviceURLIndex: UInt32

        public init(serviceURLIndex: UInt32) {
            self.serviceURLIndex = serviceURLIndex
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.serviceURLIndex = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.serviceURLIndex)
        }
    }
}
