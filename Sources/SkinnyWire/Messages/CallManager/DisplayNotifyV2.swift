public import NIOCore

extension SkinnyMessage {
    /// DisplayNotifyV2 (0x0143, chan-sccp "DisplayDynamicNotify"), call manager to phone: DisplayNotify with
    /// variable-length text (reference §5.2, dynamic messages §3). `u32 timeout`, then the text NUL-terminated
    /// (at most 97 bytes before the NUL), the body zero-padded to 4 bytes. Sent from v8.
    public struct DisplayNotifyV2: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayNotifyV2

        /// Seconds to show the notice; 0 keeps it.
        public var timeout: UInt32
        /// The text, at most 97 bytes on the wire; longer text is cut.
        public var text: String

        public init(_ text: String, timeout: UInt32 = 0) {
            self.timeout = timeout
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var body = body
            self.timeout = body.readU32()
            self.text = body.readCString(maximumLength: SkinnyLimits.dynamicPromptLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.timeout)
            buffer.writeSkinnyCString(self.text, maximumLength: SkinnyLimits.dynamicPromptLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
