public import NIOCore

extension SkinnyMessage {
    /// RegisterTokenReject (0x011B), call manager to phone: not now, ask again later; the answer to
    /// RegisterTokenReq when the phone may not register yet (reference §6.14). 4 bytes.
    public struct RegisterTokenReject: SkinnyMessageBody {
        public static let id = SkinnyMessageID.registerTokenReject

        /// Seconds the phone waits before its next RegisterTokenReq.
        public var waitTimeBeforeNextRequest: UInt32

        public init(waitTimeBeforeNextRequest: UInt32) {
            self.waitTimeBeforeNextRequest = waitTimeBeforeNextRequest
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.waitTimeBeforeNextRequest = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.waitTimeBeforeNextRequest)
        }
    }
}
