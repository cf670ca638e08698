public import NIOCore

extension SkinnyMessage {
    /// CallHistoryInfo (0x0156), call manager to phone: which call-history list a call belongs in (reference §5.2).
    /// 12 bytes.
    public struct CallHistoryInfo: SkinnyMessageBody {
        public static let id = SkinnyMessageID.callHistoryInfo

        public var disposition: SkinnyCallHistoryDisposition
        public var lineInstance: UInt32
        public var callReference: UInt32

        public init(_ disposition: SkinnyCallHistoryDisposition, lineInstance: UInt32, callReference: UInt32) {
            self.disposition = disposition
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.disposition = SkinnyCallHistoryDisposition(rawValue: body.u32(at: 0))
            self.lineInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.disposition.rawValue)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
