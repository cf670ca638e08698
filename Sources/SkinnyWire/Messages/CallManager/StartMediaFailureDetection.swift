public import NIOCore

extension SkinnyMessage {
    /// StartMediaFailureDetection (0x011C), call manager to phone: watch a receive stream for loss of media
    /// (reference §5.2: the first seven fields of OpenReceiveChannel). 28 bytes at every version. Rare.
    public struct StartMediaFailureDetection: SkinnyMessageBody {
        public static let id = SkinnyMessageID.startMediaFailureDetection

        public var conferenceID: UInt32
        public var passThroughPartyID: UInt32
        /// Milliseconds of audio per packet.
        public var packetSize: UInt32
        public var codec: SkinnyCodec
        public var echoCancellation: Bool
        public var codecParameters: SkinnyCodecParameters
        public var callReference: UInt32

        public init(
            conferenceID: UInt32,
            passThroughPartyID: UInt32,
            packetSize: UInt32,
            codec: SkinnyCodec,
            echoCancellation: Bool = false,
            codecParameters: SkinnyCodecParameters = .none,
            callReference: UInt32
        ) {
            self.conferenceID = conferenceID
            self.passThroughPartyID = passThroughPartyID
            self.packetSize = packetSize
            self.codec = codec
            self.echoCancellation = echoCancellation
            self.codecParameters = codecParameters
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.conferenceID = body.u32(at: 0)
            self.passThroughPartyID = body.u32(at: 4)
            self.packetSize = body.u32(at: 8)
            self.codec = SkinnyCodec(rawValue: body.u32(at: 12))
            self.echoCancellation = body.u32(at: 16) != 0
            self.codecParameters = SkinnyCodecParameters(rawValue: body.u32(at: 20))
            self.callReference = body.u32(at: 24)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.passThroughPartyID)
            buffer.writeSkinnyU32(self.packetSize)
            buffer.writeSkinnyU32(self.codec.rawValue)
            buffer.writeSkinnyU32(self.echoCancellation ? 1 : 0)
            buffer.writeSkinnyU32(self.codecParameters.rawValue)
            buffer.writeSkinnyU32(self.callReference)
        }
    }
}
