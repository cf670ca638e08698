public import NIOCore

extension SkinnyMessage {
    /// OpenReceiveChannelAck (0x0022), phone to call manager: the phone opened (or failed to open) the receive
    /// channel asked for by OpenReceiveChannel, and says where to send its RTP (reference §5.1, §3). Match it
    /// to the request by callReference and passThroughPartyId.
    ///
    /// - v16 and below, 20 bytes: `u32 status`, IPv4 address (network order) at 4, `u32 port` at 8,
    ///   `u32 passThroughPartyId` at 12, `u32 callReference` at 16.
    /// - v17 and above, 36 bytes: the address is a 20-byte block (`u32 type` then 16 bytes) at 4, so the port is at
    ///   24, the pass-through party at 28 and the call reference at 32.
    ///
    /// Missing fields read as zero: a Cisco 7912 on CUCM 4.1 sent the v16 form without the call reference.
    public typealias OpenReceiveChannelAck = ReceiveChannelAck<OpenReceiveChannelAckKind>

    /// OpenMultiMediaReceiveChannelAck (0x0031), phone to call manager: the answer to
    /// OpenMultiMediaReceiveChannel, the video counterpart of OpenReceiveChannelAck with the same layout
    /// (message-layouts 0x0031).
    ///
    /// - v16 and below, 20 bytes: `u32 status`, IPv4 address (network order) at 4, `u32 port` at 8,
    ///   `u32 passThroughPartyId` at 12, `u32 callReference` at 16.
    /// - v17 and above, 36 bytes: the address is a 20-byte block (`u32 type` then 16 bytes) at 4, so the port is at
    ///   24, the pass-through party at 28 and the call reference at 32.
    ///
    /// Missing fields read as zero: a Cisco 7912 on CUCM 4.1 sent the v16 form without the call reference.
    public typealias OpenMultiMediaReceiveChannelAck = ReceiveChannelAck<OpenMultiMediaReceiveChannelAckKind>

    /// The layout shared by OpenReceiveChannelAck and OpenMultiMediaReceiveChannelAck; see those aliases.
    public struct ReceiveChannelAck<Kind: SkinnyMessageKind>: SkinnyMessageBody {
        public static var id: SkinnyMessageID { Kind.id }

        /// 0 OK; otherwise why the channel could not be opened (reference §6.13).
        public var status: SkinnyMediaStatus
        /// Where the phone receives RTP.
        public var ipAddress: SkinnyIPAddress
        /// The UDP port the phone receives RTP on.
        public var port: UInt32
        public var passThroughPartyID: UInt32
        public var callReference: UInt32

        public init(
            status: SkinnyMediaStatus = .ok,
            ipAddress: SkinnyIPAddress,
            port: UInt32,
            passThroughPartyID: UInt32,
            callReference: UInt32
        ) {
            self.status = status
            self.ipAddress = ipAddress
            self.port = port
            self.passThroughPartyID = passThroughPartyID
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let next = version.usesAddressBlocks ? 24 : 8
            self.status = SkinnyMediaStatus(rawValue: body.u32(at: 0))
            self.ipAddress = body.address(at: 4, version: version)
            self.port = body.u32(at: next)
            self.passThroughPartyID = body.u32(at: next + 4)
            self.callReference = body.u32(at: next + 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.status.rawValue)
            buffer.writeSkinnyAddress(self.ipAddress, version: version)
            buffer.writeSkinnyU32(self.port)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}

/// Selects the id of `SkinnyMessage.OpenReceiveChannelAck`.
public enum OpenReceiveChannelAckKind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.openReceiveChannelAck
}

/// Selects the id of `SkinnyMessage.OpenMultiMediaReceiveChannelAck`.
public enum OpenMultiMediaReceiveChannelAckKind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.openMultiMediaReceiveChannelAck
}
