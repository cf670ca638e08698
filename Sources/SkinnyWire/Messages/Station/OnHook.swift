public import NIOCore

extension SkinnyMessage {
    /// OnHook (0x0007), phone to call manager: the handset was put down (reference §5.1).
    ///
    /// The body may be empty (the CallManager 2.x-era Virtual Phone) or carry `lineInstance` and `callReference`.
    /// Phones below v15 may put a button index in the first field, and v15+ phones often send neither on OnHook
    /// (chan-sccp), so a call manager should fall back to the device's active call.
    public struct OnHook: SkinnyMessageBody {
        public static let id = SkinnyMessageID.onHook

        /// `nil` when the body is empty.
        public var lineInstance: UInt32?
        /// `nil` when the body is empty.
        public var callReference: UInt32?

        public init(lineInstance: UInt32? = nil, callReference: UInt32? = nil) {
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let hasFields = body.count > 0
            self.lineInstance = hasFields ? body.u32(at: 0) : nil
            self.callReference = hasFields ? body.u32(at: 4) : nil
        }

        /// Writes 8 bytes when either field is set, else an empty body.
        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            if self.lineInstance != nil || self.callReference != nil {
                buffer.writeSkinnyU32(self.lineInstance ?? 0)
                buffer.writeSkinnyU32(self.callReference ?? 0)
            }
        }
    }
}
