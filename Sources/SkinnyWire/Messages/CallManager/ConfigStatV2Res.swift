public import NIOCore

extension SkinnyMessage {
    /// ConfigStatV2Res (0x0142), call manager to phone: ConfigStatRes with variable-length strings.
    ///
    /// Wireshark lays it out as `cstr deviceName`, `u32 userId`, `u32 instance`, `u32 numberOfLines`,
    /// `u32 numberOfSpeedDials`, `cstr userName`, `cstr serverName`, padded to 4 bytes; that is what `encode` writes.
    /// chan-sccp instead defines it with ConfigStatRes's fixed fields (40-byte names, or 121-byte names in older
    /// releases), and the two disagree on the order (reference §7 #5). Decoding therefore accepts both: a body
    /// that the dynamic reading leaves four or more bytes of is read with the fixed offsets. Prefer ConfigStatRes
    /// (0x0093), which every phone understands.
    public struct ConfigStatV2Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.configStatV2Res

        /// Size of chan-sccp's fixed form with 40-byte names: the same as ConfigStatRes.
        static let fixedSize = 112
        /// Size of chan-sccp's fixed form with 121-byte names.
        static let fixedSizeWithDynamicNames = 16 + 8 + 2 * SkinnyLimits.dynamicNameLength + 8

        public var deviceName: String
        public var userID: UInt32
        public var instance: UInt32
        public var userName: String
        public var serverName: String
        public var numberOfLines: UInt32
        public var numberOfSpeedDials: UInt32

        public init(
            deviceName: String,
            userID: UInt32 = 0,
            instance: UInt32 = 1,
            userName: String = "",
            serverName: String,
            numberOfLines: UInt32,
            numberOfSpeedDials: UInt32
        ) {
            self.deviceName = deviceName
            self.userID = userID
            self.instance = instance
            self.userName = userName
            self.serverName = serverName
            self.numberOfLines = numberOfLines
            self.numberOfSpeedDials = numberOfSpeedDials
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var reader = body
            let deviceName = reader.readCString(maximumLength: 16)
            let userID = reader.readU32()
            let instance = reader.readU32()
            let numberOfLines = reader.readU32()
            let numberOfSpeedDials = reader.readU32()
            let userName = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
            let serverName = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
            if body.looksFixed(cursor: reader.cursor, fixedSize: Self.fixedSize) {
                let nameSize = body.count >= Self.fixedSizeWithDynamicNames ? SkinnyLimits.dynamicNameLength : 40
                self.deviceName = body.string(at: 0, size: 16)
                self.userID = body.u32(at: 16)
                self.instance = body.u32(at: 20)
                self.userName = body.string(at: 24, size: nameSize)
                self.serverName = body.string(at: 24 + nameSize, size: nameSize)
                self.numberOfLines = body.u32(at: 24 + 2 * nameSize)
                self.numberOfSpeedDials = body.u32(at: 28 + 2 * nameSize)
            } else {
                self.deviceName = deviceName
                self.userID = userID
                self.instance = instance
                self.userName = userName
                self.serverName = serverName
                self.numberOfLines = numberOfLines
                self.numberOfSpeedDials = numberOfSpeedDials
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyCString(self.deviceName, maximumLength: 16)
            buffer.writeSkinnyU32(self.userID)
            buffer.writeSkinnyU32(self.instance)
            buffer.writeSkinnyU32(self.numberOfLines)
            buffer.writeSkinnyU32(self.numberOfSpeedDials)
            buffer.writeSkinnyCString(self.userName, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.writeSkinnyCString(self.serverName, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
