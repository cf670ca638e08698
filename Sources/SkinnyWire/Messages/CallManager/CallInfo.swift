public import NIOCore

extension SkinnyMessage {
    /// CallInfo (0x008F), call manager to phone: the names and numbers of a call, with fixed-size fields
    /// (reference §5.2). 384 bytes at every version.
    ///
    /// chan-sccp sends it to phones below v8 and CallInfoV2 from there (reference §8 note 2). Numbers are
    /// `char[24]`, names `char[40]`; longer text is cut. Very old call managers sent shorter bodies (CallManager 2.x:
    /// 128 bytes, the first four fields); the rest then reads as empty or zero.
    public struct CallInfo: SkinnyMessageBody {
        public static let id = SkinnyMessageID.callInfo
        /// Size of a number field.
        public static let numberSize = 24
        /// Size of a name field.
        public static let nameSize = 40

        public var callingPartyName: String
        public var callingParty: String
        public var calledPartyName: String
        public var calledParty: String
        public var lineInstance: UInt32
        public var callReference: UInt32
        public var callType: SkinnyCallType
        public var originalCalledPartyName: String
        public var originalCalledParty: String
        public var lastRedirectingPartyName: String
        public var lastRedirectingParty: String
        public var originalCdpnRedirectReason: UInt32
        public var lastRedirectingReason: UInt32
        public var cgpnVoiceMailbox: String
        public var cdpnVoiceMailbox: String
        public var originalCdpnVoiceMailbox: String
        public var lastRedirectingVoiceMailbox: String
        /// The 1-based position of the call among the line's calls.
        public var callInstance: UInt32
        public var callSecurityStatus: SkinnyCallSecurityStatus
        public var partyRestrictions: SkinnyPartyRestrictions

        public init(
            lineInstance: UInt32,
            callReference: UInt32,
            callType: SkinnyCallType,
            callingParty: String = "",
            callingPartyName: String = "",
            calledParty: String = "",
            calledPartyName: String = "",
            originalCalledParty: String = "",
            originalCalledPartyName: String = "",
            lastRedirectingParty: String = "",
            lastRedirectingPartyName: String = "",
            originalCdpnRedirectReason: UInt32 = 0,
            lastRedirectingReason: UInt32 = 0,
            cgpnVoiceMailbox: String = "",
            cdpnVoiceMailbox: String = "",
            originalCdpnVoiceMailbox: String = "",
            lastRedirectingVoiceMailbox: String = "",
            callInstance: UInt32 = 1,
            callSecurityStatus: SkinnyCallSecurityStatus = .unknown,
            partyRestrictions: SkinnyPartyRestrictions = []
        ) {
            self.callingPartyName = callingPartyName
            self.callingParty = callingParty
            self.calledPartyName = calledPartyName
            self.calledParty = calledParty
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.callType = callType
            self.originalCalledPartyName = originalCalledPartyName
            self.originalCalledParty = originalCalledParty
            self.lastRedirectingPartyName = lastRedirectingPartyName
            self.lastRedirectingParty = lastRedirectingParty
            self.originalCdpnRedirectReason = originalCdpnRedirectReason
            self.lastRedirectingReason = lastRedirectingReason
            self.cgpnVoiceMailbox = cgpnVoiceMailbox
            self.cdpnVoiceMailbox = cdpnVoiceMailbox
            self.originalCdpnVoiceMailbox = originalCdpnVoiceMailbox
            self.lastRedirectingVoiceMailbox = lastRedirectingVoiceMailbox
            self.callInstance = callInstance
            self.callSecurityStatus = callSecurityStatus
            self.partyRestrictions = partyRestrictions
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.callingPartyName = body.string(at: 0, size: Self.nameSize)
            self.callingParty = body.string(at: 40, size: Self.numberSize)
            self.calledPartyName = body.string(at: 64, size: Self.nameSize)
            self.calledParty = body.string(at: 104, size: Self.numberSize)
            self.lineInstance = body.u32(at: 128)
            self.callReference = body.u32(at: 132)
            self.callType = SkinnyCallType(rawValue: body.u32(at: 136))
            self.originalCalledPartyName = body.string(at: 140, size: Self.nameSize)
            self.originalCalledParty = body.string(at: 180, size: Self.numberSize)
            self.lastRedirectingPartyName = body.string(at: 204, size: Self.nameSize)
            self.lastRedirectingParty = body.string(at: 244, size: Self.numberSize)
            self.originalCdpnRedirectReason = body.u32(at: 268)
            self.lastRedirectingReason = body.u32(at: 272)
            self.cgpnVoiceMailbox = body.string(at: 276, size: Self.numberSize)
            self.cdpnVoiceMailbox = body.string(at: 300, size: Self.numberSize)
            self.originalCdpnVoiceMailbox = body.string(at: 324, size: Self.numberSize)
            self.lastRedirectingVoiceMailbox = body.string(at: 348, size: Self.numberSize)
            self.callInstance = body.u32(at: 372)
            self.callSecurityStatus = SkinnyCallSecurityStatus(rawValue: body.u32(at: 376))
            self.partyRestrictions = SkinnyPartyRestrictions(rawValue: body.u32(at: 380))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.callingPartyName, size: Self.nameSize)
            buffer.writeSkinnyString(self.callingParty, size: Self.numberSize)
            buffer.writeSkinnyString(self.calledPartyName, size: Self.nameSize)
            buffer.writeSkinnyString(self.calledParty, size: Self.numberSize)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.callType.rawValue)
            buffer.writeSkinnyString(self.originalCalledPartyName, size: Self.nameSize)
            buffer.writeSkinnyString(self.originalCalledParty, size: Self.numberSize)
            buffer.writeSkinnyString(self.lastRedirectingPartyName, size: Self.nameSize)
            buffer.writeSkinnyString(self.lastRedirectingParty, size: Self.numberSize)
            buffer.writeSkinnyU32(self.originalCdpnRedirectReason)
            buffer.writeSkinnyU32(self.lastRedirectingReason)
            buffer.writeSkinnyString(self.cgpnVoiceMailbox, size: Self.numberSize)
            buffer.writeSkinnyString(self.cdpnVoiceMailbox, size: Self.numberSize)
            buffer.writeSkinnyString(self.originalCdpnVoiceMailbox, size: Self.numberSize)
            buffer.writeSkinnyString(self.lastRedirectingVoiceMailbox, size: Self.numberSize)
            buffer.writeSkinnyU32(self.callInstance)
            buffer.writeSkinnyU32(self.callSecurityStatus.rawValue)
            buffer.writeSkinnyU32(self.partyRestrictions.rawValue)
        }
    }
}
