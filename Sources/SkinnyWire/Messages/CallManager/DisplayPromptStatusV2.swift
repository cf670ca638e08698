public import NIOCore

extension SkinnyMessage {
    /// DisplayPromptStatusV2 (0x0145, chan-sccp "DisplayDynamicPromptStatus"), call manager to phone:
    /// DisplayPromptStatus with variable-length text (reference §5.2, dynamic messages §3). `u32 timeout`,
    /// `u32 lineInstance`, `u32 callReference`, then the text NUL-terminated (at most 97 bytes before the NUL), the
    /// body zero-padded to 4 bytes. Note the order differs from the static message. Sent from v8.
    public struct DisplayPromptStatusV2: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayPromptStatusV2

        /// Seconds to show the prompt; 0 keeps it.
        public var timeout: UInt32
        public var lineInstance: UInt32
        public var callReference: UInt32
        /// The text, at most 97 bytes on the wire; longer text is cut.
        public var text: String

        public init(_ text: String, timeout: UInt32 = 0, lineInstance: UInt32, callReference: UInt32) {
            self.timeout = timeout
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var body = body
            self.timeout = body.readU32()
            self.lineInstance = body.readU32()
            self.callReference = body.readU32()
            self.text = body.readCString(maximumLength: SkinnyLimits.dynamicPromptLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.timeout)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyCString(self.text, maximumLength: SkinnyLimits.dynamicPromptLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
