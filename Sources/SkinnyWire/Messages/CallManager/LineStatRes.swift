public import NIOCore

extension SkinnyMessage {
    /// LineStatRes (0x0092), call manager to phone: one line's number and names, answering LineStatReq
    /// (reference §5.2). 112 bytes; CUCM 3.1 sent only the first 68. From v17 chan-sccp sends LineStatV2Res instead.
    public struct LineStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.lineStatRes

        /// The line instance the phone asked for.
        public var lineNumber: UInt32
        /// The directory number; at most 24 bytes on the wire.
        public var directoryNumber: String
        /// The caller-id name; at most 40 bytes.
        public var fullyQualifiedDisplayName: String
        /// The text next to the line button; at most 40 bytes.
        public var textLabel: String
        /// Bits: 1 original dialled, 2 redirected dialled, 4 calling number, 8 calling name (chan-sccp sends 15).
        public var displayOptions: UInt32

        public init(
            lineNumber: UInt32,
            directoryNumber: String,
            fullyQualifiedDisplayName: String = "",
            textLabel: String = "",
            displayOptions: UInt32 = 15
        ) {
            self.lineNumber = lineNumber
            self.directoryNumber = directoryNumber
            self.fullyQualifiedDisplayName = fullyQualifiedDisplayName
            self.textLabel = textLabel
            self.displayOptions = displayOptions
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.lineNumber = body.u32(at: 0)
            self.directoryNumber = body.string(at: 4, size: 24)
            self.fullyQualifiedDisplayName = body.string(at: 28, size: 40)
            self.textLabel = body.string(at: 68, size: 40)
            self.displayOptions = body.u32(at: 108)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.lineNumber)
            buffer.writeSkinnyString(self.directoryNumber, size: 24)
            buffer.writeSkinnyString(self.fullyQualifiedDisplayName, size: 40)
            buffer.writeSkinnyString(self.textLabel, size: 40)
            buffer.writeSkinnyU32(self.displayOptions)
        }
    }
}
