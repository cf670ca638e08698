public import NIOCore

extension SkinnyMessage {
    /// SpeedDialStatRes (0x0091), call manager to phone: one speed dial's number and name, answering
    /// SpeedDialStatReq (reference §5.2). 68 bytes.
    public struct SpeedDialStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.speedDialStatRes

        /// The speed-dial instance the phone asked for.
        public var speedDialNumber: UInt32
        /// At most 24 bytes on the wire.
        public var directoryNumber: String
        /// At most 40 bytes on the wire.
        public var displayName: String

        public init(speedDialNumber: UInt32, directoryNumber: String, displayName: String) {
            self.speedDialNumber = speedDialNumber
            self.directoryNumber = directoryNumber
            self.displayName = displayName
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.speedDialNumber = body.u32(at: 0)
            self.directoryNumber = body.string(at: 4, size: 24)
            self.displayName = body.string(at: 28, size: 40)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.speedDialNumber)
            buffer.writeSkinnyString(self.directoryNumber, size: 24)
            buffer.writeSkinnyString(self.displayName, size: 40)
        }
    }
}
