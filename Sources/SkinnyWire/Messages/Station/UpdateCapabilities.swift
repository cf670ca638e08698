public import NIOCore

extension SkinnyMessage {
    /// UpdateCapabilities (0x0030), phone to call manager: the phone's audio, video and data capabilities, sent
    /// unsolicited (e.g. when a camera is plugged in) or in answer to CapabilitiesReq (reference §5.1).
    ///
    /// The fixed layout of `SkinnyMediaCapabilities` with 116-byte video entries (8-byte codec block): 1840 bytes,
    /// as a 7970 sent it. Counts above 18 audio, 10 video or 5 data entries throw `countOutOfRange`.
    public struct UpdateCapabilities: SkinnyMessageBody {
        public static let id = SkinnyMessageID.updateCapabilities

        public var capabilities: SkinnyMediaCapabilities

        public init(capabilities: SkinnyMediaCapabilities) {
            self.capabilities = capabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.capabilities = try SkinnyMediaCapabilities(
                fixedLayoutFrom: body,
                videoParametersSize: SkinnyVideoCapability.shortParametersSize,
                messageID: Self.id
            )
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            self.capabilities.encodeFixedLayout(
                into: &buffer,
                videoParametersSize: SkinnyVideoCapability.shortParametersSize
            )
        }
    }
}
