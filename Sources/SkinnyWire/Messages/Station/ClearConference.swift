public import NIOCore

extension SkinnyMessage {
    /// ClearConference (0x0032), device to call manager: a conference on the device has ended (message-layouts
    /// 0x0032). 8 bytes.
    public struct ClearConference: SkinnyMessageBody {
        public static let id = SkinnyMessageID.clearConference

        public var conferenceID: UInt32
        public var serviceNumber: UInt32

        public init(conferenceID: UInt32, serviceNumber: UInt32 = 0) {
            self.conferenceID = conferenceID
            self.serviceNumber = serviceNumber
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.serviceNumber = body.u32(at: 4)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.serviceNumber)
        }
    }
}
