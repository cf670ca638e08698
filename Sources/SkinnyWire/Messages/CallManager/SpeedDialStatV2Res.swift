public import NIOCore

extension SkinnyMessage {
    /// SpeedDialStatV2Res (0x0149), call manager to phone: SpeedDialStatRes with variable-length strings.
    ///
    /// Wireshark lays it out as `u32 speedDialNumber`, `cstr directoryNumber`, `cstr displayName`, padded to 4 bytes;
    /// that is what `encode` writes. chan-sccp defines it with SpeedDialStatRes's fixed fields (reference §7 #5), so
    /// a body that the dynamic reading leaves four or more bytes of is read with the fixed offsets. Prefer
    /// SpeedDialStatRes (0x0091).
    public struct SpeedDialStatV2Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.speedDialStatV2Res

        /// Size of chan-sccp's fixed form, the same as SpeedDialStatRes.
        static let fixedSize = 68

        public var speedDialNumber: UInt32
        /// At most 24 bytes, 25 from v18.
        public var directoryNumber: String
        /// At most 121 bytes.
        public var displayName: String

        public init(speedDialNumber: UInt32, directoryNumber: String, displayName: String) {
            self.speedDialNumber = speedDialNumber
            self.directoryNumber = directoryNumber
            self.displayName = displayName
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var reader = body
            let speedDialNumber = reader.readU32()
            let directoryNumber = reader.readCString(maximumLength: version.directoryNumberSize)
            let displayName = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
            self.speedDialNumber = speedDialNumber
            if body.looksFixed(cursor: reader.cursor, fixedSize: Self.fixedSize) {
                self.directoryNumber = body.string(at: 4, size: 24)
                self.displayName = body.string(at: 28, size: 40)
            } else {
                self.directoryNumber = directoryNumber
                self.displayName = displayName
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.speedDialNumber)
            buffer.writeSkinnyCString(self.directoryNumber, maximumLength: version.directoryNumberSize)
            buffer.writeSkinnyCString(self.displayName, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
