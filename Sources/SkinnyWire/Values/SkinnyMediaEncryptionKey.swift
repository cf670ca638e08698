public import NIOCore

/// The SRTP key block of OpenReceiveChannel and StartMediaTransmission (reference §5.2, media-control table).
///
/// 48 bytes on the wire: `u32 algorithmID`, `u16 keylen`, `u16 saltlen`, `u8 key[16]`, `u8 salt[16]`,
/// `u32 isMKIPresent`, `u32 keyDerivationRate`. CUCM 4.1 sent only the first 40 (its bodies end after `salt`);
/// the missing words read as 0. All zero means plain RTP.
public struct SkinnyMediaEncryptionKey: Hashable, Sendable {
    /// Size of the block on the wire.
    public static let wireSize = 48
    /// Size of the `key` and `salt` arrays.
    public static let fieldSize = 16

    public var algorithm: SkinnyEncryptionAlgorithm
    /// How many bytes of `key` are used.
    public var keyLength: UInt16
    /// How many bytes of `salt` are used.
    public var saltLength: UInt16
    /// The master key, always 16 bytes; the first `keyLength` are used.
    public var key: [UInt8]
    /// The master salt, always 16 bytes; the first `saltLength` are used.
    public var salt: [UInt8]
    public var isMKIPresent: UInt32
    public var keyDerivationRate: UInt32

    /// No encryption: every byte zero.
    public static let none = SkinnyMediaEncryptionKey(algorithm: .none, key: [], salt: [])

    /// Makes a key block. `key` and `salt` are cut or zero-padded to 16 bytes; their lengths default to the
    /// number of bytes given (at most 16).
    public init(
        algorithm: SkinnyEncryptionAlgorithm,
        key: [UInt8],
        salt: [UInt8],
        keyLength: UInt16? = nil,
        saltLength: UInt16? = nil,
        isMKIPresent: UInt32 = 0,
        keyDerivationRate: UInt32 = 0
    ) {
        self.algorithm = algorithm
        self.key = Self.field(key)
        self.salt = Self.field(salt)
        self.keyLength = keyLength ?? UInt16(min(key.count, Self.fieldSize))
        self.saltLength = saltLength ?? UInt16(min(salt.count, Self.fieldSize))
        self.isMKIPresent = isMKIPresent
        self.keyDerivationRate = keyDerivationRate
    }

    /// Reads the block at `offset`; whatever the body does not reach reads as zero.
    public init(from body: SkinnyBodyReader, at offset: Int) {
        self.algorithm = SkinnyEncryptionAlgorithm(rawValue: body.u32(at: offset))
        self.keyLength = body.u16(at: offset + 4)
        self.saltLength = body.u16(at: offset + 6)
        self.key = body.bytes(at: offset + 8, size: Self.fieldSize)
        self.salt = body.bytes(at: offset + 24, size: Self.fieldSize)
        self.isMKIPresent = body.u32(at: offset + 40)
        self.keyDerivationRate = body.u32(at: offset + 44)
    }

    /// Appends the 48-byte block.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeSkinnyU32(self.algorithm.rawValue)
        buffer.writeSkinnyU16(self.keyLength)
        buffer.writeSkinnyU16(self.saltLength)
        buffer.writeBytes(Self.field(self.key))
        buffer.writeBytes(Self.field(self.salt))
        buffer.writeSkinnyU32(self.isMKIPresent)
        buffer.writeSkinnyU32(self.keyDerivationRate)
    }

    private static func field(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix(fieldSize)) + Array(repeating: 0, count: max(0, fieldSize - bytes.count))
    }
}
