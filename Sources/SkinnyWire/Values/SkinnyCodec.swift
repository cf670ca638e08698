/// A media payload type in SCCP numbering, not RTP numbering (compressionType, payloadCapability; reference §6.12).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyCodec: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// G.711 A-law 64k (RTP 8).
    public static let g711ALaw64k = SkinnyCodec(rawValue: 2)
    /// G.711 A-law 56k.
    public static let g711ALaw56k = SkinnyCodec(rawValue: 3)
    /// G.711 µ-law 64k (RTP 0).
    public static let g711ULaw64k = SkinnyCodec(rawValue: 4)
    /// G.711 µ-law 56k.
    public static let g711ULaw56k = SkinnyCodec(rawValue: 5)
    /// G.722 64k (RTP 9).
    public static let g722At64k = SkinnyCodec(rawValue: 6)
    /// G.723.1 (RTP 4).
    public static let g723_1 = SkinnyCodec(rawValue: 9)
    /// G.728 (RTP 15).
    public static let g728 = SkinnyCodec(rawValue: 10)
    /// G.729 (RTP 18).
    public static let g729 = SkinnyCodec(rawValue: 11)
    /// G.729 Annex A.
    public static let g729AnnexA = SkinnyCodec(rawValue: 12)
    /// G.729 Annex B.
    public static let g729AnnexB = SkinnyCodec(rawValue: 15)
    /// G.729 Annex A and B.
    public static let g729AnnexAB = SkinnyCodec(rawValue: 16)
    /// iLBC.
    public static let ilbc = SkinnyCodec(rawValue: 86)
    /// Opus.
    public static let opus = SkinnyCodec(rawValue: 90)
    /// RFC 2833 dynamic payload.
    public static let rfc2833 = SkinnyCodec(rawValue: 257)
}
