public import NIOCore

extension SkinnyMessage {
    /// PortClose (0x014C), call manager to phone: release the port reserved by PortReq (reference §4, §5.2).
    /// 16 bytes.
    public struct PortClose: SkinnyMessageBody {
        public static let id = SkinnyMessageID.portClose

        public var conferenceID: UInt32
        public var callReference: UInt32
        public var passThroughPartyID: UInt32
        /// As in PortReq: 1 audio, 2 main video…
        public var mediaType: UInt32

        public init(conferenceID: UInt32, callReference: UInt32, passThroughPartyID: UInt32, mediaType: UInt32 = 1) {
            self.conferenceID = conferenceID
            self.callReference = callReference
            self.passThroughPartyID = passThroughPartyID
            self.mediaType = mediaType
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
            self.passThroughPartyID = body.u32(at: 8)
            self.mediaType = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.mediaType)
        }
    }
}
