public import NIOCore

extension SkinnyMessage {
    /// Reset (0x009F), call manager to phone: reboot, re-register or apply configuration (reference §6.14,
    /// call-flows §1). 4 bytes. The phone drops the session and comes back with a new Register.
    public struct Reset: SkinnyMessageBody {
        public static let id = SkinnyMessageID.reset

        public var resetType: SkinnyResetType

        public init(_ resetType: SkinnyResetType) {
            self.resetType = resetType
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.resetType = SkinnyResetType(rawValue: body.u32(at: 0))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.resetType.rawValue)
        }
    }
}
