public import NIOCore

extension SkinnyMessage {
    /// StopMediaReception (0x008D), call manager to phone: CallManager 2.x's way to stop a receive stream, before
    /// OpenReceiveChannel and CloseReceiveChannel existed (reference §4, ids seen only outside Wireshark).
    ///
    /// Layout from chan-sccp: `u32 conferenceId`, `u32 passThruPartyId`, 8 bytes. Wireshark does not know the id.
    public struct StopMediaReception: SkinnyMessageBody {
        public static let id = SkinnyMessageID.stopMediaReception

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32

        public init(conferenceID: UInt32, passThroughPartyID: UInt32) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
        }
    }
}
