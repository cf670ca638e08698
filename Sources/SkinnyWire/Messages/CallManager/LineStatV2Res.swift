public import NIOCore

extension SkinnyMessage {
    /// LineStatV2Res (0x0147), call manager to phone: LineStatRes with variable-length strings, which chan-sccp
    /// sends from v17 (reference §5.2, §8 note 2): `u32 lineNumber`, `u32 lineType`, then `cstr directoryNumber`,
    /// `cstr fullyQualifiedDisplayName`, `cstr textLabel`, padded to 4 bytes.
    public struct LineStatV2Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.lineStatV2Res

        public var lineNumber: UInt32
        /// The same bits as LineStatRes.displayOptions; chan-sccp leaves it 0.
        public var lineType: UInt32
        /// At most 24 bytes, 25 from v18.
        public var directoryNumber: String
        /// At most 121 bytes.
        public var fullyQualifiedDisplayName: String
        /// At most 121 bytes.
        public var textLabel: String

        public init(
            lineNumber: UInt32,
            lineType: UInt32 = 0,
            directoryNumber: String,
            fullyQualifiedDisplayName: String = "",
            textLabel: String = ""
        ) {
            self.lineNumber = lineNumber
            self.lineType = lineType
            self.directoryNumber = directoryNumber
            self.fullyQualifiedDisplayName = fullyQualifiedDisplayName
            self.textLabel = textLabel
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var reader = body
            self.lineNumber = reader.readU32()
            self.lineType = reader.readU32()
            self.directoryNumber = reader.readCString(maximumLength: version.directoryNumberSize)
            self.fullyQualifiedDisplayName = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
            self.textLabel = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.lineNumber)
            buffer.writeSkinnyU32(self.lineType)
            buffer.writeSkinnyCString(self.directoryNumber, maximumLength: version.directoryNumberSize)
            buffer.writeSkinnyCString(self.fullyQualifiedDisplayName, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.writeSkinnyCString(self.textLabel, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
