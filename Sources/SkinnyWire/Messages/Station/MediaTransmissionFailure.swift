public import NIOCore

extension SkinnyMessage {
    /// MediaTransmissionFailure (0x002A), phone to call manager: the phone could not start the RTP stream that
    /// StartMediaTransmission asked for (reference §5.1).
    ///
    /// `u32 conferenceId`, `u32 passThroughPartyId`, then the remote address at 8: 4 bytes below v17 (port at 12,
    /// call reference at 16; 20-byte body), a 20-byte block from v17 (port at 28, call reference at 32; 36 bytes).
    public struct MediaTransmissionFailure: SkinnyMessageBody {
        public static let id = SkinnyMessageID.mediaTransmissionFailure

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        public var remoteIPAddress: SkinnyIPAddress
        public var remotePort: UInt32
        public var callReference: UInt32

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            remoteIPAddress: SkinnyIPAddress,
            remotePort: UInt32,
            callReference: UInt32
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.remoteIPAddress = remoteIPAddress
            self.remotePort = remotePort
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let next = version.usesAddressBlocks ? 28 : 12
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.remoteIPAddress = body.address(at: 8, version: version)
            self.remotePort = body.u32(at: next)
            self.callReference = body.u32(at: next + 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyAddress(self.remoteIPAddress, version: version)
            buffer.writeSkinnyU32(self.remotePort)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
