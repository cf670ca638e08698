public import NIOCore

extension SkinnyMessage {
    /// SendDtmfTone (0x0128), call manager to phone: have the phone send a DTMF digit on a media stream (reference §4;
    /// message-layouts). 12 bytes: the tone (DTMF tones are 0x01–0x0F, 0x10–0x13 in reference §6.2), then the stream's
    /// conference and pass-through ids.
    public struct SendDtmfTone: SkinnyMessageBody {
        public static let id = SkinnyMessageID.sendDtmfTone

        public var tone: SkinnyTone
        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32

        public init(_ tone: SkinnyTone, conferenceID: UInt32, passThroughPartyID: UInt32) {
            self.tone = tone
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.tone = SkinnyTone(rawValue: body.u32(at: 0))
            self.conferenceID = body.u32(at: 4)
            self.passThroughPartyID = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.tone.rawValue)
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
        }
    }
}
