public import NIOCore

extension SkinnyMessage {
    /// DisplayNotify (0x0114), call manager to phone: a short notice on the status line (reference §5.2). 36 bytes:
    /// `u32 timeout`, `char[32] text`. From v8 chan-sccp sends DisplayNotifyV2 instead (reference §8 note 2).
    public struct DisplayNotify: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayNotify
        /// Size of the text field; longer text is cut.
        public static let textSize = 32

        /// Seconds to show the notice; 0 keeps it.
        public var timeout: UInt32
        /// The text; may embed localised labels (`SkinnyText.label`).
        public var text: String

        public init(_ text: String, timeout: UInt32 = 0) {
            self.timeout = timeout
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.timeout = body.u32(at: 0)
            self.text = body.string(at: 4, size: Self.textSize)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.timeout)
            buffer.writeSkinnyString(self.text, size: Self.textSize)
        }
    }
}
