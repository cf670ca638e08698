public import NIOCore

extension SkinnyMessage {
    /// ForwardStatRes (0x0090), call manager to phone: a line's call-forward settings, answering ForwardStatReq
    /// (reference §5.2).
    ///
    /// Up to v17: 92 bytes, numbers `char[24]` at 12, 40 and 68, flags at 8, 36 and 64. From v18 the numbers are
    /// `char[25]` at 12, 41 and 70 and the busy and no-answer flags follow them unaligned, at 37 and 66 (95 bytes);
    /// Strowger pads that body with one NUL to 96 bytes, as chan-sccp pads every message to 4 (reference §1).
    public struct ForwardStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.forwardStatRes

        /// Non-zero when any forward is active (chan-sccp sends 1).
        public var activeForward: UInt32
        /// The line instance the phone asked for.
        public var lineNumber: UInt32
        /// 0 inactive; chan-sccp sends 1 below v18 and 2 from v18, copied from captures (`activeFlag(for:)`).
        public var forwardAllActive: UInt32
        public var forwardAllNumber: String
        public var forwardBusyActive: UInt32
        public var forwardBusyNumber: String
        public var forwardNoAnswerActive: UInt32
        public var forwardNoAnswerNumber: String

        public init(
            activeForward: UInt32,
            lineNumber: UInt32,
            forwardAllActive: UInt32 = 0,
            forwardAllNumber: String = "",
            forwardBusyActive: UInt32 = 0,
            forwardBusyNumber: String = "",
            forwardNoAnswerActive: UInt32 = 0,
            forwardNoAnswerNumber: String = ""
        ) {
            self.activeForward = activeForward
            self.lineNumber = lineNumber
            self.forwardAllActive = forwardAllActive
            self.forwardAllNumber = forwardAllNumber
            self.forwardBusyActive = forwardBusyActive
            self.forwardBusyNumber = forwardBusyNumber
            self.forwardNoAnswerActive = forwardNoAnswerActive
            self.forwardNoAnswerNumber = forwardNoAnswerNumber
        }

        /// The forwards of `lineNumber` as they are sent to a phone at `version`: `nil` is an inactive forward.
        public init(
            lineNumber: UInt32,
            forwardAll: String? = nil,
            forwardBusy: String? = nil,
            forwardNoAnswer: String? = nil,
            version: SkinnyProtocolVersion
        ) {
            let active = Self.activeFlag(for: version)
            self.init(
                activeForward: forwardAll != nil || forwardBusy != nil || forwardNoAnswer != nil ? 1 : 0,
                lineNumber: lineNumber,
                forwardAllActive: forwardAll != nil ? active : 0,
                forwardAllNumber: forwardAll ?? "",
                forwardBusyActive: forwardBusy != nil ? active : 0,
                forwardBusyNumber: forwardBusy ?? "",
                forwardNoAnswerActive: forwardNoAnswer != nil ? active : 0,
                forwardNoAnswerNumber: forwardNoAnswer ?? ""
            )
        }

        /// The value of an active forward's flag at `version`: 1, or 2 from v18 (chan-sccp, from captures).
        public static func activeFlag(for version: SkinnyProtocolVersion) -> UInt32 {
            version.usesLongDirectoryNumbers ? 2 : 1
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let size = version.directoryNumberSize
            self.activeForward = body.u32(at: 0)
            self.lineNumber = body.u32(at: 4)
            self.forwardAllActive = body.u32(at: 8)
            self.forwardAllNumber = body.string(at: 12, size: size)
            self.forwardBusyActive = body.u32(at: 12 + size)
            self.forwardBusyNumber = body.string(at: 16 + size, size: size)
            self.forwardNoAnswerActive = body.u32(at: 16 + 2 * size)
            self.forwardNoAnswerNumber = body.string(at: 20 + 2 * size, size: size)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let size = version.directoryNumberSize
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.activeForward)
            buffer.writeSkinnyU32(self.lineNumber)
            buffer.writeSkinnyU32(self.forwardAllActive)
            buffer.writeSkinnyString(self.forwardAllNumber, size: size)
            buffer.writeSkinnyU32(self.forwardBusyActive)
            buffer.writeSkinnyString(self.forwardBusyNumber, size: size)
            buffer.writeSkinnyU32(self.forwardNoAnswerActive)
            buffer.writeSkinnyString(self.forwardNoAnswerNumber, size: size)
            buffer.padSkinnyBody(from: start)
        }
    }
}
