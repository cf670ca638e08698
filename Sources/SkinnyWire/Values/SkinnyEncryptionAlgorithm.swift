/// The SRTP suite of a media stream (the `algorithmID` of the key block in OpenReceiveChannel and
/// StartMediaTransmission; reference §6.13).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyEncryptionAlgorithm: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Plain RTP.
    public static let none = SkinnyEncryptionAlgorithm(rawValue: 0)
    /// AES_CM_128_HMAC_SHA1_32.
    public static let aesCM128HMACSHA1_32 = SkinnyEncryptionAlgorithm(rawValue: 1)
    /// AES_CM_128_HMAC_SHA1_80.
    public static let aesCM128HMACSHA1_80 = SkinnyEncryptionAlgorithm(rawValue: 2)
    /// F8_128_HMAC_SHA1_32.
    public static let f8128HMACSHA1_32 = SkinnyEncryptionAlgorithm(rawValue: 3)
    /// F8_128_HMAC_SHA1_80.
    public static let f8128HMACSHA1_80 = SkinnyEncryptionAlgorithm(rawValue: 4)
    /// AEAD_AES_128_GCM.
    public static let aeadAES128GCM = SkinnyEncryptionAlgorithm(rawValue: 5)
    /// AEAD_AES_256_GCM.
    public static let aeadAES256GCM = SkinnyEncryptionAlgorithm(rawValue: 6)
}
