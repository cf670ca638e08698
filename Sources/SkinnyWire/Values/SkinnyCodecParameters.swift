/// The 4-byte codec qualifier of media messages (`g723BitRate` below v11, `codecParamsUnion` from v11;
/// reference §5.2, media-control table).
///
/// The bytes are the same in both readings: for G.723.1 the word is the bit rate (1 = 5.3k, 2 = 6.3k); for other
/// codecs, from v11, it is four bytes `codecMode`, `dynamicPayload`, `codecParam1`, `codecParam2` in wire order.
/// Voice calls send 0.
public struct SkinnyCodecParameters: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    /// The little-endian word as it is on the wire.
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// No parameters: what CUCM 4.1 and chan-sccp send for G.711 and G.729.
    public static let none = SkinnyCodecParameters(rawValue: 0)

    /// The G.723.1 bit rate: 1 for 5.3 kbit/s, 2 for 6.3 kbit/s.
    public static func g723BitRate(_ rate: UInt32) -> SkinnyCodecParameters {
        SkinnyCodecParameters(rawValue: rate)
    }

    /// The four bytes of the v11 union, in wire order.
    public init(codecMode: UInt8, dynamicPayload: UInt8, codecParam1: UInt8 = 0, codecParam2: UInt8 = 0) {
        self.rawValue =
            UInt32(codecMode) | UInt32(dynamicPayload) << 8 | UInt32(codecParam1) << 16 | UInt32(codecParam2) << 24
    }

    /// The first byte on the wire.
    public var codecMode: UInt8 { UInt8(truncatingIfNeeded: self.rawValue) }
    /// The second byte: the RTP payload type of a dynamic codec.
    public var dynamicPayload: UInt8 { UInt8(truncatingIfNeeded: self.rawValue >> 8) }
    /// The third byte.
    public var codecParam1: UInt8 { UInt8(truncatingIfNeeded: self.rawValue >> 16) }
    /// The fourth byte.
    public var codecParam2: UInt8 { UInt8(truncatingIfNeeded: self.rawValue >> 24) }
}
