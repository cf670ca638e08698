public import NIOCore

extension SkinnyMessage {
    /// DisplayPromptStatus (0x0112), call manager to phone: the prompt line of a call, or of the idle screen with
    /// line and call 0 (reference §5.2). 44 bytes: `u32 timeout`, `char[32] text`, `u32 lineInstance`,
    /// `u32 callReference`. CUCM 4.1 prompted `80 20` ("Enter number") off hook and `80 13` ("Your current
    /// options") when idle. From v8 chan-sccp sends DisplayPromptStatusV2 instead (reference §8 note 2).
    public struct DisplayPromptStatus: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayPromptStatus
        /// Size of the text field; longer text is cut.
        public static let textSize = 32

        /// Seconds to show the prompt; 0 keeps it.
        public var timeout: UInt32
        /// The text; may embed localised labels (`SkinnyText.label`).
        public var text: String
        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(_ text: String, timeout: UInt32 = 0, lineInstance: UInt32, callReference: UInt32) {
            self.timeout = timeout
            self.text = text
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.timeout = body.u32(at: 0)
            self.text = body.string(at: 4, size: Self.textSize)
            self.lineInstance = body.u32(at: 36)
            self.callReference = body.u32(at: 40)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.timeout)
            buffer.writeSkinnyString(self.text, size: Self.textSize)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
