import Foundation
import Media
import Testing

@Suite struct AudioFileDecoderTests {
    /// A RIFF/WAVE file with one fmt and one data chunk.
    static func wav(
        format: UInt16 = 1,
        channels: Int = 1,
        rate: Int = 8_000,
        bits: Int = 16,
        data: [UInt8],
        extraChunk: Bool = false
    ) -> [UInt8] {
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16((value >> 16) & 0xFFFF) }
        let blockAlign = channels * bits / 8
        var fmt = le16(Int(format)) + le16(channels) + le32(rate) + le32(rate * blockAlign)
        fmt += le16(blockAlign) + le16(bits)
        var body = Array("WAVE".utf8) + Array("fmt ".utf8) + le32(fmt.count) + fmt
        if extraChunk {
            // A LIST chunk of odd size with its pad byte, which readers must skip.
            body += Array("LIST".utf8) + le32(3) + [1, 2, 3, 0]
        }
        body += Array("data".utf8) + le32(data.count) + data
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    static func pcm16(_ samples: [Int16], channels: Int = 1) -> [UInt8] {
        samples.flatMap { sample in
            [UInt8](repeating: 0, count: 0)
                + (0..<channels).flatMap { _ in
                    [UInt8(UInt16(bitPattern: sample) & 0xFF), UInt8(UInt16(bitPattern: sample) >> 8)]
                }
        }
    }

    static func sine(_ frequency: Double, rate: Int, seconds: Double, amplitude: Double = 10_000) -> [Int16] {
        (0..<Int(Double(rate) * seconds)).map { index in
            Int16((sin(2 * Double.pi * frequency * Double(index) / Double(rate)) * amplitude).rounded())
        }
    }

    static func decoded(_ clip: AudioClip) -> [Int16] { clip.muLaw.map { G711Codec.muLaw.decode($0) } }

    @Test func pcm16At8kHzIsEncodedSampleForSample() throws {
        let samples = Self.sine(1_000, rate: 8_000, seconds: 0.5)
        let clip = try AudioFileDecoder.decode(Self.wav(data: Self.pcm16(samples), extraChunk: true), fileName: "x.wav")
        #expect(clip.sampleCount == 4_000)
        #expect(clip.muLaw == samples.map { G711Codec.muLaw.encode($0) })
        #expect(clip.aLaw == samples.map { G711Codec.aLaw.encode($0) })
    }

    @Test func stereo44_1kHzIsMixedDownAndResampledWithoutAliasing() throws {
        // 1 kHz in both channels and 6 kHz (above what 8 kHz can carry) in the left only.
        let low = Self.sine(1_000, rate: 44_100, seconds: 1)
        let high = Self.sine(6_000, rate: 44_100, seconds: 1)
        var interleaved: [Int16] = []
        for index in low.indices {
            interleaved.append(low[index] / 2 + high[index] / 2)
            interleaved.append(low[index] / 2)
        }
        let bytes = interleaved.flatMap { [UInt8(UInt16(bitPattern: $0) & 0xFF), UInt8(UInt16(bitPattern: $0) >> 8)] }
        let clip = try AudioFileDecoder.decode(Self.wav(channels: 2, rate: 44_100, data: bytes), fileName: "x.wav")
        #expect(abs(clip.sampleCount - 8_000) <= 1)
        let audio = Array(Self.decoded(clip)[400..<7_600])
        let tone = ToneAnalysis.power(of: 1_000, in: audio)
        // 6 kHz would fold back to 2 kHz at 8 kHz without the low-pass filter.
        let alias = ToneAnalysis.power(of: 2_000, in: audio)
        #expect(tone > 0.001)
        #expect(alias < tone / 1_000)
    }

    @Test func otherEncodingsAreRead() throws {
        let samples = Self.sine(500, rate: 16_000, seconds: 0.25)
        // 8-bit unsigned PCM at 16 kHz.
        let unsigned = samples.map { UInt8(Int($0 >> 8) + 128) }
        let clip8 = try AudioFileDecoder.decode(Self.wav(rate: 16_000, bits: 8, data: unsigned), fileName: "a.wav")
        #expect(abs(clip8.sampleCount - 2_000) <= 1)
        #expect(ToneAnalysis.power(of: 500, in: Self.decoded(clip8)) > 0.005)
        // µ-law (format 7) and A-law (format 6) WAV at 8 kHz are taken code for code.
        let codes = Self.sine(500, rate: 8_000, seconds: 0.1).map { G711Codec.muLaw.encode($0) }
        let clipMu = try AudioFileDecoder.decode(Self.wav(format: 7, bits: 8, data: codes), fileName: "b.wav")
        #expect(clipMu.muLaw == codes)
        let aCodes = codes.map { G711Codec.aLaw.encode(G711Codec.muLaw.decode($0)) }
        let clipA = try AudioFileDecoder.decode(Self.wav(format: 6, bits: 8, data: aCodes), fileName: "c.wav")
        #expect(clipA.aLaw == aCodes)
    }

    @Test func rawG711IsReadByItsName() throws {
        let codes = [UInt8](repeating: 0xD5, count: 800)
        let clip = try AudioFileDecoder.decode(codes, fileName: "/music/hold.ALAW")
        #expect(clip.aLaw == codes)
        #expect(clip.muLaw.allSatisfy { abs(Int(G711Codec.muLaw.decode($0))) <= 8 })
        let mu = try AudioFileDecoder.decode(codes, fileName: "hold.pcmu")
        #expect(mu.muLaw == codes)
    }

    static let bad: [(name: String, bytes: [UInt8], fileName: String, code: AudioFileError.Code)] = [
        ("an MP3", [0x49, 0x44, 0x33, 4, 0, 0] + [UInt8](repeating: 0, count: 400), "song.mp3", .unknownFormat),
        ("WAV without data", Array(wav(data: []).prefix(36)), "x.wav", .malformed),
        (
            "WAV without fmt", Array("RIFF".utf8) + [12, 0, 0, 0] + Array("WAVEdata".utf8) + [0, 0, 0, 0], "x.wav",
            .malformed
        ),
        ("ADPCM WAV", wav(format: 2, bits: 4, data: [UInt8](repeating: 0, count: 800)), "x.wav", .unsupportedEncoding),
        ("12-bit PCM", wav(bits: 12, data: [UInt8](repeating: 0, count: 800)), "x.wav", .unsupportedEncoding),
        ("1 Hz WAV", wav(rate: 1, data: [UInt8](repeating: 0, count: 800)), "x.wav", .unsupportedEncoding),
        ("0 channels", wav(channels: 0, data: [UInt8](repeating: 0, count: 800)), "x.wav", .unsupportedEncoding),
        ("10 ms of WAV", wav(data: [UInt8](repeating: 0, count: 160)), "x.wav", .tooShort),
        ("10 ms of µ-law", [UInt8](repeating: 0xFF, count: 80), "x.ulaw", .tooShort),
        ("31 minutes of µ-law", [UInt8](repeating: 0xFF, count: 31 * 60 * 8_000), "x.ulaw", .tooLong),
    ]

    @Test(arguments: 0..<bad.count)
    func badFilesGetAClearError(_ index: Int) {
        let (name, bytes, fileName, code) = Self.bad[index]
        do {
            _ = try AudioFileDecoder.decode(bytes, fileName: fileName)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.code == code, "\(name): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func builtInMusicLoopsWithoutAClickAndIsNotSilent() {
        let clip = BuiltInMusic.clip
        #expect(clip.sampleCount == BuiltInMusic.loopSeconds * MediaTiming.sampleRate)
        let samples = Self.decoded(clip)
        let peak = samples.map { abs(Int($0)) }.max() ?? 0
        #expect(peak > 5_000 && peak < 20_000)
        // The step from the last sample to the first is no bigger than the largest step inside the loop.
        let steps = zip(samples, samples.dropFirst()).map { abs(Int($0) - Int($1)) }
        let wrap = abs(Int(samples[samples.count - 1]) - Int(samples[0]))
        #expect(wrap <= steps.max() ?? 0)
    }

    @Test func tonesFollowTheirPlans() {
        let ringback = ToneRegion.northAmerica.clip(.ringback)
        #expect(ringback.sampleCount == 6 * 8_000)  // 2 s on, 4 s off
        let on = Array(Self.decoded(ringback)[4_000..<8_000])
        #expect(ToneAnalysis.power(of: 440, in: on) > 0.003)
        #expect(ToneAnalysis.power(of: 480, in: on) > 0.003)
        #expect(ToneAnalysis.power(of: 620, in: on) < 0.0001)
        let off = Array(Self.decoded(ringback)[20_000..<40_000])
        #expect(off.allSatisfy { $0 == 0 })
        let busy = ToneRegion.europe.clip(.busy)
        #expect(busy.sampleCount == 8_000)
        #expect(ToneAnalysis.power(of: 425, in: Array(Self.decoded(busy)[0..<4_000])) > 0.003)
    }
}
