public import NIOCore

extension SkinnyMessage {
    /// CapabilitiesV3Res (0x0044; chan-sccp: UpdateCapabilitiesV3), phone to call manager: the packed form of
    /// CapabilitiesV2Res, in which every array holds only its `count` entries (reference §3, §5.1).
    ///
    /// The compact layout of `SkinnyMediaCapabilities`: video entries carry an encryption capability, a 24-byte
    /// codec block and an IP addressing mode; data entries an encryption capability. Wireshark's description lists
    /// `ipAddressingMode` a second time from header version 16 and chan-sccp's struct has it once; this codec
    /// follows chan-sccp at every version. Counts above their arrays' capacity throw `countOutOfRange`.
    public struct CapabilitiesV3Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.capabilitiesV3Res

        public var capabilities: SkinnyMediaCapabilities

        public init(capabilities: SkinnyMediaCapabilities) {
            self.capabilities = capabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.capabilities = try SkinnyMediaCapabilities(compactLayoutFrom: body, messageID: Self.id)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            self.capabilities.encodeCompactLayout(into: &buffer)
        }
    }
}
