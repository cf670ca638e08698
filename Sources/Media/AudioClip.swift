/// A piece of audio ready to stream: 8 kHz, encoded once in both G.711 laws at load, played in a loop.
///
/// Music-on-hold sources and tones are clips. Streaming one costs no encoding at all, only copying 160 bytes per
/// frame from ``muLaw`` or ``aLaw``: "one encode, many sends".
public struct AudioClip: Hashable, Sendable {
    /// The shortest clip: one frame, so that a loop always has something to play.
    public static let minimumSamples = MediaTiming.samplesPerFrame
    /// The longest clip: 30 minutes, 14.4 MB per law in memory. Hold music loops; anything longer is a recording
    /// that does not belong in the server's memory.
    public static let maximumSamples = 30 * 60 * MediaTiming.sampleRate

    /// The audio in µ-law codes, 8,000 a second.
    public let muLaw: [UInt8]
    /// The same audio in A-law codes.
    public let aLaw: [UInt8]

    /// Encodes `samples` (16-bit linear at 8 kHz) in both laws. Precondition: the length is within the bounds
    /// above (the file loader checks it and reports a clear error first).
    public init(samples: [Int16]) {
        precondition(
            samples.count >= Self.minimumSamples && samples.count <= Self.maximumSamples,
            "clip of \(samples.count) samples"
        )
        self.muLaw = samples.map { G711Codec.muLaw.encode($0) }
        self.aLaw = samples.map { G711Codec.aLaw.encode($0) }
    }

    /// A clip of audio already in one law (a raw G.711 file): the other law is transcoded through linear.
    public init(codes: [UInt8], codec: G711Codec) {
        precondition(
            codes.count >= Self.minimumSamples && codes.count <= Self.maximumSamples,
            "clip of \(codes.count) samples"
        )
        switch codec {
        case .muLaw:
            self.muLaw = codes
            self.aLaw = codes.map { G711Codec.aLaw.encode(G711Codec.muLaw.decode($0)) }
        case .aLaw:
            self.aLaw = codes
            self.muLaw = codes.map { G711Codec.muLaw.encode(G711Codec.aLaw.decode($0)) }
        }
    }

    /// Samples per law.
    public var sampleCount: Int { self.muLaw.count }

    /// The length in seconds.
    public var duration: Double { Double(self.sampleCount) / Double(MediaTiming.sampleRate) }

    /// The codes of one law.
    public func codes(_ codec: G711Codec) -> [UInt8] {
        codec == .muLaw ? self.muLaw : self.aLaw
    }

    /// Copies `output.count` codes of `codec` starting at sample `position`, wrapping at the end of the clip.
    public func copy(_ codec: G711Codec, from position: Int, into output: UnsafeMutableRawBufferPointer) {
        let codes = codec == .muLaw ? self.muLaw : self.aLaw
        codes.withUnsafeBytes { source in
            var written = 0
            var index = position % source.count
            while written < output.count {
                let run = min(output.count - written, source.count - index)
                UnsafeMutableRawBufferPointer(rebasing: output[written..<written + run])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[index..<index + run]))
                written += run
                index = 0
            }
        }
    }
}
