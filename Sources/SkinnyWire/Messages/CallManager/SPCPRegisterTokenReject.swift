public import NIOCore

extension SkinnyMessage {
    /// SPCPRegisterTokenReject (0x8101), call manager to phone: the SPCP phone may not register yet (reference §4).
    /// 4 bytes.
    public struct SPCPRegisterTokenReject: SkinnyMessageBody {
        public static let id = SkinnyMessageID.spcpRegisterTokenReject

        /// Seconds the phone waits before its next SPCPRegisterTokenReq.
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
