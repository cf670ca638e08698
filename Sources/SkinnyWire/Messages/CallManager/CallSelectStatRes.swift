public import NIOCore

extension SkinnyMessage {
    /// CallSelectStatRes (0x0130), call manager to phone: whether a call is selected (the Select softkey, for
    /// joining or transferring selected calls; message-layouts). 12 bytes; note the order: status, call, line.
    public struct CallSelectStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.callSelectStatRes

        /// 1 selected, 0 not selected (chan-sccp).
        public var callSelectStat: UInt32
        public var callReference: UInt32
        public var lineInstance: UInt32

        public init(callSelectStat: UInt32, callReference: UInt32, lineInstance: UInt32) {
            self.callSelectStat = callSelectStat
            self.callReference = callReference
            self.lineInstance = lineInstance
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.callSelectStat = body.u32(at: 0)
            self.callReference = body.u32(at: 4)
            self.lineInstance = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.callSelectStat)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.lineInstance)
        }
    }
}
