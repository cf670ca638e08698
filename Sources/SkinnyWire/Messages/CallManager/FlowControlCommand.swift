public import NIOCore

extension SkinnyMessage {
    /// FlowControlCommand (0x0135), call manager to phone: cap the bit rate of a video stream (message-layouts).
    /// 16 bytes.
    public struct FlowControlCommand: SkinnyMessageBody {
        public static let id = SkinnyMessageID.flowControlCommand

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        public var callReference: UInt32
        /// The highest bit rate the stream may use.
        public var maximumBitRate: UInt32

        public init(conferenceID: UInt32, passThroughPartyID: UInt32, callReference: UInt32, maximumBitRate: UInt32) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.callReference = callReference
            self.maximumBitRate = maximumBitRate
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.maximumBitRate = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.maximumBitRate)
        }
    }
}
