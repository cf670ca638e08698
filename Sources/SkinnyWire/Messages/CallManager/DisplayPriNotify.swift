public import NIOCore

extension SkinnyMessage {
    /// DisplayPriNotify (0x0120), call manager to phone: a notice with a priority; a higher-priority notice hides
    /// a lower one until ClearPriNotify (reference §5.2). 40 bytes: `u32 timeout`, `u32 priority`, `char[32] text`.
    /// CUCM 4.1 announced a ringing call with timeout 10, priority 5 and the text `80 17 "1003"` ("From 1003").
    /// From v8 chan-sccp sends DisplayPriNotifyV2 instead (reference §8 note 2).
    public struct DisplayPriNotify: SkinnyMessageBody {
        public static let id = SkinnyMessageID.displayPriNotify
        /// Size of the text field; longer text is cut.
        public static let textSize = 32

        /// Seconds to show the notice; 0 keeps it.
        public var timeout: UInt32
        public var priority: UInt32
        /// The text; may embed localised labels (`SkinnyText.label`).
        public var text: String

        public init(_ text: String, timeout: UInt32 = 0, priority: UInt32) {
            self.timeout = timeout
            self.priority = priority
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.timeout = body.u32(at: 0)
            self.priority = body.u32(at: 4)
            self.text = body.string(at: 8, size: Self.textSize)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.timeout)
            buffer.writeSkinnyU32(self.priority)
            buffer.writeSkinnyString(self.text, size: Self.textSize)
        }
    }
}
