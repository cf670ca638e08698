import NIOCore

/// A custom video picture format a phone offers (UpdateCapabilities and CapabilitiesV2/V3Res
/// `customPictureFormat[]`, 20 bytes; message-layouts 0x0030).
public struct SkinnyCustomPictureFormat: Hashable, Sendable {
    /// Size of one entry on the wire: five `u32`.
    public static let size = 20

    public var pictureWidth: UInt32
    public var pictureHeight: UInt32
    public var pixelAspectRatio: UInt32
    public var clockConversionCode: UInt32
    public var clockDivisor: UInt32

    public init(
        pictureWidth: UInt32,
        pictureHeight: UInt32,
        pixelAspectRatio: UInt32 = 0,
        clockConversionCode: UInt32 = 0,
        clockDivisor: UInt32 = 0
    ) {
        self.pictureWidth = pictureWidth
        self.pictureHeight = pictureHeight
        self.pixelAspectRatio = pixelAspectRatio
        self.clockConversionCode = clockConversionCode
        self.clockDivisor = clockDivisor
    }

    init(from body: SkinnyBodyReader, at offset: Int) {
        self.pictureWidth = body.u32(at: offset)
        self.pictureHeight = body.u32(at: offset + 4)
        self.pixelAspectRatio = body.u32(at: offset + 8)
        self.clockConversionCode = body.u32(at: offset + 12)
        self.clockDivisor = body.u32(at: offset + 16)
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeSkinnyU32(self.pictureWidth)
        buffer.writeSkinnyU32(self.pictureHeight)
        buffer.writeSkinnyU32(self.pixelAspectRatio)
        buffer.writeSkinnyU32(self.clockConversionCode)
        buffer.writeSkinnyU32(self.clockDivisor)
    }
}
