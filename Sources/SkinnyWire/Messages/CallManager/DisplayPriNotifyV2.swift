public import NIOCore

extension SkinnyMessage {
    /// DisplayPriNotifyV2 (0x0144, chan-sccp "DisplayDynamicPriNotify"), call manager to phone: DisplayPriNotify
    /// with variable-length text (reference §5.2, dynamic messages §3). `u32 timeout`, `u32 priority`, then the
    /// text NUL-terminated (at most 97 bytes before the NUL), the body zero-padded to 4 bytes. Sent from v8.
    public struct DisplayPriNotifyV2: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayPriNotifyV2

        /// Seconds to show the notice; 0 keeps it.
        public var timeout: UInt32
        public var priority: UInt32
        /// The text, at most 97 bytes on the wire; longer text is cut.
        public var text: String

        public init(_ text: String, timeout: UInt32 = 0, priority: UInt32) {
            self.timeout = timeout
            self.priority = priority
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var body = body
            self.timeout = body.readU32()
            self.priority = body.readU32()
            self.text = body.readCString(maximumLength: SkinnyLimits.dynamicPromptLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.timeout)
            buffer.writeSkinnyU32(self.priority)
            buffer.writeSkinnyCString(self.text, maximumLength: SkinnyLimits.dynamicPromptLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
