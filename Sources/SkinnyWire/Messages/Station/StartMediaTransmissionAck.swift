public import NIOCore

extension SkinnyMessage {
    /// StartMediaTransmissionAck (0x0154), phone to call manager: the phone started (or failed to start) sending
    /// RTP as StartMediaTransmission asked (reference §5.1). Wireshark labels it call manager to phone; phones send
    /// it (reference §7 #10).
    ///
    /// - v16 and below, 24 bytes: `u32 conferenceId` (chan-sccp: a call reference), `u32 passThroughPartyId`,
    ///   `u32 callReference`, IPv4 address at 12, `u32 port` at 16, `u32 status` at 20.
    /// - v17 and above, 40 bytes: the address is a 20-byte block at 12, port at 32, status at 36.
    ///
    /// A 6901 (v20) sent a 48-byte body with the first two fields 0 and only the call reference set, so match acks
    /// by `callReference`.
    public typealias StartMediaTransmissionAck = TransmissionAck<StartMediaTransmissionAckKind>

    /// StartMultiMediaTransmissionAck (0x0155), phone to call manager: the video counterpart of
    /// StartMediaTransmissionAck, with the same layout (message-layouts 0x0155). Wireshark labels it call
    /// manager to phone;
    /// phones send it (reference §7 #10).
    ///
    /// - v16 and below, 24 bytes: `u32 conferenceId` (chan-sccp: a call reference), `u32 passThroughPartyId`,
    ///   `u32 callReference`, IPv4 address at 12, `u32 port` at 16, `u32 status` at 20.
    /// - v17 and above, 40 bytes: the address is a 20-byte block at 12, port at 32, status at 36.
    public typealias StartMultiMediaTransmissionAck = TransmissionAck<StartMultiMediaTransmissionAckKind>

    /// The layout shared by StartMediaTransmissionAck and StartMultiMediaTransmissionAck; see those aliases.
    public struct TransmissionAck<Kind: SkinnyMessageKind>: SkinnyMessageBody {
        public static var id: SkinnyMessageID { Kind.id }

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        public var callReference: UInt32
        /// The address the phone transmits from.
        public var transmitIPAddress: SkinnyIPAddress
        public var port: UInt32
        public var status: SkinnyMediaStatus

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            callReference: UInt32,
            transmitIPAddress: SkinnyIPAddress,
            port: UInt32,
            status: SkinnyMediaStatus = .ok
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.callReference = callReference
            self.transmitIPAddress = transmitIPAddress
            self.port = port
            self.status = status
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let next = version.usesAddressBlocks ? 32 : 16
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.transmitIPAddress = body.address(at: 12, version: version)
            self.port = body.u32(at: next)
            self.status = SkinnyMediaStatus(rawValue: body.u32(at: next + 4))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyAddress(self.transmitIPAddress, version: version)
            buffer.writeSkinnyU32(self.port)
            buffer.writeSkinnyU32(self.status.rawValue)
        }
    }
}

/// Selects the id of `SkinnyMessage.StartMediaTransmissionAck`.
public enum StartMediaTransmissionAckKind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.startMediaTransmissionAck
}

/// Selects the id of `SkinnyMessage.StartMultiMediaTransmissionAck`.
public enum StartMultiMediaTransmissionAckKind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.startMultiMediaTransmissionAck
}
