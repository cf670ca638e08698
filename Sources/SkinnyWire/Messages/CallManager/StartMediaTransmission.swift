public import NIOCore

extension SkinnyMessage {
    /// StartMediaTransmission (0x008A), call manager to phone: send a call's RTP to this address and port
    /// (reference §5.2, media-control table).
    ///
    /// From v17 the remote address is a 20-byte block instead of 4 bytes, which moves every later field 16 bytes on:
    ///
    /// | field | v3–11 | v15–16 | v17–20 | v21–22 |
    /// |---|---|---|---|---|
    /// | conferenceId, passThroughPartyId | 0, 4 | 0, 4 | 0, 4 | 0, 4 |
    /// | remote address | 8 (IPv4) | 8 (IPv4) | 8 (block) | 8 (block) |
    /// | remotePort … callReference | 12–43 | 12–43 | 28–59 | 28–59 |
    /// | 48-byte key block | 44–91 | 44–91 | 60–107 | 60–107 |
    /// | streamPassThroughId … mixingMode | 92–111 | 92–111 | 108–127 | 108–127 |
    /// | partyDirection | — | 112 | 128 | 128 |
    /// | latentCapsInfo | — | — | — | 132–167 |
    /// | body | 112 | 116 | 132 | 168 |
    ///
    /// CUCM 4.1 sent an 84-byte body that ends after the key's `salt`; the fields it lacks read as zero.
    public struct StartMediaTransmission: SkinnyMessageBody {
        public static let id = SkinnyMessageID.startMediaTransmission

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        /// Where to send RTP. IPv6 only from v17.
        public var remoteAddress: SkinnyIPAddress
        public var remotePort: UInt32
        /// Milliseconds of audio per packet, e.g. 20.
        public var packetSize: UInt32
        public var codec: SkinnyCodec
        /// The IP precedence/DSCP byte for the RTP packets; CUCM 4.1 sent 184 (0xB8, DSCP EF).
        public var precedence: UInt32
        public var silenceSuppression: Bool
        /// A `u16` followed by two bytes of padding (chan-sccp: one `u32`; same bytes). CUCM 4.1 sent 0.
        public var maxFramesPerPacket: UInt16
        public var codecParameters: SkinnyCodecParameters
        public var callReference: UInt32
        public var encryptionKey: SkinnyMediaEncryptionKey
        public var streamPassThroughID: UInt32
        public var associatedStreamID: UInt32
        /// The RTP payload type for RFC 2833 DTMF (chan-sccp: 101), or 0.
        public var rfc2833PayloadType: UInt32
        public var dtmfType: UInt32
        public var mixingMode: UInt32
        /// Sent from v15.
        public var partyDirection: UInt32
        /// Sent from v21.
        public var latentCapabilities: SkinnyLatentCapabilities

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            remoteAddress: SkinnyIPAddress,
            remotePort: UInt32,
            packetSize: UInt32,
            codec: SkinnyCodec,
            precedence: UInt32 = 0xB8,
            silenceSuppression: Bool = false,
            maxFramesPerPacket: UInt16 = 0,
            codecParameters: SkinnyCodecParameters = .none,
            callReference: UInt32,
            encryptionKey: SkinnyMediaEncryptionKey = .none,
            streamPassThroughID: UInt32 = 0,
            associatedStreamID: UInt32 = 0,
            rfc2833PayloadType: UInt32 = 0,
            dtmfType: UInt32 = 0,
            mixingMode: UInt32 = 0,
            partyDirection: UInt32 = 0,
            latentCapabilities: SkinnyLatentCapabilities = .none
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.remoteAddress = remoteAddress
            self.remotePort = remotePort
            self.packetSize = packetSize
            self.codec = codec
            self.precedence = precedence
            self.silenceSuppression = silenceSuppression
            self.maxFramesPerPacket = maxFramesPerPacket
            self.codecParameters = codecParameters
            self.callReference = callReference
            self.encryptionKey = encryptionKey
            self.streamPassThroughID = streamPassThroughID
            self.associatedStreamID = associatedStreamID
            self.rfc2833PayloadType = rfc2833PayloadType
            self.dtmfType = dtmfType
            self.mixingMode = mixingMode
            self.partyDirection = partyDirection
            self.latentCapabilities = latentCapabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let shift = version.usesAddressBlocks ? 16 : 0
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.remoteAddress = body.address(at: 8, version: version)
            self.remotePort = body.u32(at: 12 + shift)
            self.packetSize = body.u32(at: 16 + shift)
            self.codec = SkinnyCodec(rawValue: body.u32(at: 20 + shift))
            self.precedence = body.u32(at: 24 + shift)
            self.silenceSuppression = body.u32(at: 28 + shift) != 0
            self.maxFramesPerPacket = body.u16(at: 32 + shift)
            self.codecParameters = SkinnyCodecParameters(rawValue: body.u32(at: 36 + shift))
            self.callReference = body.u32(at: 40 + shift)
            self.encryptionKey = SkinnyMediaEncryptionKey(from: body, at: 44 + shift)
            self.streamPassThroughID = body.u32(at: 92 + shift)
            self.associatedStreamID = body.u32(at: 96 + shift)
            self.rfc2833PayloadType = body.u32(at: 100 + shift)
            self.dtmfType = body.u32(at: 104 + shift)
            self.mixingMode = body.u32(at: 108 + shift)
            self.partyDirection = version.hasPartyDirectionInStartMedia ? body.u32(at: 112 + shift) : 0
            self.latentCapabilities =
                version.hasLatentCapabilities ? SkinnyLatentCapabilities(from: body, at: 132) : .none
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyAddress(self.remoteAddress, version: version)
            buffer.writeSkinnyU32(self.remotePort)
            buffer.writeSkinnyU32(self.packetSize)
            buffer.writeSkinnyU32(self.codec.rawValue)
            buffer.writeSkinnyU32(self.precedence)
            buffer.writeSkinnyU32(self.silenceSuppression ? 1 : 0)
            buffer.writeSkinnyU16(self.maxFramesPerPacket)
            buffer.writeSkinnyU16(0)
            buffer.writeSkinnyU32(self.codecParameters.rawValue)
            buffer.writeSkinnyU32(self.callReference)
            self.encryptionKey.encode(into: &buffer)
            buffer.writeSkinnyU32(self.streamPassThroughID)
            buffer.writeSkinnyU32(self.associatedStreamID)
            buffer.writeSkinnyU32(self.rfc2833PayloadType)
            buffer.writeSkinnyU32(self.dtmfType)
            buffer.writeSkinnyU32(self.mixingMode)
            if version.hasPartyDirectionInStartMedia {
                buffer.writeSkinnyU32(self.partyDirection)
            }
            if version.hasLatentCapabilities {
                self.latentCapabilities.encode(into: &buffer)
            }
        }
    }
}
