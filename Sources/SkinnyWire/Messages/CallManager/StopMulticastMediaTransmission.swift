public import NIOCore

extension SkinnyMessage {
    /// StopMulticastMediaTransmission (0x0104), call manager to phone: stop sending the multicast stream that
    /// StartMulticastMediaTransmission started (reference §4; message-layouts). 12 bytes.
    public struct StopMulticastMediaTransmission: SkinnyMessageBody {
        public static let id = SkinnyMessageID.stopMulticastMediaTransmission

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        public var callReference: UInt32

        public init(conferenceID: UInt32, passThroughPartyID: UInt32, callReference: UInt32) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
