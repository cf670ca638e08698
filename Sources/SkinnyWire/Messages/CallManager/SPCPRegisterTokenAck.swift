public import NIOCore

extension SkinnyMessage {
    /// SPCPRegisterTokenAck (0x8100), call manager to phone: the Cisco SPA5xx ("SPCP") phone may register
    /// (reference §4). 4 bytes.
    public struct SPCPRegisterTokenAck: SkinnyMessageBody {
        public static let id = SkinnyMessageID.spcpRegisterTokenAck

        /// Feature bits granted to the phone; their meaning is undocumented.
        public var features: UInt32

        public init(features: UInt32 = 0) {
            self.features = features
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.features = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.features)
        }
    }
}
