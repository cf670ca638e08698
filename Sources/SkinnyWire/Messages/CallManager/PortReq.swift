public import NIOCore

extension SkinnyMessage {
    /// PortReq (0x014B), call manager to phone: asks the phone which local port it will use for a media stream;
    /// the phone answers with PortRes (reference §4, §5.2). 24 bytes.
    public struct PortReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.portReq

        public var conferenceID: UInt32
        public var callReference: UInt32
        public var passThroughPartyID: UInt32
        /// 1 RTP, 2 UDP, 3 TCP.
        public var mediaTransportType: UInt32
        /// 0 IPv4, 1 IPv6, 2 both.
        public var ipAddressType: UInt32
        /// 1 audio, 2 main video, 3 FECC, 4 presentation video, 5 BFCP, 6 IX channel, 7 T.38.
        public var mediaType: UInt32

        public init(
            conferenceID: UInt32,
            callReference: UInt32,
            passThroughPartyID: UInt32,
            mediaTransportType: UInt32 = 1,
            ipAddressType: UInt32 = 0,
            mediaType: UInt32 = 1
        ) {
            self.conferenceID = conferenceID
            self.callReference = callReference
            self.passThroughPartyID = passThroughPartyID
            self.mediaTransportType = mediaTransportType
            self.ipAddressType = ipAddressType
            self.mediaType = mediaType
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
            self.passThroughPartyID = body.u32(at: 8)
            self.mediaTransportType = body.u32(at: 12)
            self.ipAddressType = body.u32(at: 16)
            self.mediaType = body.u32(at: 20)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.mediaTransportType)
            buffer.writeSkinnyU32(self.ipAddressType)
            buffer.writeSkinnyU32(self.mediaType)
        }
    }
}
