public import NIOCore

extension SkinnyMessage {
    /// SubscriptionStatRes (0x0152), call manager to phone: the outcome of a phone's SubscriptionStatReq, e.g. a BLF
    /// subscription (reference §5.2, §6.14). 16 bytes.
    public struct SubscriptionStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.subscriptionStatRes

        /// Echoes the request's transaction id.
        public var transactionID: UInt32
        /// 1 BLF.
        public var featureID: UInt32
        /// Seconds the subscription lasts.
        public var timer: UInt32
        /// 0 OK, 1 route fail, 2 auth fail, 3 timeout, 4 trunk term, 5 trunk forbidden, 6 throttle.
        public var cause: UInt32

        public init(transactionID: UInt32, featureID: UInt32 = 1, timer: UInt32, cause: UInt32 = 0) {
            self.transactionID = transactionID
            self.featureID = featureID
            self.timer = timer
            self.cause = cause
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.transactionID = body.u32(at: 0)
            self.featureID = body.u32(at: 4)
            self.timer = body.u32(at: 8)
            self.cause = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.transactionID)
            buffer.writeSkinnyU32(self.featureID)
            buffer.writeSkinnyU32(self.timer)
            buffer.writeSkinnyU32(self.cause)
        }
    }
}
