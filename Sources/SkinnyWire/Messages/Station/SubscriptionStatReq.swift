public import NIOCore

extension SkinnyMessage {
    /// SubscriptionStatReq (0x0048), phone to call manager: asks to watch a number's state for call-list and
    /// directory BLF (7921 and 79x2-class firmware); answered with SubscriptionStatRes and Notification (reference
    /// §5.1, §7 #4).
    ///
    /// `u32 transactionId`, `u32 featureId` (1 = BLF), `u32 timer`, then the subscription id as text at 12.
    /// Wireshark gives the id 64 bytes and chan-sccp 256, and a 7921 sent about 260 bytes, so the id is read up to
    /// the end of the body or its first NUL, at most 256 bytes; it is written as a 256-byte field.
    public struct SubscriptionStatReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.subscriptionStatReq

        /// The longest subscription id kept (chan-sccp's `char[256]`).
        public static let maximumSubscriptionIDLength = 256

        public var transactionID: UInt32
        /// 1 = BLF (SubscriptionFeatureID).
        public var featureID: UInt32
        public var timer: UInt32
        /// What to watch, usually a directory number or URI.
        public var subscriptionID: String

        public init(transactionID: UInt32, featureID: UInt32 = 1, timer: UInt32 = 0, subscriptionID: String) {
            self.transactionID = transactionID
            self.featureID = featureID
            self.timer = timer
            self.subscriptionID = subscriptionID
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.transactionID = body.u32(at: 0)
            self.featureID = body.u32(at: 4)
            self.timer = body.u32(at: 8)
            self.subscriptionID = body.string(at: 12, size: Self.maximumSubscriptionIDLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.transactionID)
            buffer.writeSkinnyU32(self.featureID)
            buffer.writeSkinnyU32(self.timer)
            buffer.writeSkinnyString(self.subscriptionID, size: Self.maximumSubscriptionIDLength)
        }
    }
}
