public import NIOCore

extension SkinnyMessage {
    /// StopMultiMediaTransmission (0x0133), call manager to phone: stop sending a video or data stream that
    /// StartMultiMediaTransmission started (message-layouts). 16 bytes, laid out like its audio counterpart.
    public struct StopMultiMediaTransmission: SkinnyMessageBody {
        public static let id = SkinnyMessageID.stopMultiMediaTransmission

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        public var callReference: UInt32
        public var portHandling: SkinnyPortHandling

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            callReference: UInt32,
            portHandling: SkinnyPortHandling = .closePort
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.callReference = callReference
            self.portHandling = portHandling
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.portHandling = SkinnyPortHandling(rawValue: body.u32(at: 12))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.portHandling.rawValue)
        }
    }
}
