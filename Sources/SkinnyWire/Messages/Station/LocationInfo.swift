public import NIOCore

extension SkinnyMessage {
    /// LocationInfo (0x0157), phone to call manager: the phone's location as text, sent by 7925 and 7926 phones
    /// (firmware 1.4.7.3). Wireshark labels it call manager to phone (reference §4, §7 #10). `char[2401]`.
    public struct LocationInfo: SkinnyMessageBody {
        public static let id = SkinnyMessageID.locationInfo

        /// Size of the text field.
        public static let size = 2401

        /// The location, usually XML; up to 2401 bytes.
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
