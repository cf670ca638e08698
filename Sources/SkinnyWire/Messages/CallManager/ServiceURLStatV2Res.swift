public import NIOCore

extension SkinnyMessage {
    /// ServiceURLStatV2Res (0x0148), call manager to phone: ServiceURLStatRes with variable-length strings, which
    /// chan-sccp sends to phones from v7: `u32 serviceURLIndex`, `cstr url`, `cstr displayName`, padded to 4 bytes.
    ///
    /// Wireshark decodes only the index (reference §5.2).
    public struct ServiceURLStatV2Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.serviceURLStatV2Res

        /// Longest URL, the size of ServiceURLStatRes's field.
        static let maximumURLLength = 256

        public var serviceURLIndex: UInt32
        /// At most 256 bytes.
        public var url: String
        /// At most 121 bytes.
        public var displayName: String

        public init(serviceURLIndex: UInt32, url: String, displayName: String) {
            self.serviceURLIndex = serviceURLIndex
            self.url = url
            self.displayName = displayName
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var reader = body
            self.serviceURLIndex = reader.readU32()
            self.url = reader.readCString(maximumLength: Self.maximumURLLength)
            self.displayName = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.serviceURLIndex)
            buffer.writeSkinnyCString(self.url, maximumLength: Self.maximumURLLength)
            buffer.writeSkinnyCString(self.displayName, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
