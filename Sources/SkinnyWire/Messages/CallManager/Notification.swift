public import NIOCore

extension SkinnyMessage {
    /// Notification (0x0153), call manager to phone: a change in something the phone subscribed to, such as the
    /// BLF state of a watched line (reference §5.2, §6.8).
    ///
    /// `u32 transactionId`, `u32 featureId`, `u32 status`, then the text: `char[97]` in Wireshark, `char[100]` in
    /// chan-sccp (reference §7 #19). Strowger sends at most 97 bytes of text and pads the body to 112 bytes, which
    /// both read the same, and reads at most 97 bytes back: the 3 bytes after them are padding in Wireshark's
    /// layout, and reading them would decode text that encoding cannot send.
    public struct Notification: SkinnyMessageBody {
        public static let id = SkinnyMessageID.notification

        /// Longest text sent and read: Wireshark's `char[97]`, the size on which both sources agree.
        static let textSize = 97

        /// The subscription's transaction id.
        public var transactionID: UInt32
        /// 1 BLF.
        public var featureID: UInt32
        /// For BLF: 0 unknown, 1 idle, 2 in use, 3 DND, 4 alerting (reference §6.8).
        public var status: UInt32
        public var text: String

        public init(transactionID: UInt32, featureID: UInt32 = 1, status: UInt32, text: String = "") {
            self.transactionID = transactionID
            self.featureID = featureID
            self.status = status
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.transactionID = body.u32(at: 0)
            self.featureID = body.u32(at: 4)
            self.status = body.u32(at: 8)
            self.text = body.string(at: 12, size: Self.textSize)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.transactionID)
            buffer.writeSkinnyU32(self.featureID)
            buffer.writeSkinnyU32(self.status)
            buffer.writeSkinnyString(self.text, size: Self.textSize)
            buffer.padSkinnyBody(from: start)
        }
    }
}
