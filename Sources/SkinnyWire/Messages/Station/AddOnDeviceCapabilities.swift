public import NIOCore

extension SkinnyMessage {
    /// AddOnDeviceCapabilities (0x0159; chan-sccp: ExtensionDeviceCaps), phone to call manager: describes an
    /// add-on module (sidecar, key expansion module) attached to the phone (reference §5.1). Three `u32` whose
    /// meaning no source documents, then `char[152]`: 164 bytes.
    public struct AddOnDeviceCapabilities: SkinnyMessageBody {
        public static let id = SkinnyMessageID.addOnDeviceCapabilities

        /// Size of the text field.
        public static let textSize = 152

        public var unknown1: UInt32
        public var unknown2: UInt32
        public var unknown3: UInt32
        /// Up to 152 bytes.
        public var text: String

        public init(unknown1: UInt32 = 0, unknown2: UInt32 = 0, unknown3: UInt32 = 0, text: String) {
            self.unknown1 = unknown1
            self.unknown2 = unknown2
            self.unknown3 = unknown3
            self.text = text
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.unknown1 = body.u32(at: 0)
            self.unknown2 = body.u32(at: 4)
            self.unknown3 = body.u32(at: 8)
            self.text = body.string(at: 12, size: Self.textSize)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.unknown1)
            buffer.writeSkinnyU32(self.unknown2)
            buffer.writeSkinnyU32(self.unknown3)
            buffer.writeSkinnyString(self.text, size: Self.textSize)
        }
    }
}
