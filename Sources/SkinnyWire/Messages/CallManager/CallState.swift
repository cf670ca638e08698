public import NIOCore

extension SkinnyMessage {
    /// CallState (0x0111), call manager to phone: the state of one call on one line (reference §5.2). 24 bytes.
    public struct CallState: SkinnyMessageBody {
        public static let id = SkinnyMessageID.callState

        public var callState: SkinnyCallState
        public var lineInstance: UInt32
        public var callReference: UInt32
        /// 0 none, 1 limited, 2 full.
        public var privacy: UInt32
        /// MLPP precedence level; CUCM always sent 4, "routine" (reference §5.2).
        public var precedenceLevel: UInt32
        public var precedenceDomain: UInt32

        public init(
            _ callState: SkinnyCallState,
            lineInstance: UInt32,
            callReference: UInt32,
            privacy: UInt32 = 0,
            precedenceLevel: UInt32 = 4,
            precedenceDomain: UInt32 = 0
        ) {
            self.callState = callState
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.privacy = privacy
            self.precedenceLevel = precedenceLevel
            self.precedenceDomain = precedenceDomain
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.callState = SkinnyCallState(rawValue: body.u32(at: 0))
            self.lineInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.privacy = body.u32(at: 12)
            self.precedenceLevel = body.u32(at: 16)
            self.precedenceDomain = body.u32(at: 20)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.callState.rawValue)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.privacy)
            buffer.writeSkinnyU32(self.precedenceLevel)
            buffer.writeSkinnyU32(self.precedenceDomain)
        }
    }
}
