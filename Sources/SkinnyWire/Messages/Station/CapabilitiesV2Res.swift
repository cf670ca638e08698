public import NIOCore

extension SkinnyMessage {
    /// CapabilitiesV2Res (0x0043; chan-sccp: UpdateCapabilitiesV2), phone to call manager: CapabilitiesRes with
    /// video and data capabilities, from newer phones (reference §5.1).
    ///
    /// The fixed layout of `SkinnyMediaCapabilities` with 132-byte video entries (24-byte codec block, room for
    /// H.264): 2000 bytes. Counts above 18 audio, 10 video or 5 data entries throw `countOutOfRange`.
    public struct CapabilitiesV2Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.capabilitiesV2Res

        public var capabilities: SkinnyMediaCapabilities

        public init(capabilities: SkinnyMediaCapabilities) {
            self.capabilities = capabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.capabilities = try SkinnyMediaCapabilities(
                fixedLayoutFrom: body,
                videoParametersSize: SkinnyVideoCapability.longParametersSize,
                messageID: Self.id
            )
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            self.capabilities.encodeFixedLayout(
                into: &buffer,
                videoParametersSize: SkinnyVideoCapability.longParametersSize
            )
        }
    }
}
