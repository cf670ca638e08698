public import NIOCore

extension SkinnyMessage {
    /// Unregister (0x0027; Wireshark: UnregisterReq), phone to call manager: the phone is leaving; answered with
    /// UnregisterAck (reference §5.1).
    ///
    /// The body is empty or carries `u32 reason` (0 unknown, 1 power-save mode; reference §6.14).
    public struct Unregister: SkinnyMessageBody {
        public static let id = SkinnyMessageID.unregister

        /// `nil` when the body is empty.
        public var reason: UInt32?

        public init(reason: UInt32? = nil) {
            self.reason = reason
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.reason = body.count > 0 ? body.u32(at: 0) : nil
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            if let reason = self.reason {
                buffer.writeSkinnyU32(reason)
            }
        }
    }
}
