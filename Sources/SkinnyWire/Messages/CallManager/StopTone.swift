public import NIOCore

extension SkinnyMessage {
    /// StopTone (0x0083), call manager to phone: stop the tone playing on a call (reference §5.2).
    ///
    /// 8 bytes below v11 (CUCM 4.1 sent 8); from v11 a third word names the tone to stop (12 bytes).
    public struct StopTone: SkinnyMessageBody {
        public static let id = SkinnyMessageID.stopTone

        public var lineInstance: UInt32
        public var callReference: UInt32
        /// The tone to stop; carried from v11 only, and decoded as `.silence` below.
        public var tone: SkinnyTone

        public init(lineInstance: UInt32, callReference: UInt32, tone: SkinnyTone = .silence) {
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.tone = tone
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.lineInstance = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
            self.tone = version.hasExtendedMediaFields ? SkinnyTone(rawValue: body.u32(at: 8)) : .silence
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            if version.hasExtendedMediaFields {
                buffer.writeSkinnyU32(self.tone.rawValue)
            }
        }
    }
}
