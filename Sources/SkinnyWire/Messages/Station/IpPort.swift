public import NIOCore

extension SkinnyMessage {
    /// IpPort (0x0002), phone to call manager: the UDP port the phone receives RTP on (reference §5.1). 4 bytes.
    ///
    /// Legacy: CallManager 2.x-era clients sent it right after Register; newer phones give the port in
    /// OpenReceiveChannelAck instead.
    public struct IpPort: SkinnyMessageBody {
        public static let id = SkinnyMessageID.ipPort

        public var rtpMediaPort: UInt32

        public init(rtpMediaPort: UInt32) {
            self.rtpMediaPort = rtpMediaPort
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.rtpMediaPort = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.rtpMediaPort)
        }
    }
}
