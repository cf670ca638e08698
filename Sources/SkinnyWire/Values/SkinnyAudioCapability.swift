import NIOCore

/// One audio codec a phone offers: an entry of CapabilitiesRes, UpdateCapabilities, CapabilitiesV2Res and
/// CapabilitiesV3Res, 16 bytes on the wire (reference §5.1 "0x0010 CapabilitiesRes").
public struct SkinnyAudioCapability: Hashable, Sendable {
    /// Size of one entry on the wire: `u32 payloadCapability`, `u32 maxFramesPerPacket`, an 8-byte union.
    public static let size = 16
    /// Size of the parameter union.
    public static let parametersSize = 8

    /// The codec, in SCCP numbering (reference §6.12).
    public var codec: SkinnyCodec
    /// Named "maxFramesPerPacket" but really the longest packet in milliseconds: a 7970 reports 40 for G.711 and
    /// G.722 and 60 for G.729 (reference §5.1).
    public var maxFramesPerPacket: UInt32
    /// The 8-byte parameter union, kept whole: a `u32` bit rate for G.723.1 (1 = 5.3k, 2 = 6.3k); modem-relay,
    /// SPRT or SSE parameters for the V.150 codecs; otherwise codecMode, dynamicPayload, param1, param2 and four
    /// unused bytes. Always 8 bytes.
    public var parameters: [UInt8]

    public init(codec: SkinnyCodec, maxFramesPerPacket: UInt32, parameters: [UInt8] = []) {
        self.codec = codec
        self.maxFramesPerPacket = maxFramesPerPacket
        self.parameters = parameters.skinnyFixedSize(Self.parametersSize)
    }

    /// The G.723.1 bit rate (the union read as a `u32`): 1 = 5.3 kbit/s, 2 = 6.3 kbit/s.
    public var g723BitRate: UInt32 {
        var value: UInt32 = 0
        for (index, byte) in self.parameters.prefix(4).enumerated() {
            value |= UInt32(byte) << (8 * UInt32(index))
        }
        return value
    }

    /// The union's first byte, `codecMode`, for codecs other than G.723.1 and V.150.
    public var codecMode: UInt8 { self.parameters.first ?? 0 }

    /// The union's second byte, `dynamicPayload`: the RTP payload type of a dynamic codec such as iLBC.
    public var dynamicPayload: UInt8 { self.parameters.dropFirst().first ?? 0 }

    /// Reads an entry at `offset`; missing bytes read as zero.
    init(from body: SkinnyBodyReader, at offset: Int) {
        self.codec = SkinnyCodec(rawValue: body.u32(at: offset))
        self.maxFramesPerPacket = body.u32(at: offset + 4)
        self.parameters = body.bytes(at: offset + 8, size: Self.parametersSize)
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeSkinnyU32(self.codec.rawValue)
        buffer.writeSkinnyU32(self.maxFramesPerPacket)
        buffer.writeBytes(self.parameters.skinnyFixedSize(Self.parametersSize))
    }
}
