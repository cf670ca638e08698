public import NIOCore

extension SkinnyMessage {
    /// ConfigStatRes (0x0093), call manager to phone: the device's identity and how many lines and speed dials it
    /// has, answering ConfigStatReq (reference §5.2). 112 bytes.
    public struct ConfigStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.configStatRes

        /// "SEP" and the MAC address, as the phone registered.
        public var deviceName: String
        public var userID: UInt32
        public var instance: UInt32
        /// At most 40 bytes on the wire.
        public var userName: String
        /// The call manager's name; at most 40 bytes on the wire.
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
            self.deviceName = body.string(at: 0, size: 16)
            self.userID = body.u32(at: 16)
            self.instance = body.u32(at: 20)
            self.userName = body.string(at: 24, size: 40)
            self.serverName = body.string(at: 64, size: 40)
            self.numberOfLines = body.u32(at: 104)
            self.numberOfSpeedDials = body.u32(at: 108)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.deviceName, size: 16)
            buffer.writeSkinnyU32(self.userID)
            buffer.writeSkinnyU32(self.instance)
            buffer.writeSkinnyString(self.userName, size: 40)
            buffer.writeSkinnyString(self.serverName, size: 40)
            buffer.writeSkinnyU32(self.numberOfLines)
            buffer.writeSkinnyU32(self.numberOfSpeedDials)
        }
    }
}
