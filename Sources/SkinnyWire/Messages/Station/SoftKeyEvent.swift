public import NIOCore

extension SkinnyMessage {
    /// SoftKeyEvent (0x0026), phone to call manager: a softkey pressed (reference §5.1, §6.6). 12 bytes.
    ///
    /// The event is whatever the call manager put in SoftKeyTemplateRes; the phone only echoes it. Line and call
    /// are 0 when the key was pressed on the idle screen.
    public struct SoftKeyEvent: SkinnyMessageBody {
        public static let id = SkinnyMessageID.softKeyEvent

        public var event: SkinnySoftKeyEvent
        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(_ event: SkinnySoftKeyEvent, lineInstance: UInt32 = 0, callReference: UInt32 = 0) {
            self.event = event
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.event = SkinnySoftKeyEvent(rawValue: body.u32(at: 0))
            self.lineInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.event.rawValue)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
