/// The two G.711 companding laws (ITU-T G.711, 1988): 8-bit codes for 13/14-bit linear samples.
///
/// Linear samples are 16-bit here, left-justified as every audio API has them: µ-law's 14 significant bits are
/// scaled by 4 and A-law's 13 by 8, as the ITU-T's own reference code (G.191 STL, `g711.c`) does. Encoding and
/// decoding are table look-ups: 256 entries to decode, one entry per representable 14-bit (µ-law) or 13-bit
/// (A-law) input to encode, built once from the decision and output values of G.711 Tables 1a/2a.
public enum G711Codec: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// µ-law (PCMU): North America and Japan; Cisco phones' first choice.
    case muLaw
    /// A-law (PCMA): Europe and the rest of the world.
    case aLaw

    /// The static RTP payload type (RFC 3551 §6 table 4: PCMU 0, PCMA 8).
    public var payloadType: UInt8 {
        switch self {
        case .muLaw: 0
        case .aLaw: 8
        }
    }

    /// The codec an RTP payload type names, or nil for anything but PCMU and PCMA.
    public init?(payloadType: UInt8) {
        switch payloadType {
        case 0: self = .muLaw
        case 8: self = .aLaw
        default: return nil
        }
    }

    /// The code of a zero sample: 0xFF in µ-law (positive zero, all bits inverted), 0xD5 in A-law (the smallest
    /// positive code after the even-bit inversion).
    public var silence: UInt8 {
        switch self {
        case .muLaw: 0xFF
        case .aLaw: 0xD5
        }
    }

    public var description: String {
        switch self {
        case .muLaw: "PCMU"
        case .aLaw: "PCMA"
        }
    }

    /// The 16-bit linear value of a code.
    @inlinable
    public func decode(_ code: UInt8) -> Int16 {
        switch self {
        case .muLaw: G711Tables.muLawDecode[Int(code)]
        case .aLaw: G711Tables.aLawDecode[Int(code)]
        }
    }

    /// The code of a 16-bit linear sample (the low 2 bits for µ-law, 3 for A-law, are below G.711's resolution).
    @inlinable
    public func encode(_ sample: Int16) -> UInt8 {
        switch self {
        case .muLaw: G711Tables.muLawEncode[(Int(sample) >> 2) + 8192]
        case .aLaw: G711Tables.aLawEncode[(Int(sample) >> 3) + 4096]
        }
    }

    /// Encodes `samples` into `codes`, which must be at least as long.
    @inlinable
    public func encode(_ samples: UnsafeBufferPointer<Int16>, into codes: UnsafeMutableBufferPointer<UInt8>) {
        precondition(codes.count >= samples.count, "G.711 encode: output shorter than input")
        switch self {
        case .muLaw:
            G711Tables.muLawEncode.withUnsafeBufferPointer { table in
                for index in samples.indices { codes[index] = table[(Int(samples[index]) >> 2) + 8192] }
            }
        case .aLaw:
            G711Tables.aLawEncode.withUnsafeBufferPointer { table in
                for index in samples.indices { codes[index] = table[(Int(samples[index]) >> 3) + 4096] }
            }
        }
    }

    /// Decodes `codes` into `samples`, which must be at least as long.
    @inlinable
    public func decode(_ codes: UnsafeRawBufferPointer, into samples: UnsafeMutableBufferPointer<Int16>) {
        precondition(samples.count >= codes.count, "G.711 decode: output shorter than input")
        let table = self == .muLaw ? G711Tables.muLawDecode : G711Tables.aLawDecode
        table.withUnsafeBufferPointer { table in
            for index in codes.indices { samples[index] = table[Int(codes[index])] }
        }
    }
}
