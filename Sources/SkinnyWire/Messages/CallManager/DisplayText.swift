public import NIOCore

extension SkinnyMessage {
    /// DisplayText (0x0099), call manager to phone: legacy free text for the display (reference §5.2). 32 bytes:
    /// one `char[32]`.
    public struct DisplayText: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayText
        /// Size of the text field; longer text is cut.
        public static let textSize = 32

        public var text: String

        public init(_ text: String) {
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.text = body.string(at: 0, size: Self.textSize)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.text, size: Self.textSize)
        }
    }
}
