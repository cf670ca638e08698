public import NIOCore

extension SkinnyMessage {
    /// CapabilitiesRes (0x0010), phone to call manager: the audio codecs the phone supports, in answer to
    /// CapabilitiesReq (reference §5.1).
    ///
    /// `u32 count` then `struct[18]` of 16-byte entries, of which the first `count` are used: 292 bytes. A count
    /// above 18 is the bug class of CVE-2007-4280 and throws `countOutOfRange`.
    public struct CapabilitiesRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.capabilitiesRes

        /// At most 18 (`SkinnyLimits.maximumCapabilities`); more are cut when encoding.
        public var capabilities: [SkinnyAudioCapability]

        public init(capabilities: [SkinnyAudioCapability]) {
            self.capabilities = capabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            let count = body.u32(at: 0)
            guard count <= SkinnyLimits.maximumCapabilities else {
                throw .countOutOfRange(
                    "capCount",
                    count: count,
                    maximum: SkinnyLimits.maximumCapabilities,
                    messageID: Self.id,
                    body: body.body
                )
            }
            self.capabilities = (0..<Int(count)).map { 4 + $0 * SkinnyAudioCapability.size }
                .filter { body.has(1, at: $0) }
                .map { SkinnyAudioCapability(from: body, at: $0) }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let capabilities = self.capabilities.prefix(SkinnyLimits.maximumCapabilities)
            buffer.writeSkinnyU32(UInt32(capabilities.count))
            for capability in capabilities {
                capability.encode(into: &buffer)
            }
            buffer.writeRepeatingByte(
                0,
                count: (SkinnyLimits.maximumCapabilities - capabilities.count) * SkinnyAudioCapability.size
            )
        }
    }
}
