/// The look-up tables behind ``G711Codec``, computed once from the structure of ITU-T G.711 Tables 1a and 2a.
///
/// µ-law (Table 2a): 8 segments of 16 intervals on a 14-bit scale whose decision values end at 1, 31, 95, 223, 479,
/// 991, 2015, 4063 and 8159; interval widths 2, 4, …, 256 (the first segment has 15 intervals of 2 and the interval
/// around zero). The decoder output is the middle of the interval: `((2 * mantissa + 33) << segment) - 33`. The
/// transmitted code is the 1's complement of sign, segment and mantissa, so +0 is 0xFF and the largest positive
/// value, 8031, is 0x80.
///
/// A-law (Table 1a): 8 segments on a 13-bit scale ending at 32, 64, 128, …, 4096 (the first two segments both have
/// steps of 2); output values 1, 3, …, 31 in segment 0 and `(2 * mantissa + 33) << (segment - 1)` above; the
/// transmitted code has its even bits inverted (XOR 0x55), so +1 is 0xD5 and the largest positive value, 4032, 0xAA.
@usableFromInline
enum G711Tables {
    /// Code → 16-bit linear (14-bit value × 4).
    @usableFromInline
    static let muLawDecode: [Int16] = (0..<256).map { code in
        let inverted = ~UInt8(code)
        let segment = Int((inverted >> 4) & 0x07)
        let mantissa = Int(inverted & 0x0F)
        let magnitude = ((2 * mantissa + 33) << segment) - 33
        return Int16(inverted & 0x80 != 0 ? -magnitude * 4 : magnitude * 4)
    }

    /// Code → 16-bit linear (13-bit value × 8).
    @usableFromInline
    static let aLawDecode: [Int16] = (0..<256).map { code in
        let plain = UInt8(code) ^ 0x55
        let segment = Int((plain >> 4) & 0x07)
        let mantissa = Int(plain & 0x0F)
        let magnitude = segment == 0 ? 2 * mantissa + 1 : (2 * mantissa + 33) << (segment - 1)
        return Int16(plain & 0x80 != 0 ? magnitude * 8 : -magnitude * 8)
    }

    /// 14-bit linear (offset by 8192) → code. Index `i` holds the code of the value `i - 8192`.
    @usableFromInline
    static let muLawEncode: [UInt8] = (0..<16384).map { index in
        muLawCode(index - 8192)
    }

    /// 13-bit linear (offset by 4096) → code.
    @usableFromInline
    static let aLawEncode: [UInt8] = (0..<8192).map { index in
        aLawCode(index - 4096)
    }

    /// The µ-law code of a 14-bit value. Negative values are taken as their 1's complement (−1 codes like +0
    /// with the sign set), which is how G.711 Table 2a places its negative decision values (−1 to −31 mirror
    /// 0 to +30).
    static func muLawCode(_ value: Int) -> UInt8 {
        let isNegative = value < 0
        // The biased magnitude: adding 33 makes every segment boundary a power of two (1+33 = 34 … 8159+33 = 8192).
        let biased = min((isNegative ? ~value : value) + 33, 8191)
        var segment = 0
        while segment < 7, biased >= 64 << segment { segment += 1 }
        let mantissa = (biased >> (segment + 1)) & 0x0F
        let code = UInt8(segment << 4 | mantissa) | (isNegative ? 0x80 : 0)
        return ~code
    }

    /// The A-law code of a 13-bit value; negative values by 1's complement, as for µ-law (G.711 Table 1a: the
    /// negative half mirrors the positive one, −1 … −32 coding like 0 … 31).
    static func aLawCode(_ value: Int) -> UInt8 {
        let isNegative = value < 0
        let magnitude = min(isNegative ? ~value : value, 4095)
        var segment = 0
        while segment < 7, magnitude >= 32 << segment { segment += 1 }
        let mantissa = segment == 0 ? (magnitude >> 1) & 0x0F : (magnitude >> segment) & 0x0F
        let code = UInt8(segment << 4 | mantissa) | (isNegative ? 0 : 0x80)
        return code ^ 0x55
    }
}
