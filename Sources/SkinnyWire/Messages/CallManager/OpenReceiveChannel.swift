public import NIOCore

extension SkinnyMessage {
    /// OpenReceiveChannel (0x0105), call manager to phone: open an RTP port to receive a call's audio; the phone
    /// answers with OpenReceiveChannelAck, giving the address and port (reference §5.2, media-control table).
    ///
    /// | field | v3–10 | v11–15 | v16 | v17–20 | v21–22 |
    /// |---|---|---|---|---|---|
    /// | conferenceId … dtmfType (incl. 48-byte key block at 28) | 0–91 | 0–91 | 0–91 | 0–91 | 0–91 |
    /// | mixingMode, partyDirection | — | 92, 96 | 92, 96 | 92, 96 | 92, 96 |
    /// | source address | — | 100 (IPv4) | 100 (IPv4) | 100 (20-byte block) | 100 (block) |
    /// | sourcePort | — | 104 | 104 | 120 | 120 |
    /// | requestedIpAddrType | — | — | 108 | 124 | 124 |
    /// | audioLevelAdjustment | — | — | — | 128, when not 0 | 128 |
    /// | latentCapsInfo | — | — | — | — | 132–167 |
    /// | body | 92 | 108 | 112 | 128 or 132 | 168 |
    ///
    /// At v17–20 Strowger sends 128 bytes, as chan-sccp does and as a real v17 exchange in its sources shows, when
    /// `audioLevelAdjustment` is 0; a non-zero adjustment is sent in Wireshark's 132-byte form, which adds it as an
    /// optional last field. Decoding reads it when the body reaches it, so the two agree: an absent field and a 0
    /// both decode as 0 and encode as the 128-byte form.
    /// CUCM 4.1 sent a 68-byte body that ends after the key's `salt`; the fields it lacks read as zero.
    public struct OpenReceiveChannel: SkinnyMessageBody {
        public static let id = SkinnyMessageID.openReceiveChannel

        /// CUCM 4.1 set it to the call reference.
        public var conferenceID: UInt32
        /// Identifies the stream; the phone echoes it in OpenReceiveChannelAck.
        public var passThroughPartyID: UInt32
        /// Milliseconds of audio per packet, e.g. 20.
        public var packetSize: UInt32
        public var codec: SkinnyCodec
        public var echoCancellation: Bool
        public var codecParameters: SkinnyCodecParameters
        public var callReference: UInt32
        public var encryptionKey: SkinnyMediaEncryptionKey
        public var streamPassThroughID: UInt32
        public var associatedStreamID: UInt32
        /// The RTP payload type for RFC 2833 DTMF (chan-sccp: 101), or 0.
        public var rfc2833PayloadType: UInt32
        /// CUCM 7 and chan-sccp send 10.
        public var dtmfType: UInt32
        /// Sent from v11.
        public var mixingMode: UInt32
        /// Sent from v11.
        public var partyDirection: UInt32
        /// Where the phone should expect the media from. Sent from v11; IPv6 only from v17.
        public var sourceAddress: SkinnyIPAddress
        /// Sent from v11.
        public var sourcePort: UInt32
        /// Sent from v16.
        public var requestedAddressType: SkinnyIPAddressType
        /// Sent from v21, and at v17–20 when not 0 (Wireshark's optional field); read from v17 when the body carries
        /// it.
        public var audioLevelAdjustment: Int32
        /// Sent from v21.
        public var latentCapabilities: SkinnyLatentCapabilities

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            packetSize: UInt32,
            codec: SkinnyCodec,
            echoCancellation: Bool = false,
            codecParameters: SkinnyCodecParameters = .none,
            callReference: UInt32,
            encryptionKey: SkinnyMediaEncryptionKey = .none,
            streamPassThroughID: UInt32 = 0,
            associatedStreamID: UInt32 = 0,
            rfc2833PayloadType: UInt32 = 0,
            dtmfType: UInt32 = 0,
            mixingMode: UInt32 = 0,
            partyDirection: UInt32 = 0,
            sourceAddress: SkinnyIPAddress = .unspecified,
            sourcePort: UInt32 = 0,
            requestedAddressType: SkinnyIPAddressType = .ipv4,
            audioLevelAdjustment: Int32 = 0,
            latentCapabilities: SkinnyLatentCapabilities = .none
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.packetSize = packetSize
            self.codec = codec
            self.echoCancellation = echoCancellation
            self.codecParameters = codecParameters
            self.callReference = callReference
            self.encryptionKey = encryptionKey
            self.streamPassThroughID = streamPassThroughID
            self.associatedStreamID = associatedStreamID
            self.rfc2833PayloadType = rfc2833PayloadType
            self.dtmfType = dtmfType
            self.mixingMode = mixingMode
            self.partyDirection = partyDirection
            self.sourceAddress = sourceAddress
            self.sourcePort = sourcePort
            self.requestedAddressType = requestedAddressType
            self.audioLevelAdjustment = audioLevelAdjustment
            self.latentCapabilities = latentCapabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.packetSize = body.u32(at: 8)
            self.codec = SkinnyCodec(rawValue: body.u32(at: 12))
            self.echoCancellation = body.u32(at: 16) != 0
            self.codecParameters = SkinnyCodecParameters(rawValue: body.u32(at: 20))
            self.callReference = body.u32(at: 24)
            self.encryptionKey = SkinnyMediaEncryptionKey(from: body, at: 28)
            self.streamPassThroughID = body.u32(at: 76)
            self.associatedStreamID = body.u32(at: 80)
            self.rfc2833PayloadType = body.u32(at: 84)
            self.dtmfType = body.u32(at: 88)
            self.mixingMode = 0
            self.partyDirection = 0
            self.sourceAddress = .unspecified
            self.sourcePort = 0
            self.requestedAddressType = .ipv4
            self.audioLevelAdjustment = 0
            self.latentCapabilities = .none
            guard version.hasExtendedMediaFields else { return }
            let shift = version.usesAddressBlocks ? 16 : 0
            self.mixingMode = body.u32(at: 92)
            self.partyDirection = body.u32(at: 96)
            self.sourceAddress = body.address(at: 100, version: version)
            self.sourcePort = body.u32(at: 104 + shift)
            if version.hasRequestedAddressType {
                self.requestedAddressType = SkinnyIPAddressType(rawValue: body.u32(at: 108 + shift))
            }
            if version.usesAddressBlocks {
                self.audioLevelAdjustment = body.i32(at: 128)
            }
            if version.hasLatentCapabilities {
                self.latentCapabilities = SkinnyLatentCapabilities(from: body, at: 132)
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.packetSize)
            buffer.writeSkinnyU32(self.codec.rawValue)
            buffer.writeSkinnyU32(self.echoCancellation ? 1 : 0)
            buffer.writeSkinnyU32(self.codecParameters.rawValue)
            buffer.writeSkinnyU32(self.callReference)
            self.encryptionKey.encode(into: &buffer)
            buffer.writeSkinnyU32(self.streamPassThroughID)
            buffer.writeSkinnyU32(self.associatedStreamID)
            buffer.writeSkinnyU32(self.rfc2833PayloadType)
            buffer.writeSkinnyU32(self.dtmfType)
            guard version.hasExtendedMediaFields else { return }
            buffer.writeSkinnyU32(self.mixingMode)
            buffer.writeSkinnyU32(self.partyDirection)
            buffer.writeSkinnyAddress(self.sourceAddress, version: version)
            buffer.writeSkinnyU32(self.sourcePort)
            if version.hasRequestedAddressType {
                buffer.writeSkinnyU32(self.requestedAddressType.rawValue)
            }
            if version.hasLatentCapabilities {
                buffer.writeInteger(self.audioLevelAdjustment, endianness: .little)
                self.latentCapabilities.encode(into: &buffer)
            } else if version.usesAddressBlocks && self.audioLevelAdjustment != 0 {
                buffer.writeInteger(self.audioLevelAdjustment, endianness: .little)
            }
        }
    }
}
