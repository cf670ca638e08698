/// Turns an audio file into an ``AudioClip``: WAV (RIFF WAVE) or raw G.711, converted once to 8 kHz G.711.
///
/// Accepted WAV encodings (the `fmt ` chunk's format tag, also inside WAVE_FORMAT_EXTENSIBLE): PCM (1) with 8-bit
/// unsigned, 16-, 24- or 32-bit signed samples; IEEE float (3) with 32-bit samples; A-law (6) and µ-law (7) with
/// 8-bit codes. Any number of channels (mixed down to mono by averaging) and any sample rate from 4,000 to
/// 192,000 Hz (resampled to 8 kHz through a low-pass filter, ``Resampler``). Raw G.711 is headerless 8 kHz mono:
/// µ-law for names ending `.ulaw`, `.ul`, `.mulaw`, `.pcmu`, `.u`; A-law for `.alaw`, `.al`, `.pcma`, `.a`.
public enum AudioFileDecoder {
    /// The largest file read: 256 MiB (25 minutes of 48 kHz 16-bit stereo WAV). The decoder holds the whole file.
    public static let maximumFileSize = 256 * 1024 * 1024
    /// The sample rates accepted.
    public static let sampleRates = 4_000...192_000

    /// The clip in `bytes`; `fileName` decides how a file with no RIFF header is read.
    public static func decode(_ bytes: [UInt8], fileName: String) throws(AudioFileError) -> AudioClip {
        guard bytes.count <= Self.maximumFileSize else {
            throw AudioFileError(
                .tooLong,
                "the file is \(bytes.count) bytes; at most \(Self.maximumFileSize) (256 MiB) are read"
            )
        }
        if bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) {
            return try Self.decodeWAV(bytes)
        }
        let lowered = fileName.lowercased()
        let suffix = lowered.split(separator: ".").last.map(String.init) ?? ""
        let codec: G711Codec
        switch suffix {
        case "ulaw", "ul", "mulaw", "pcmu", "u": codec = .muLaw
        case "alaw", "al", "pcma", "a": codec = .aLaw
        default:
            throw AudioFileError(
                .unknownFormat,
                "not a WAV file (no RIFF/WAVE header) and not named as raw G.711 (.ulaw, .alaw, .pcmu, .pcma, .ul, .al)"
            )
        }
        try Self.checkLength(bytes.count)
        return AudioClip(codes: bytes, codec: codec)
    }

    private static func checkLength(_ samples: Int) throws(AudioFileError) {
        guard samples >= AudioClip.minimumSamples else {
            throw AudioFileError(
                .tooShort,
                "the audio is \(samples) samples at 8 kHz; at least \(AudioClip.minimumSamples) (20 ms) are needed"
            )
        }
        guard samples <= AudioClip.maximumSamples else {
            throw AudioFileError(
                .tooLong,
                "the audio is \(samples / MediaTiming.sampleRate) s long at 8 kHz; at most 30 minutes are kept"
            )
        }
    }

    /// The fields of a `fmt ` chunk that matter.
    struct WAVFormat {
        var formatTag: UInt16
        var channels: Int
        var sampleRate: Int
        var bitsPerSample: Int
        var blockAlign: Int
    }

    static func decodeWAV(_ bytes: [UInt8]) throws(AudioFileError) -> AudioClip {
        var format: WAVFormat?
        var data: Range<Int>?
        // Chunks after the 12-byte RIFF header: 4-byte id, 4-byte little-endian size, the body, a pad byte when
        // the size is odd (RIFF's word alignment).
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(Self.uint32(bytes, offset + 4))
            let body = offset + 8
            // A data chunk that runs past the end is taken to the end (writers that never patched the size).
            let end = min(bytes.count, body &+ size)
            guard size >= 0, body <= end else { break }
            switch id {
            case "fmt ":
                guard end - body >= 16 else {
                    throw AudioFileError(.malformed, "the WAV fmt chunk is \(end - body) bytes; at least 16 needed")
                }
                var tag = Self.uint16(bytes, body)
                if tag == 0xFFFE {
                    // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
                    guard end - body >= 40 else {
                        throw AudioFileError(.malformed, "the WAV extensible fmt chunk is shorter than 40 bytes")
                    }
                    tag = Self.uint16(bytes, body + 24)
                }
                format = WAVFormat(
                    formatTag: tag,
                    channels: Int(Self.uint16(bytes, body + 2)),
                    sampleRate: Int(Self.uint32(bytes, body + 4)),
                    bitsPerSample: Int(Self.uint16(bytes, body + 14)),
                    blockAlign: Int(Self.uint16(bytes, body + 12))
                )
            case "data":
                data = body..<end
            default:
                break
            }
            if data != nil, format != nil { break }
            offset = body + size + (size & 1)
        }
        guard let format else { throw AudioFileError(.malformed, "the WAV file has no fmt chunk") }
        guard let data else { throw AudioFileError(.malformed, "the WAV file has no data chunk") }
        guard (1...8).contains(format.channels) else {
            throw AudioFileError(.unsupportedEncoding, "the WAV file has \(format.channels) channels; 1 to 8 accepted")
        }
        guard Self.sampleRates.contains(format.sampleRate) else {
            throw AudioFileError(
                .unsupportedEncoding,
                "the WAV sample rate is \(format.sampleRate) Hz; 4,000 to 192,000 Hz accepted"
            )
        }
        let bytesPerSample: Int
        switch (format.formatTag, format.bitsPerSample) {
        case (1, 8), (6, 8), (7, 8): bytesPerSample = 1
        case (1, 16): bytesPerSample = 2
        case (1, 24): bytesPerSample = 3
        case (1, 32), (3, 32): bytesPerSample = 4
        default:
            throw AudioFileError(
                .unsupportedEncoding,
                "the WAV encoding is format \(format.formatTag) with \(format.bitsPerSample)-bit samples; accepted: "
                    + "PCM 8/16/24/32-bit, float 32-bit, A-law and µ-law 8-bit"
            )
        }
        let frameSize = bytesPerSample * format.channels
        let frames = data.count / frameSize
        // The output length, checked before any conversion work.
        let outputSamples = Int((Double(frames) * Double(MediaTiming.sampleRate) / Double(format.sampleRate)))
        try Self.checkLength(outputSamples)
        var mono = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(format.channels)
        for frame in 0..<frames {
            var sum: Float = 0
            let base = data.lowerBound + frame * frameSize
            for channel in 0..<format.channels {
                let at = base + channel * bytesPerSample
                sum += Self.sample(bytes, at: at, tag: format.formatTag, bytes: bytesPerSample)
            }
            mono[frame] = sum * scale
        }
        let resampled =
            format.sampleRate == MediaTiming.sampleRate
            ? mono : Resampler.resample(mono, from: format.sampleRate, to: MediaTiming.sampleRate)
        let samples = resampled.map { value -> Int16 in
            let scaled = (value * 32767).rounded()
            return Int16(max(-32768, min(32767, scaled.isNaN ? 0 : scaled)))
        }
        try Self.checkLength(samples.count)
        return AudioClip(samples: samples)
    }

    /// One sample in [−1, 1].
    private static func sample(_ bytes: [UInt8], at offset: Int, tag: UInt16, bytes size: Int) -> Float {
        switch (tag, size) {
        case (6, 1): return Float(G711Codec.aLaw.decode(bytes[offset])) / 32768
        case (7, 1): return Float(G711Codec.muLaw.decode(bytes[offset])) / 32768
        case (_, 1): return (Float(bytes[offset]) - 128) / 128
        case (_, 2): return Float(Int16(bitPattern: Self.uint16(bytes, offset))) / 32768
        case (_, 3):
            let value = Int32(
                bitPattern: UInt32(bytes[offset]) << 8 | UInt32(bytes[offset + 1]) << 16
                    | UInt32(bytes[offset + 2]) << 24
            )
            return Float(value >> 8) / 8_388_608
        case (3, 4):
            let value = Float(bitPattern: Self.uint32(bytes, offset))
            return value.isFinite ? max(-1, min(1, value)) : 0
        default:
            return Float(Int32(bitPattern: Self.uint32(bytes, offset))) / 2_147_483_648
        }
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        guard offset + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        guard offset + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
