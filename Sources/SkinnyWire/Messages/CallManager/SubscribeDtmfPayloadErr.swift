public import NIOCore

extension SkinnyMessage {
    /// SubscribeDtmfPayloadErr (0x012B), call manager to phone: a DTMF subscription failed (reference §4, §5.2). 12
    /// bytes: `u32 payloadDtmf`, `u32 conferenceId`, `u32 passThroughPartyId`.
    ///
    /// Wireshark files it as call manager to phone although it answers a call-manager request (reference §4);
    /// Strowger follows Wireshark until a capture shows otherwise.
    public struct SubscribeDtmfPayloadErr: SkinnyMessageBody {
        public static let id = SkinnyMessageID.subscribeDtmfPayloadErr

        /// The RTP payload type of the DTMF events.
        public var payloadDTMF: UInt32
        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32

        public init(payloadDTMF: UInt32, conferenceID: UInt32, passThroughPartyID: UInt32) {
            self.payloadDTMF = payloadDTMF
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.payloadDTMF = body.u32(at: 0)
            self.conferenceID = body.u32(at: 4)
            self.passThroughPartyID = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.payloadDTMF)
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
        }
    }
}
