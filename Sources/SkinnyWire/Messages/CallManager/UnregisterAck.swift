public import NIOCore

extension SkinnyMessage {
    /// UnregisterAck (0x0118), call manager to phone: the answer to Unregister (reference §6.14, call-flows §1).
    /// 4 bytes. Sent with header version 0, like RegisterAck (reference §2.1).
    public struct UnregisterAck: SkinnyMessageBody {
        public static let id = SkinnyMessageID.unregisterAck

        public var status: SkinnyUnregisterStatus

        public init(_ status: SkinnyUnregisterStatus = .ok) {
            self.status = status
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.status = SkinnyUnregisterStatus(rawValue: body.u32(at: 0))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.status.rawValue)
        }
    }
}
