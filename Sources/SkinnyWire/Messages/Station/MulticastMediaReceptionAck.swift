public import NIOCore

extension SkinnyMessage {
    /// MulticastMediaReceptionAck (0x0021), phone to call manager: the answer to StartMulticastMediaReception
    /// (reference §4; message-layouts 0x0021). 12 bytes.
    public struct MulticastMediaReceptionAck: SkinnyMessageBody {
        public static let id = SkinnyMessageID.multicastMediaReceptionAck

        /// 0 OK, 1 error.
        public var status: SkinnyMediaStatus
        public var passThroughPartyID: UInt32
        public var callReference: UInt32

        public init(status: SkinnyMediaStatus, passThroughPartyID: UInt32, callReference: UInt32) {
            self.status = status
            self.passThroughPartyID = passThroughPartyID
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.status = SkinnyMediaStatus(rawValue: body.u32(at: 0))
            self.passThroughPartyID = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.status.rawValue)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
