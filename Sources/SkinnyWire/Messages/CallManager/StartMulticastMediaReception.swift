public import NIOCore

extension SkinnyMessage {
    /// StartMulticastMediaReception (0x0101), call manager to phone: listen to a multicast RTP stream, e.g. for
    /// paging or music on hold (message-layouts). The phone answers with MulticastMediaReceptionAck.
    ///
    /// Below v17 (36 bytes): `conferenceId`, `passThroughPartyId`, IPv4 address at 8, port at 12, packet size,
    /// codec, echo cancellation, codec parameters, `callReference` at 32. From v17 the address is a 20-byte block
    /// and the later fields move 16 bytes on (52 bytes).
    public struct StartMulticastMediaReception: SkinnyMessageBody {
        public static let id = SkinnyMessageID.startMulticastMediaReception

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        /// The multicast group. IPv6 only from v17.
        public var multicastAddress: SkinnyIPAddress
        public var multicastPort: UInt32
        /// Milliseconds of audio per packet.
        public var packetSize: UInt32
        public var codec: SkinnyCodec
        public var echoCancellation: Bool
        public var codecParameters: SkinnyCodecParameters
        public var callReference: UInt32

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            multicastAddress: SkinnyIPAddress,
            multicastPort: UInt32,
            packetSize: UInt32,
            codec: SkinnyCodec,
            echoCancellation: Bool = false,
            codecParameters: SkinnyCodecParameters = .none,
            callReference: UInt32
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.multicastAddress = multicastAddress
            self.multicastPort = multicastPort
            self.packetSize = packetSize
            self.codec = codec
            self.echoCancellation = echoCancellation
            self.codecParameters = codecParameters
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let shift = version.usesAddressBlocks ? 16 : 0
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.multicastAddress = body.address(at: 8, version: version)
            self.multicastPort = body.u32(at: 12 + shift)
            self.packetSize = body.u32(at: 16 + shift)
            self.codec = SkinnyCodec(rawValue: body.u32(at: 20 + shift))
            self.echoCancellation = body.u32(at: 24 + shift) != 0
            self.codecParameters = SkinnyCodecParameters(rawValue: body.u32(at: 28 + shift))
            self.callReference = body.u32(at: 32 + shift)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyAddress(self.multicastAddress, version: version)
            buffer.writeSkinnyU32(self.multicastPort)
            buffer.writeSkinnyU32(self.packetSize)
            buffer.writeSkinnyU32(self.codec.rawValue)
            buffer.writeSkinnyU32(self.echoCancellation ? 1 : 0)
            buffer.writeSkinnyU32(self.codecParameters.rawValue)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
