import NIOCore

/// One video codec a phone offers (UpdateCapabilities, CapabilitiesV2Res and CapabilitiesV3Res `vidCaps[]`;
/// message-layouts 0x0030, 0x0043, 0x0044).
///
/// The three messages lay it out differently:
/// - UpdateCapabilities: 116 bytes: codec, direction, `levelPreferenceCount`, `levelPreference[4]`, an 8-byte
///   codec block (H.261, H.263, Vieo).
/// - CapabilitiesV2Res: 132 bytes: the same with a 24-byte codec block (room for H.264).
/// - CapabilitiesV3Res: packed: codec, direction, count, only `count` level preferences, `encryptionCapability`,
///   the 24-byte codec block, `ipAddressingMode`.
public struct SkinnyVideoCapability: Hashable, Sendable {
    /// One level of a video codec the phone can run (`levelPreference`, 24 bytes).
    public struct LevelPreference: Hashable, Sendable {
        /// Size of one level preference on the wire: six `u32`.
        public static let size = 24

        public var transmitPreference: UInt32
        public var format: UInt32
        public var maxBitRate: UInt32
        public var minBitRate: UInt32
        /// Minimum picture interval.
        public var mpi: UInt32
        public var serviceNumber: UInt32

        public init(
            transmitPreference: UInt32,
            format: UInt32,
            maxBitRate: UInt32,
            minBitRate: UInt32,
            mpi: UInt32,
            serviceNumber: UInt32
        ) {
            self.transmitPreference = transmitPreference
            self.format = format
            self.maxBitRate = maxBitRate
            self.minBitRate = minBitRate
            self.mpi = mpi
            self.serviceNumber = serviceNumber
        }

        init(from body: SkinnyBodyReader, at offset: Int) {
            self.transmitPreference = body.u32(at: offset)
            self.format = body.u32(at: offset + 4)
            self.maxBitRate = body.u32(at: offset + 8)
            self.minBitRate = body.u32(at: offset + 12)
            self.mpi = body.u32(at: offset + 16)
            self.serviceNumber = body.u32(at: offset + 20)
        }

        func encode(into buffer: inout ByteBuffer) {
            buffer.writeSkinnyU32(self.transmitPreference)
            buffer.writeSkinnyU32(self.format)
            buffer.writeSkinnyU32(self.maxBitRate)
            buffer.writeSkinnyU32(self.minBitRate)
            buffer.writeSkinnyU32(self.mpi)
            buffer.writeSkinnyU32(self.serviceNumber)
        }
    }

    /// Number of level preferences an entry holds (`levelPreference[4]`). A larger count is rejected.
    public static let maximumLevelPreferences = 4
    /// Size of the codec block in UpdateCapabilities: H.261, H.263 and Vieo need 8 bytes.
    public static let shortParametersSize = 8
    /// Size of the codec block in CapabilitiesV2Res and V3Res: H.264 needs 24 bytes.
    public static let longParametersSize = 24

    /// The video codec, in SCCP numbering (100 H.261, 101 H.263, 103 H.264; reference §6.12).
    public var codec: SkinnyCodec
    /// 0 none, 1 receive only, 2 transmit only, 3 both (TransmitOrReceive).
    public var direction: UInt32
    /// At most four levels; more are cut when encoding.
    public var levelPreferences: [LevelPreference]
    /// The codec-specific block kept whole, always 24 bytes: H.264 profile, level, custom MBPS, FS, DPB and
    /// BR-and-CPB as six `u32`; H.261, H.263 and Vieo use the first 8. UpdateCapabilities carries only the first 8
    /// bytes; the rest read as zero there.
    public var parameters: [UInt8]
    /// 0 not capable, 1 capable of encryption. Carried by CapabilitiesV3Res only; 0 elsewhere.
    public var encryptionCapability: UInt32
    /// 0 IPv4, 1 IPv6, 2 both (IpAddrMode). Carried by CapabilitiesV3Res only; 0 elsewhere.
    public var ipAddressingMode: UInt32

    public init(
        codec: SkinnyCodec,
        direction: UInt32,
        levelPreferences: [LevelPreference] = [],
        parameters: [UInt8] = [],
        encryptionCapability: UInt32 = 0,
        ipAddressingMode: UInt32 = 0
    ) {
        self.codec = codec
        self.direction = direction
        self.levelPreferences = levelPreferences
        self.parameters = parameters.skinnyFixedSize(Self.longParametersSize)
        self.encryptionCapability = encryptionCapability
        self.ipAddressingMode = ipAddressingMode
    }

    /// The size of an entry in a fixed layout with a codec block of `parametersSize` bytes.
    static func fixedSize(parametersSize: Int) -> Int {
        12 + Self.maximumLevelPreferences * LevelPreference.size + parametersSize
    }

    /// Reads a fixed-layout entry (UpdateCapabilities, CapabilitiesV2Res) at `offset`.
    init(
        fixedLayoutFrom body: SkinnyBodyReader,
        at offset: Int,
        parametersSize: Int,
        messageID: SkinnyMessageID
    ) throws(SkinnyError) {
        self.codec = SkinnyCodec(rawValue: body.u32(at: offset))
        self.direction = body.u32(at: offset + 4)
        let count = body.u32(at: offset + 8)
        guard count <= Self.maximumLevelPreferences else {
            throw .countOutOfRange(
                "levelPreferenceCount",
                count: count,
                maximum: Self.maximumLevelPreferences,
                messageID: messageID,
                body: body.body
            )
        }
        let first = offset + 12
        self.levelPreferences = (0..<Int(count)).map { first + $0 * LevelPreference.size }
            .filter { body.has(1, at: $0) }
            .map { LevelPreference(from: body, at: $0) }
        self.parameters = body.bytes(
            at: first + Self.maximumLevelPreferences * LevelPreference.size,
            size: parametersSize
        ).skinnyFixedSize(Self.longParametersSize)
        self.encryptionCapability = 0
        self.ipAddressingMode = 0
    }

    func encodeFixedLayout(into buffer: inout ByteBuffer, parametersSize: Int) {
        let levels = self.levelPreferences.prefix(Self.maximumLevelPreferences)
        buffer.writeSkinnyU32(self.codec.rawValue)
        buffer.writeSkinnyU32(self.direction)
        buffer.writeSkinnyU32(UInt32(levels.count))
        for level in levels {
            level.encode(into: &buffer)
        }
        buffer.writeRepeatingByte(0, count: (Self.maximumLevelPreferences - levels.count) * LevelPreference.size)
        buffer.writeBytes(self.parameters.skinnyFixedSize(parametersSize))
    }

    /// Reads a packed entry (CapabilitiesV3Res) at the reader's cursor and moves past it.
    init(compactLayoutFrom body: inout SkinnyBodyReader, messageID: SkinnyMessageID) throws(SkinnyError) {
        self.codec = SkinnyCodec(rawValue: body.readU32())
        self.direction = body.readU32()
        let count = body.readU32()
        guard count <= Self.maximumLevelPreferences else {
            throw .countOutOfRange(
                "levelPreferenceCount",
                count: count,
                maximum: Self.maximumLevelPreferences,
                messageID: messageID,
                body: body.body
            )
        }
        var levels: [LevelPreference] = []
        for _ in 0..<Int(count) {
            if body.has(1, at: body.cursor) {
                levels.append(LevelPreference(from: body, at: body.cursor))
            }
            body.cursor += LevelPreference.size
        }
        self.levelPreferences = levels
        self.encryptionCapability = body.readU32()
        self.parameters = body.bytes(at: body.cursor, size: Self.longParametersSize)
        body.cursor += Self.longParametersSize
        self.ipAddressingMode = body.readU32()
    }

    func encodeCompactLayout(into buffer: inout ByteBuffer) {
        let levels = self.levelPreferences.prefix(Self.maximumLevelPreferences)
        buffer.writeSkinnyU32(self.codec.rawValue)
        buffer.writeSkinnyU32(self.direction)
        buffer.writeSkinnyU32(UInt32(levels.count))
        for level in levels {
            level.encode(into: &buffer)
        }
        buffer.writeSkinnyU32(self.encryptionCapability)
        buffer.writeBytes(self.parameters.skinnyFixedSize(Self.longParametersSize))
        buffer.writeSkinnyU32(self.ipAddressingMode)
    }
}
