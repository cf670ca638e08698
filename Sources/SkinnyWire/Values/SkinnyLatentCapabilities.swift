public import NIOCore

/// The modem-relay and fax capabilities block (`latentCapsInfo`) that ends OpenReceiveChannel and
/// StartMediaTransmission from v21 (reference §2.3, §7 #13). 36 bytes; all zero for a voice call.
public struct SkinnyLatentCapabilities: Hashable, Sendable {
    /// Size of the block on the wire.
    public static let wireSize = 36

    public var active: UInt32
    /// Modem relay: capabilities and version.
    public var modemRelayCapabilitiesAndVersion: UInt32
    /// Modem relay: modulations and RFC 2833 support.
    public var modemRelayModulationsAnd2833: UInt32
    /// SPRT payload sizes and window.
    public var sprtChannel0MaxPayload: UInt16
    public var sprtChannel2MaxPayload: UInt16
    public var sprtChannel3MaxPayload: UInt16
    public var sprtChannel2MaxWindow: UInt16
    /// Simple packet relay (SSE) standard and vendor.
    public var sseStandard: UInt32
    public var sseVendor: UInt32
    /// Payload types for NSE, RFC 2833, SSE, V.150 SPRT and no-audio, then three unused bytes.
    public var payloadNSE: UInt8
    public var payloadRFC2833: UInt8
    public var payloadSSE: UInt8
    public var payloadV150SPRT: UInt8
    public var payloadNoAudio: UInt8
    public var futureUse1: UInt8
    public var futureUse2: UInt8
    public var futureUse3: UInt8

    /// Nothing: a plain voice call.
    public static let none = SkinnyLatentCapabilities()

    public init(
        active: UInt32 = 0,
        modemRelayCapabilitiesAndVersion: UInt32 = 0,
        modemRelayModulationsAnd2833: UInt32 = 0,
        sprtChannel0MaxPayload: UInt16 = 0,
        sprtChannel2MaxPayload: UInt16 = 0,
        sprtChannel3MaxPayload: UInt16 = 0,
        sprtChannel2MaxWindow: UInt16 = 0,
        sseStandard: UInt32 = 0,
        sseVendor: UInt32 = 0,
        payloadNSE: UInt8 = 0,
        payloadRFC2833: UInt8 = 0,
        payloadSSE: UInt8 = 0,
        payloadV150SPRT: UInt8 = 0,
        payloadNoAudio: UInt8 = 0,
        futureUse1: UInt8 = 0,
        futureUse2: UInt8 = 0,
        futureUse3: UInt8 = 0
    ) {
        self.active = active
        self.modemRelayCapabilitiesAndVersion = modemRelayCapabilitiesAndVersion
        self.modemRelayModulationsAnd2833 = modemRelayModulationsAnd2833
        self.sprtChannel0MaxPayload = sprtChannel0MaxPayload
        self.sprtChannel2MaxPayload = sprtChannel2MaxPayload
        self.sprtChannel3MaxPayload = sprtChannel3MaxPayload
        self.sprtChannel2MaxWindow = sprtChannel2MaxWindow
        self.sseStandard = sseStandard
        self.sseVendor = sseVendor
        self.payloadNSE = payloadNSE
        self.payloadRFC2833 = payloadRFC2833
        self.payloadSSE = payloadSSE
        self.payloadV150SPRT = payloadV150SPRT
        self.payloadNoAudio = payloadNoAudio
        self.futureUse1 = futureUse1
        self.futureUse2 = futureUse2
        self.futureUse3 = futureUse3
    }

    /// Reads the block at `offset`; whatever the body does not reach reads as zero.
    public init(from body: SkinnyBodyReader, at offset: Int) {
        self.active = body.u32(at: offset)
        self.modemRelayCapabilitiesAndVersion = body.u32(at: offset + 4)
        self.modemRelayModulationsAnd2833 = body.u32(at: offset + 8)
        self.sprtChannel0MaxPayload = body.u16(at: offset + 12)
        self.sprtChannel2MaxPayload = body.u16(at: offset + 14)
        self.sprtChannel3MaxPayload = body.u16(at: offset + 16)
        self.sprtChannel2MaxWindow = body.u16(at: offset + 18)
        self.sseStandard = body.u32(at: offset + 20)
        self.sseVendor = body.u32(at: offset + 24)
        self.payloadNSE = body.u8(at: offset + 28)
        self.payloadRFC2833 = body.u8(at: offset + 29)
        self.payloadSSE = body.u8(at: offset + 30)
        self.payloadV150SPRT = body.u8(at: offset + 31)
        self.payloadNoAudio = body.u8(at: offset + 32)
        self.futureUse1 = body.u8(at: offset + 33)
        self.futureUse2 = body.u8(at: offset + 34)
        self.futureUse3 = body.u8(at: offset + 35)
    }

    /// Appends the 36-byte block.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeSkinnyU32(self.active)
        buffer.writeSkinnyU32(self.modemRelayCapabilitiesAndVersion)
        buffer.writeSkinnyU32(self.modemRelayModulationsAnd2833)
        buffer.writeSkinnyU16(self.sprtChannel0MaxPayload)
        buffer.writeSkinnyU16(self.sprtChannel2MaxPayload)
        buffer.writeSkinnyU16(self.sprtChannel3MaxPayload)
        buffer.writeSkinnyU16(self.sprtChannel2MaxWindow)
        buffer.writeSkinnyU32(self.sseStandard)
        buffer.writeSkinnyU32(self.sseVendor)
        buffer.writeMultipleIntegers(
            self.payloadNSE,
            self.payloadRFC2833,
            self.payloadSSE,
            self.payloadV150SPRT,
            self.payloadNoAudio,
            self.futureUse1,
            self.futureUse2,
            self.futureUse3
        )
    }
}
