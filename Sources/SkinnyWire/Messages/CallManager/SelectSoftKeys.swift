public import NIOCore

extension SkinnyMessage {
    /// SelectSoftKeys (0x0110), call manager to phone: which softkey set to show for a call, and which keys of it
    /// are enabled (reference §5.2, sets §6.7). 16 bytes. For the idle screen: line 0, call 0, set `.onHook`.
    public struct SelectSoftKeys: SkinnyMessageBody {
        public static let id = SkinnyMessageID.selectSoftKeys

        public var lineInstance: UInt32
        public var callReference: UInt32
        public var softKeySet: SkinnySoftKeySet
        /// Bit n enables the n-th key of the set. CUCM 4.1 sent 0xFFFFFFFF, and 0xFFFFFDFF (bytes `ff fd ff ff`,
        /// bit 9 clear) while connected.
        public var validKeyMask: UInt32

        public init(
            lineInstance: UInt32,
            callReference: UInt32,
            softKeySet: SkinnySoftKeySet,
            validKeyMask: UInt32 = 0xFFFF_FFFF
        ) {
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.softKeySet = softKeySet
            self.validKeyMask = validKeyMask
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.lineInstance = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
            self.softKeySet = SkinnySoftKeySet(rawValue: body.u32(at: 8))
            self.validKeyMask = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.softKeySet.rawValue)
            buffer.writeSkinnyU32(self.validKeyMask)
        }
    }
}
