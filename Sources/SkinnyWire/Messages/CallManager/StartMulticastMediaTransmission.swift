public import NIOCore

extension SkinnyMessage {
    /// StartMulticastMediaTransmission (0x0102), call manager to phone: send RTP to a multicast group
    /// (message-layouts).
    ///
    /// Below v17 (44 bytes): `conferenceId`, `passThroughPartyId`, IPv4 address at 8, port at 12, packet size,
    /// codec, precedence, silence suppression, `u16 maxFramesPerPacket` + 2 bytes padding at 32, codec parameters,
    /// `callReference` at 40. From v17 the address is a 20-byte block and the later fields move 16 bytes on
    /// (60 bytes).
    public struct StartMulticastMediaTransmission: SkinnyMessageBody {
        public static let id = SkinnyMessageID.startMulticastMediaTransmission

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        /// The multicast group. IPv6 only from v17.
        public var multicastAddress: SkinnyIPAddress
        public var multicastPort: UInt32
        /// Milliseconds of audio per packet.
        public var packetSize: UInt32
        public var codec: SkinnyCodec
        /// The IP precedence/DSCP byte for the RTP packets.
        public var precedence: UInt32
        public var silenceSuppression: Bool
        public var maxFramesPerPacket: UInt16
        public var codecParameters: SkinnyCodecParameters
        public var callReference: UInt32

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            multicastAddress: SkinnyIPAddress,
            multicastPort: UInt32,
            packetSize: UInt32,
            codec: SkinnyCodec,
            precedence: UInt32 = 0xB8,
            silenceSuppression: Bool = false,
            maxFramesPerPacket: UInt16 = 0,
            codecParameters: SkinnyCodecParameters = .none,
            callReference: UInt32
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.multicastAddress = multicastAddress
            self.multicastPort = multicastPort
            self.packetSize = packetSize
            self.codec = codec
            self.precedence = precedence
            self.silenceSuppression = silenceSuppression
            self.maxFramesPerPacket = maxFramesPerPacket
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
            self.precedence = body.u32(at: 24 + shift)
            self.silenceSuppression = body.u32(at: 28 + shift) != 0
            self.maxFramesPerPacket = body.u16(at: 32 + shift)
            self.codecParameters = SkinnyCodecParameters(rawValue: body.u32(at: 36 + shift))
            self.callReference = body.u32(at: 40 + shift)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyAddress(self.multicastAddress, version: version)
            buffer.writeSkinnyU32(self.multicastPort)
            buffer.writeSkinnyU32(self.packetSize)
            buffer.writeSkinnyU32(self.codec.rawValue)
            buffer.writeSkinnyU32(self.precedence)
            buffer.writeSkinnyU32(self.silenceSuppression ? 1 : 0)
            buffer.writeSkinnyU16(self.maxFramesPerPacket)
            buffer.writeSkinnyU16(0)
            buffer.writeSkinnyU32(self.codecParameters.rawValue)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
