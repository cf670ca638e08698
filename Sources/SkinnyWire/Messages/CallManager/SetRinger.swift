public import NIOCore

extension SkinnyMessage {
    /// SetRinger (0x0085), call manager to phone: start or stop the ringer (reference §5.2, ring modes §6.5).
    /// 16 bytes. CUCM 4.1 rang with mode 2 (inside), duration 1 and the call's line and reference, and stopped
    /// with mode 1 (off).
    public struct SetRinger: SkinnyMessageBody {
        public static let id = SkinnyMessageID.setRinger

        public var ringMode: SkinnyRingMode
        public var ringDuration: SkinnyRingDuration
        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(
            _ ringMode: SkinnyRingMode,
            duration: SkinnyRingDuration = .normal,
            lineInstance: UInt32 = 0,
            callReference: UInt32 = 0
        ) {
            self.ringMode = ringMode
            self.ringDuration = duration
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.ringMode = SkinnyRingMode(rawValue: body.u32(at: 0))
            self.ringDuration = SkinnyRingDuration(rawValue: body.u32(at: 4))
            self.lineInstance = body.u32(at: 8)
            self.callReference = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.ringMode.rawValue)
            buffer.writeSkinnyU32(self.ringDuration.rawValue)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
