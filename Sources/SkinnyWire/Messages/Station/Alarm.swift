public import NIOCore

extension SkinnyMessage {
    /// Alarm (0x0020), phone to call manager: a diagnostic from the phone, e.g. "Name=SEP… Load=… Last=…" after a
    /// restart (reference §5.1). 92 bytes; informational, never answered.
    public struct Alarm: SkinnyMessageBody {
        public static let id = SkinnyMessageID.alarm

        public var severity: SkinnyAlarmSeverity
        /// Up to 80 bytes.
        public var text: String
        public var parameter1: UInt32
        public var parameter2: UInt32

        public init(severity: SkinnyAlarmSeverity, text: String, parameter1: UInt32 = 0, parameter2: UInt32 = 0) {
            self.severity = severity
            self.text = text
            self.parameter1 = parameter1
            self.parameter2 = parameter2
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.severity = SkinnyAlarmSeverity(rawValue: body.u32(at: 0))
            self.text = body.string(at: 4, size: 80)
            self.parameter1 = body.u32(at: 84)
            self.parameter2 = body.u32(at: 88)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.severity.rawValue)
            buffer.writeSkinnyString(self.text, size: 80)
            buffer.writeSkinnyU32(self.parameter1)
            buffer.writeSkinnyU32(self.parameter2)
        }
    }
}
