public import NIOCore

extension SkinnyMessage {
    /// OffHookWithCallingPartyNumber (0x0024), phone to call manager: off hook, naming the calling number to use
    /// (reference §5.1; chan-sccp: OffHookMessageWithCallingParty).
    ///
    /// - v17 and below, 52 bytes: `char[24] callingPartyNumber`, `char[24] cgpnVoiceMailbox` at 24,
    ///   `u32 lineInstance` at 48.
    /// - v18 and above, 54 bytes packed: `char[25]` numbers at 0 and 25, `u32 lineInstance` at 50. This encoder
    ///   pads the body to 56 bytes, as EnblocCall is padded.
    public struct OffHookWithCallingPartyNumber: SkinnyMessageBody {
        public static let id = SkinnyMessageID.offHookWithCallingPartyNumber

        public var callingPartyNumber: String
        public var callingPartyVoiceMailbox: String
        public var lineInstance: UInt32

        public init(callingPartyNumber: String, callingPartyVoiceMailbox: String = "", lineInstance: UInt32) {
            self.callingPartyNumber = callingPartyNumber
            self.callingPartyVoiceMailbox = callingPartyVoiceMailbox
            self.lineInstance = lineInstance
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let size = version.directoryNumberSize
            self.callingPartyNumber = body.string(at: 0, size: size)
            self.callingPartyVoiceMailbox = body.string(at: size, size: size)
            self.lineInstance = body.u32(at: 2 * size)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            let size = version.directoryNumberSize
            buffer.writeSkinnyString(self.callingPartyNumber, size: size)
            buffer.writeSkinnyString(self.callingPartyVoiceMailbox, size: size)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.padSkinnyBody(from: start)
        }
    }
}
