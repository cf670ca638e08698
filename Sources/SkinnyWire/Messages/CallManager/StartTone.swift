public import NIOCore

extension SkinnyMessage {
    /// StartTone (0x0082), call manager to phone: play a tone such as dial tone, ring-back or busy
    /// (reference §5.2, tones §6.2). 16 bytes at every version.
    public struct StartTone: SkinnyMessageBody {
        public static let id = SkinnyMessageID.startTone

        public var tone: SkinnyTone
        /// To the user, into the call, or both. CUCM 4.1 sent 0 (user) for dial tone.
        public var direction: SkinnyToneDirection
        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(
            _ tone: SkinnyTone,
            direction: SkinnyToneDirection = .user,
            lineInstance: UInt32,
            callReference: UInt32
        ) {
            self.tone = tone
            self.direction = direction
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.tone = SkinnyTone(rawValue: body.u32(at: 0))
            self.direction = SkinnyToneDirection(rawValue: body.u32(at: 4))
            self.lineInstance = body.u32(at: 8)
            self.callReference = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.tone.rawValue)
            buffer.writeSkinnyU32(self.direction.rawValue)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
