public import NIOCore

extension SkinnyMessage {
    /// ConnectionStatisticsReq (0x0107), call manager to phone: ask for the RTP counters of a call; the phone
    /// answers with ConnectionStatisticsRes (reference §5.2).
    ///
    /// | field | below v18 | from v18 |
    /// |---|---|---|
    /// | directoryNumber | 0, `char[24]` | 0, `char[28]` (25 used) |
    /// | callReference | 24 | 28 |
    /// | statsProcessingMode | 28 | 32 |
    /// | body | 32 bytes | 36 bytes |
    ///
    /// Wireshark switches at v18; chan-sccp switches at v19, to a `char[25]` that C alignment pads to the same 28
    /// bytes. The number is cut to 25 bytes and padded with NULs, which both readings accept; decoding reads at most
    /// the same 25 bytes (the 3 after them are padding), so that what decodes encodes back to itself.
    public struct ConnectionStatisticsReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.connectionStatisticsReq

        /// The far end's number (chan-sccp: the called number on outgoing calls, the calling number otherwise).
        public var directoryNumber: String
        public var callReference: UInt32
        public var statsProcessing: SkinnyStatsProcessing

        public init(directoryNumber: String, callReference: UInt32, statsProcessing: SkinnyStatsProcessing = .clear) {
            self.directoryNumber = directoryNumber
            self.callReference = callReference
            self.statsProcessing = statsProcessing
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let fieldSize = Self.numberFieldSize(version)
            self.directoryNumber = body.string(at: 0, size: version.directoryNumberSize)
            self.callReference = body.u32(at: fieldSize)
            self.statsProcessing = SkinnyStatsProcessing(rawValue: body.u32(at: fieldSize + 4))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let fieldSize = Self.numberFieldSize(version)
            buffer.writeSkinnyString(self.directoryNumber, size: version.directoryNumberSize)
            buffer.writeRepeatingByte(0, count: fieldSize - version.directoryNumberSize)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.statsProcessing.rawValue)
        }

        /// 24 bytes below v18; from v18 a 25-byte number padded to 28 so that the integers stay aligned.
        private static func numberFieldSize(_ version: SkinnyProtocolVersion) -> Int {
            version.usesLongDirectoryNumbers ? 28 : 24
        }
    }
}
