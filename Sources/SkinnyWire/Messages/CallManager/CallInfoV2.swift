public import NIOCore

extension SkinnyMessage {
    /// CallInfoV2 (0x014A, chan-sccp "CallInfoDynamic"), call manager to phone: the names and numbers of a call as
    /// variable-length strings (reference §5.2, dynamic messages §3).
    ///
    /// Eight `u32` fields (line, call, call type, the two redirect reasons, call instance, security status,
    /// restriction bits), then NUL-terminated strings, the body zero-padded to 4. Numbers are cut to 24 bytes
    /// (25 from v18), names to 121.
    ///
    /// The string list depends on the version, and the sources disagree below v17 (reference §7 #2):
    ///
    /// - **From v16, 15 strings**: calling, alternate calling, called, original called and last redirecting
    ///   numbers; the four voicemail boxes; the calling, called, original called and last redirecting names; the
    ///   hunt-pilot number and name. This is chan-sccp's list from v16 and Wireshark's from v17. At v16 Wireshark
    ///   expects the first 13 of them, which these are, so both readings agree on everything it shows.
    /// - **Below v16, 12 strings**: chan-sccp's list, the one field-tested phones got: the 15 without the
    ///   alternate calling number and the hunt pilot, names after numbers. Wireshark reads 13 strings there and
    ///   shifts every field after the calling number.
    ///
    /// The reference's safe choice, which the session layer follows, is to send static CallInfo below v16 and this
    /// message from v16; the 12-string form exists so that every version has a defined, tested encoding.
    public struct CallInfoV2: SkinnyMessageBody {
        public static let id = SkinnyMessageID.callInfoV2

        public var lineInstance: UInt32
        public var callReference: UInt32
        public var callType: SkinnyCallType
        public var originalCdpnRedirectReason: UInt32
        public var lastRedirectingReason: UInt32
        /// The 1-based position of the call among the line's calls.
        public var callInstance: UInt32
        public var callSecurityStatus: SkinnyCallSecurityStatus
        public var partyRestrictions: SkinnyPartyRestrictions
        public var callingParty: String
        /// chan-sccp calls it the original calling party. Sent from v16 only.
        public var alternateCallingParty: String
        public var calledParty: String
        public var originalCalledParty: String
        public var lastRedirectingParty: String
        public var cgpnVoiceMailbox: String
        public var cdpnVoiceMailbox: String
        public var originalCdpnVoiceMailbox: String
        public var lastRedirectingVoiceMailbox: String
        public var callingPartyName: String
        public var calledPartyName: String
        public var originalCalledPartyName: String
        public var lastRedirectingPartyName: String
        /// Sent from v16 only.
        public var huntPilotNumber: String
        /// Sent from v16 only.
        public var huntPilotName: String

        public init(
            lineInstance: UInt32,
            callReference: UInt32,
            callType: SkinnyCallType,
            callingParty: String = "",
            callingPartyName: String = "",
            calledParty: String = "",
            calledPartyName: String = "",
            alternateCallingParty: String = "",
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
            huntPilotNumber: String = "",
            huntPilotName: String = "",
            callInstance: UInt32 = 1,
            callSecurityStatus: SkinnyCallSecurityStatus = .unknown,
            partyRestrictions: SkinnyPartyRestrictions = []
        ) {
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.callType = callType
            self.originalCdpnRedirectReason = originalCdpnRedirectReason
            self.lastRedirectingReason = lastRedirectingReason
            self.callInstance = callInstance
            self.callSecurityStatus = callSecurityStatus
            self.partyRestrictions = partyRestrictions
            self.callingParty = callingParty
            self.alternateCallingParty = alternateCallingParty
            self.calledParty = calledParty
            self.originalCalledParty = originalCalledParty
            self.lastRedirectingParty = lastRedirectingParty
            self.cgpnVoiceMailbox = cgpnVoiceMailbox
            self.cdpnVoiceMailbox = cdpnVoiceMailbox
            self.originalCdpnVoiceMailbox = originalCdpnVoiceMailbox
            self.lastRedirectingVoiceMailbox = lastRedirectingVoiceMailbox
            self.callingPartyName = callingPartyName
            self.calledPartyName = calledPartyName
            self.originalCalledPartyName = originalCalledPartyName
            self.lastRedirectingPartyName = lastRedirectingPartyName
            self.huntPilotNumber = huntPilotNumber
            self.huntPilotName = huntPilotName
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var body = body
            self.lineInstance = body.readU32()
            self.callReference = body.readU32()
            self.callType = SkinnyCallType(rawValue: body.readU32())
            self.originalCdpnRedirectReason = body.readU32()
            self.lastRedirectingReason = body.readU32()
            self.callInstance = body.readU32()
            self.callSecurityStatus = SkinnyCallSecurityStatus(rawValue: body.readU32())
            self.partyRestrictions = SkinnyPartyRestrictions(rawValue: body.readU32())
            let full = Self.hasFullStringList(version)
            let number = version.directoryNumberSize
            let name = SkinnyLimits.dynamicNameLength
            self.callingParty = body.readCString(maximumLength: number)
            self.alternateCallingParty = full ? body.readCString(maximumLength: number) : ""
            self.calledParty = body.readCString(maximumLength: number)
            self.originalCalledParty = body.readCString(maximumLength: number)
            self.lastRedirectingParty = body.readCString(maximumLength: number)
            self.cgpnVoiceMailbox = body.readCString(maximumLength: number)
            self.cdpnVoiceMailbox = body.readCString(maximumLength: number)
            self.originalCdpnVoiceMailbox = body.readCString(maximumLength: number)
            self.lastRedirectingVoiceMailbox = body.readCString(maximumLength: number)
            self.callingPartyName = body.readCString(maximumLength: name)
            self.calledPartyName = body.readCString(maximumLength: name)
            self.originalCalledPartyName = body.readCString(maximumLength: name)
            self.lastRedirectingPartyName = body.readCString(maximumLength: name)
            self.huntPilotNumber = full ? body.readCString(maximumLength: number) : ""
            self.huntPilotName = full ? body.readCString(maximumLength: name) : ""
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.callType.rawValue)
            buffer.writeSkinnyU32(self.originalCdpnRedirectReason)
            buffer.writeSkinnyU32(self.lastRedirectingReason)
            buffer.writeSkinnyU32(self.callInstance)
            buffer.writeSkinnyU32(self.callSecurityStatus.rawValue)
            buffer.writeSkinnyU32(self.partyRestrictions.rawValue)
            let full = Self.hasFullStringList(version)
            let number = version.directoryNumberSize
            let name = SkinnyLimits.dynamicNameLength
            buffer.writeSkinnyCString(self.callingParty, maximumLength: number)
            if full {
                buffer.writeSkinnyCString(self.alternateCallingParty, maximumLength: number)
            }
            buffer.writeSkinnyCString(self.calledParty, maximumLength: number)
            buffer.writeSkinnyCString(self.originalCalledParty, maximumLength: number)
            buffer.writeSkinnyCString(self.lastRedirectingParty, maximumLength: number)
            buffer.writeSkinnyCString(self.cgpnVoiceMailbox, maximumLength: number)
            buffer.writeSkinnyCString(self.cdpnVoiceMailbox, maximumLength: number)
            buffer.writeSkinnyCString(self.originalCdpnVoiceMailbox, maximumLength: number)
            buffer.writeSkinnyCString(self.lastRedirectingVoiceMailbox, maximumLength: number)
            buffer.writeSkinnyCString(self.callingPartyName, maximumLength: name)
            buffer.writeSkinnyCString(self.calledPartyName, maximumLength: name)
            buffer.writeSkinnyCString(self.originalCalledPartyName, maximumLength: name)
            buffer.writeSkinnyCString(self.lastRedirectingPartyName, maximumLength: name)
            if full {
                buffer.writeSkinnyCString(self.huntPilotNumber, maximumLength: number)
                buffer.writeSkinnyCString(self.huntPilotName, maximumLength: name)
            }
            buffer.padSkinnyBody(from: start)
        }

        /// Whether `version` uses the 15-string list (from v16) rather than the 12-string one.
        public static func hasFullStringList(_ version: SkinnyProtocolVersion) -> Bool {
            version.rawValue >= 16
        }
    }
}
