public import NIOCore

extension SkinnyMessage {
    /// EnhancedAlarm (0x015A; chan-sccp: XMLAlarm), phone to call manager: an alarm as XML text. Wireshark labels
    /// it call manager to phone (reference §5.1, §7 #10). `char[2048]`.
    public struct EnhancedAlarm: SkinnyMessageBody {
        public static let id = SkinnyMessageID.enhancedAlarm

        /// Size of the text field.
        public static let size = 2048

        /// The alarm as XML; up to 2048 bytes.
        public var text: String

        public init(text: String) {
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.text = body.string(at: 0, size: Self.size)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.text, size: Self.size)
        }
    }
}
