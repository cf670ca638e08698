public import NIOCore

extension SkinnyMessage {
    /// ConnectionStatisticsRes (0x0023), phone to call manager: RTP counters of a call, in answer to
    /// ConnectionStatisticsReq (reference §5.1, §2.3).
    ///
    /// Three layouts, chosen by the negotiated version:
    /// - v17 and below (664 bytes): `char[24] directoryNumber`, `u32 callReference` at 24, `u32
    ///   statsProcessingMode` at 28, seven `u32` counters from 32, `u32 dataSize` at 60, `char[600]` at 64.
    /// - v18, and v22 and above (665 bytes, packed): `char[28]` number, `u32 callReference` at 28, a one-byte
    ///   processing mode at 32, the counters from 33, `dataSize` at 61, the text at 65. Wireshark uses this form from
    ///   v18; a v22 phone's frame in chan-sccp matches it (and stops after `dataSize` bytes of text).
    /// - v19 to v21 (668 bytes, aligned): the 28-byte number, `u32 callReference` at 28, `u32` mode at 32, the
    ///   counters from 36, `dataSize` at 64, the text at 68. chan-sccp uses this form from v19, matching a v20
    ///   phone's frame; Wireshark reads it as packed and gets the counters wrong.
    public struct ConnectionStatisticsRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.connectionStatisticsRes

        /// Capacity of the quality-statistics text (`char[600]`). A larger `dataSize` throws `countOutOfRange`.
        public static let maximumDataSize = 600

        public var directoryNumber: String
        public var callReference: UInt32
        /// 0 clear the counters after sending, 1 keep them (StatsProcessingType).
        public var statsProcessingMode: UInt32
        public var packetsSent: UInt32
        public var octetsSent: UInt32
        public var packetsReceived: UInt32
        public var octetsReceived: UInt32
        public var packetsLost: UInt32
        public var jitter: UInt32
        public var latency: UInt32
        /// Voice-quality metrics as text, e.g. "MLQK=4.5000;MLQKav=…;CCR=…"; empty from older phones.
        public var qualityStatistics: String

        public init(
            directoryNumber: String,
            callReference: UInt32,
            statsProcessingMode: UInt32 = 0,
            packetsSent: UInt32 = 0,
            octetsSent: UInt32 = 0,
            packetsReceived: UInt32 = 0,
            octetsReceived: UInt32 = 0,
            packetsLost: UInt32 = 0,
            jitter: UInt32 = 0,
            latency: UInt32 = 0,
            qualityStatistics: String = ""
        ) {
            self.directoryNumber = directoryNumber
            self.callReference = callReference
            self.statsProcessingMode = statsProcessingMode
            self.packetsSent = packetsSent
            self.octetsSent = octetsSent
            self.packetsReceived = packetsReceived
            self.octetsReceived = octetsReceived
            self.packetsLost = packetsLost
            self.jitter = jitter
            self.latency = latency
            self.qualityStatistics = qualityStatistics
        }

        /// The three layouts and where their fields sit.
        private enum Layout {
            /// v17 and below.
            case short
            /// v18, v22 and above.
            case packed
            /// v19 to v21.
            case aligned

            init(_ version: SkinnyProtocolVersion) {
                switch version.rawValue {
                case ..<18: self = .short
                case 19...21: self = .aligned
                default: self = .packed
                }
            }

            var directoryNumberSize: Int {
                switch self {
                case .short: 24
                case .packed, .aligned: 28
                }
            }

            /// Offset of the first counter, `numberPacketsSent`.
            var countersOffset: Int {
                switch self {
                case .short: 32
                case .packed: 33
                case .aligned: 36
                }
            }
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            let layout = Layout(version)
            let numberSize = layout.directoryNumberSize
            self.directoryNumber = body.string(at: 0, size: numberSize)
            self.callReference = body.u32(at: numberSize)
            switch layout {
            case .packed: self.statsProcessingMode = UInt32(body.u8(at: numberSize + 4))
            case .short, .aligned: self.statsProcessingMode = body.u32(at: numberSize + 4)
            }
            let counters = layout.countersOffset
            self.packetsSent = body.u32(at: counters)
            self.octetsSent = body.u32(at: counters + 4)
            self.packetsReceived = body.u32(at: counters + 8)
            self.octetsReceived = body.u32(at: counters + 12)
            self.packetsLost = body.u32(at: counters + 16)
            self.jitter = body.u32(at: counters + 20)
            self.latency = body.u32(at: counters + 24)
            let dataSize = body.u32(at: counters + 28)
            guard dataSize <= Self.maximumDataSize else {
                throw .countOutOfRange(
                    "dataSize",
                    count: dataSize,
                    maximum: Self.maximumDataSize,
                    messageID: Self.id,
                    body: body.body
                )
            }
            self.qualityStatistics = body.string(at: counters + 32, size: Int(dataSize))
        }

        /// Writes the whole fixed layout of `version`, the text field at its full 600 bytes.
        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let layout = Layout(version)
            let text = SkinnyText.encode(self.qualityStatistics).prefix(Self.maximumDataSize)
            buffer.writeSkinnyString(self.directoryNumber, size: layout.directoryNumberSize)
            buffer.writeSkinnyU32(self.callReference)
            switch layout {
            case .packed: buffer.writeInteger(UInt8(truncatingIfNeeded: self.statsProcessingMode))
            case .short, .aligned: buffer.writeSkinnyU32(self.statsProcessingMode)
            }
            buffer.writeSkinnyU32(self.packetsSent)
            buffer.writeSkinnyU32(self.octetsSent)
            buffer.writeSkinnyU32(self.packetsReceived)
            buffer.writeSkinnyU32(self.octetsReceived)
            buffer.writeSkinnyU32(self.packetsLost)
            buffer.writeSkinnyU32(self.jitter)
            buffer.writeSkinnyU32(self.latency)
            buffer.writeSkinnyU32(UInt32(text.count))
            buffer.writeBytes(text)
            buffer.writeRepeatingByte(0, count: Self.maximumDataSize - text.count)
        }
    }
}
