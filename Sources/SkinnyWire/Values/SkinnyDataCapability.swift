import NIOCore

/// A data application a phone offers, such as T.120 or FECC (UpdateCapabilities and CapabilitiesV2/V3Res
/// `dataCaps[]`; message-layouts 0x0030, 0x0043, 0x0044).
///
/// 16 bytes in the fixed layouts; CapabilitiesV3Res adds `encryptionCapability`, making it 20.
public struct SkinnyDataCapability: Hashable, Sendable {
    /// Size of an entry in UpdateCapabilities and CapabilitiesV2Res.
    public static let fixedSize = 16
    /// Size of an entry in CapabilitiesV3Res.
    public static let compactSize = 20

    public var payloadCapability: SkinnyCodec
    /// 0 none, 1 receive only, 2 transmit only, 3 both (TransmitOrReceive).
    public var direction: UInt32
    public var protocolDependentData: UInt32
    public var maxBitRate: UInt32
    /// 0 not capable, 1 capable of encryption. Carried by CapabilitiesV3Res only; 0 elsewhere.
    public var encryptionCapability: UInt32

    public init(
        payloadCapability: SkinnyCodec,
        direction: UInt32,
        protocolDependentData: UInt32 = 0,
        maxBitRate: UInt32 = 0,
        encryptionCapability: UInt32 = 0
    ) {
        self.payloadCapability = payloadCapability
        self.direction = direction
        self.protocolDependentData = protocolDependentData
        self.maxBitRate = maxBitRate
        self.encryptionCapability = encryptionCapability
    }

    /// Reads an entry at `offset`; `compact` entries (CapabilitiesV3Res) carry the encryption capability.
    init(from body: SkinnyBodyReader, at offset: Int, compact: Bool) {
        self.payloadCapability = SkinnyCodec(rawValue: body.u32(at: offset))
        self.direction = body.u32(at: offset + 4)
        self.protocolDependentData = body.u32(at: offset + 8)
        self.maxBitRate = body.u32(at: offset + 12)
        self.encryptionCapability = compact ? body.u32(at: offset + 16) : 0
    }

    func encode(into buffer: inout ByteBuffer, compact: Bool) {
        buffer.writeSkinnyU32(self.payloadCapability.rawValue)
        buffer.writeSkinnyU32(self.direction)
        buffer.writeSkinnyU32(self.protocolDependentData)
        buffer.writeSkinnyU32(self.maxBitRate)
        if compact {
            buffer.writeSkinnyU32(self.encryptionCapability)
        }
    }
}
