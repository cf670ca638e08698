public import NIOCore

extension SkinnyMessage {
    /// SubscribeDtmfPayloadReq (0x0129), call manager to phone: asks the phone to report the DTMF digits it receives in
    /// a media stream (reference §4, §5.2). 16 bytes: `u32 payloadDtmf`, `u32 conferenceId`, `u32 passThroughPartyId`,
    /// `u32 dtmfType`.
    public struct SubscribeDtmfPayloadReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.subscribeDtmfPayloadReq

        /// The RTP payload type of the DTMF events (e.g. 101 for RFC 2833).
        public var payloadDTMF: UInt32
        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        /// How DTMF travels (chan-sccp sends 10 in OpenReceiveChannel).
        public var dtmfType: UInt32

        public init(payloadDTMF: UInt32, conferenceID: UInt32, passThroughPartyID: UInt32, dtmfType: UInt32) {
            self.payloadDTMF = payloadDTMF
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.dtmfType = dtmfType
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.payloadDTMF = body.u32(at: 0)
            self.conferenceID = body.u32(at: 4)
            self.passThroughPartyID = body.u32(at: 8)
            self.dtmfType = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.payloadDTMF)
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.dtmfType)
        }
    }
}
