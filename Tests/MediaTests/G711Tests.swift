import Media
import Testing

/// G.711 against the reference values of ITU-T Recommendation G.711 (11/1988), "Pulse code modulation (PCM) of
/// voice frequencies": Table 1a (A-law, positive input values) and Table 2a (µ-law, positive input values), with
/// Tables 1b/2b mirroring them for negative values. The segment end points, interval widths, decoder output values
/// and character signals below are transcribed from those tables (the A-law column of character signals after
/// even-bit inversion as listed e.g. at https://jeulcc.blogspot.com/2019/12/a-law.html; the µ-law segment end
/// points 1, 31, 95, … 8159 as quoted from Table 2a in comp.dsp, 26 Aug 1992, and the µ-law code assignment of
/// https://en.wikipedia.org/wiki/%CE%9C-law_algorithm "Quantized µ-law algorithm"). Values are in G.711's own
/// units (A-law: 4096 = full scale; µ-law: 8159); the codec's 16-bit samples are those × 8 (A-law) and × 4
/// (µ-law), the scaling of the ITU-T's G.191 reference software.
@Suite struct G711Tests {
    /// One segment of a G.711 table: the character signal of its first (smallest) interval, the decision value
    /// where it starts, the interval width and the decoder output of its first interval.
    struct Segment: Sendable, CustomStringConvertible {
        var firstCode: UInt8
        var start: Int
        var width: Int
        var firstOutput: Int
        var description: String { "segment from \(start)" }
    }

    /// Table 2a (µ-law). Character signals count down from 0xFF (the 1's complement of sign/segment/interval).
    /// The first segment's first interval is the one around zero (0 → 0xFF, output 0); its other 15 intervals
    /// are 2 wide from 1 to 31, outputs 2 … 30.
    static let muLawSegments: [Segment] = [
        Segment(firstCode: 0xFE, start: 1, width: 2, firstOutput: 2),
        Segment(firstCode: 0xEF, start: 31, width: 4, firstOutput: 33),
        Segment(firstCode: 0xDF, start: 95, width: 8, firstOutput: 99),
        Segment(firstCode: 0xCF, start: 223, width: 16, firstOutput: 231),
        Segment(firstCode: 0xBF, start: 479, width: 32, firstOutput: 495),
        Segment(firstCode: 0xAF, start: 991, width: 64, firstOutput: 1023),
        Segment(firstCode: 0x9F, start: 2015, width: 128, firstOutput: 2079),
        Segment(firstCode: 0x8F, start: 4063, width: 256, firstOutput: 4191),
    ]

    /// Table 1a (A-law). Character signals after even-bit inversion; within a segment the code before inversion
    /// counts up, so the transmitted code is (first code ^ 0x55 + interval) ^ 0x55.
    static let aLawSegments: [Segment] = [
        Segment(firstCode: 0xD5, start: 0, width: 2, firstOutput: 1),
        Segment(firstCode: 0xC5, start: 32, width: 2, firstOutput: 33),
        Segment(firstCode: 0xF5, start: 64, width: 4, firstOutput: 66),
        Segment(firstCode: 0xE5, start: 128, width: 8, firstOutput: 132),
        Segment(firstCode: 0x95, start: 256, width: 16, firstOutput: 264),
        Segment(firstCode: 0x85, start: 512, width: 32, firstOutput: 528),
        Segment(firstCode: 0xB5, start: 1024, width: 64, firstOutput: 1056),
        Segment(firstCode: 0xA5, start: 2048, width: 128, firstOutput: 2112),
    ]

    static func muLawCode(_ segment: Segment, _ interval: Int) -> UInt8 { segment.firstCode - UInt8(interval) }
    static func aLawCode(_ segment: Segment, _ interval: Int) -> UInt8 {
        ((segment.firstCode ^ 0x55) + UInt8(interval)) ^ 0x55
    }

    @Test func muLawZeroAndExtremes() {
        // Table 2a: 0 is coded 11111111 and decodes to 0; the largest output, 8031, is 10000000.
        #expect(G711Codec.muLaw.decode(0xFF) == 0)
        #expect(G711Codec.muLaw.encode(0) == 0xFF)
        #expect(G711Codec.muLaw.decode(0x80) == 8031 * 4)
        #expect(G711Codec.muLaw.decode(0x00) == -8031 * 4)
        // Table 2b: −1 codes as 01111111, "negative zero".
        #expect(G711Codec.muLaw.encode(-4) == 0x7F)
        #expect(G711Codec.muLaw.decode(0x7F) == 0)
        // Beyond the last decision value (8159) the code saturates.
        #expect(G711Codec.muLaw.encode(Int16.max) == 0x80)
        #expect(G711Codec.muLaw.encode(Int16.min) == 0x00)
    }

    @Test func aLawExtremes() {
        // Table 1a: the smallest positive output, 1, is 11010101 (0xD5); the largest, 4032, is 10101010 (0xAA).
        #expect(G711Codec.aLaw.decode(0xD5) == 1 * 8)
        #expect(G711Codec.aLaw.decode(0xAA) == 4032 * 8)
        #expect(G711Codec.aLaw.decode(0x55) == -1 * 8)
        #expect(G711Codec.aLaw.decode(0x2A) == -4032 * 8)
        #expect(G711Codec.aLaw.encode(0) == 0xD5)
        #expect(G711Codec.aLaw.encode(Int16.max) == 0xAA)
        #expect(G711Codec.aLaw.encode(Int16.min) == 0x2A)
    }

    @Test(arguments: muLawSegments)
    func muLawSegmentMatchesTable2a(_ segment: Segment) {
        for interval in 0..<(segment.start == 1 ? 15 : 16) {
            let code = Self.muLawCode(segment, interval)
            let output = segment.firstOutput + interval * segment.width
            #expect(G711Codec.muLaw.decode(code) == Int16(output * 4), "decode \(code)")
            // Tables 2a/2b: the negative code is the positive one with the sign bit cleared.
            #expect(G711Codec.muLaw.decode(code & 0x7F) == Int16(-output * 4), "decode \(code & 0x7F)")
            // Every input from the interval's lower decision value to the next one codes to it.
            let lower = segment.start + interval * segment.width
            let upper = lower + segment.width - 1
            for value in [lower, upper, output] {
                #expect(G711Codec.muLaw.encode(Int16(value * 4)) == code, "encode \(value)")
                #expect(G711Codec.muLaw.encode(Int16(value * 4 + 3)) == code, "encode \(value) + fraction")
            }
            // Table 2b: −(x + 1) codes like +x.
            #expect(G711Codec.muLaw.encode(Int16(-(output + 1) * 4)) == code & 0x7F, "encode \(-(output + 1))")
        }
    }

    @Test(arguments: aLawSegments)
    func aLawSegmentMatchesTable1a(_ segment: Segment) {
        for interval in 0..<16 {
            let code = Self.aLawCode(segment, interval)
            let output = segment.firstOutput + interval * segment.width
            #expect(G711Codec.aLaw.decode(code) == Int16(output * 8), "decode \(code)")
            // Tables 1a/1b: the negative code differs in the sign bit only.
            #expect(G711Codec.aLaw.decode(code & 0x7F) == Int16(-output * 8), "decode \(code & 0x7F)")
            let lower = segment.start + interval * segment.width
            let upper = lower + segment.width - 1
            for value in [lower, upper, output] {
                #expect(G711Codec.aLaw.encode(Int16(value * 8)) == code, "encode \(value)")
                #expect(G711Codec.aLaw.encode(Int16(value * 8 + 7)) == code, "encode \(value) + fraction")
            }
            #expect(G711Codec.aLaw.encode(Int16(-(output + 1) * 8)) == code & 0x7F, "encode \(-(output + 1))")
        }
    }

    @Test func everyCodeRoundTrips() {
        for codec in G711Codec.allCases {
            for code in 0...255 {
                let linear = codec.decode(UInt8(code))
                let again = codec.encode(linear)
                // µ-law has two codes for zero (0xFF, 0x7F); both decode to 0, which encodes as 0xFF.
                if codec == .muLaw && code == 0x7F {
                    #expect(again == 0xFF)
                } else {
                    #expect(again == UInt8(code), "\(codec) \(code)")
                }
            }
        }
    }

    @Test func payloadTypesAndSilence() {
        #expect(G711Codec.muLaw.payloadType == 0)
        #expect(G711Codec.aLaw.payloadType == 8)
        #expect(G711Codec(payloadType: 8) == .aLaw)
        #expect(G711Codec(payloadType: 18) == nil)
        #expect(G711Codec.muLaw.decode(G711Codec.muLaw.silence) == 0)
        #expect(abs(Int(G711Codec.aLaw.decode(G711Codec.aLaw.silence))) <= 8)
    }
}
