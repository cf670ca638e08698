public import NIOCore

extension SkinnyMessage {
    /// PortRes (0x0045; chan-sccp: PortResponse), phone to call manager: the RTP and RTCP ports the phone opened in
    /// answer to PortReq (reference §5.1, §2.3; message-layouts 0x0045).
    ///
    /// `u32 conferenceId`, `u32 callReference`, `u32 passThroughPartyId`, then the address at 12: 4 bytes below v17
    /// (port at 16, RTCP port at 20; 24-byte body), a 20-byte block from v17 (port at 32, RTCP port at 36; 40
    /// bytes). From v19 a `u32 mediaType` follows at 40 (44 bytes).
    public struct PortRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.portRes

        public var conferenceID: UInt32
        public var callReference: UInt32
        public var passThroughPartyID: UInt32
        public var ipAddress: SkinnyIPAddress
        public var port: UInt32
        public var rtcpPort: UInt32
        /// 1 audio, 2 main video, 3 FECC, 4 presentation video, 5 BFCP, 6 iX channel, 7 T.38 (MediaType). Carried
        /// from v19; 0 below.
        public var mediaType: UInt32

        public init(
            conferenceID: UInt32,
            callReference: UInt32,
            passThroughPartyID: UInt32,
            ipAddress: SkinnyIPAddress,
            port: UInt32,
            rtcpPort: UInt32,
            mediaType: UInt32 = 0
        ) {
            self.conferenceID = conferenceID
            self.callReference = callReference
            self.passThroughPartyID = passThroughPartyID
            self.ipAddress = ipAddress
            self.port = port
            self.rtcpPort = rtcpPort
            self.mediaType = mediaType
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let next = version.usesAddressBlocks ? 32 : 16
            self.conferenceID = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
            self.passThroughPartyID = body.u32(at: 8)
            self.ipAddress = body.address(at: 12, version: version)
            self.port = body.u32(at: next)
            self.rtcpPort = body.u32(at: next + 4)
            self.mediaType = version >= .v19 ? body.u32(at: next + 8) : 0
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyAddress(self.ipAddress, version: version)
            buffer.writeSkinnyU32(self.port)
            buffer.writeSkinnyU32(self.rtcpPort)
            if version >= .v19 {
                buffer.writeSkinnyU32(self.mediaType)
            }
        }
    }
}
