/// The N−1 mix of one conference for one 20 ms frame: every participant hears the sum of everyone but themselves.
///
/// Each talking participant's frame is decoded to 16-bit linear and added into a 32-bit accumulator (``add(_:)``);
/// each listener's output is then the accumulator minus their own frame, clipped to 16 bits and encoded in the
/// listener's law (``writeMix(excluding:codec:into:)``), so µ-law and A-law phones are mixed and transcoded in the
/// same pass. 32 bits hold the sum of 65,536 full-scale frames, far more than a conference has; clipping happens
/// once, on the way out, so that two loud talkers saturate instead of wrapping around into noise.
public struct ConferenceMixer: Sendable {
    /// The running sum of this frame's talkers, one entry per sample.
    private var accumulator: [Int32]
    /// How many frames were added since ``reset()``.
    public private(set) var contributors = 0

    public init() {
        self.accumulator = [Int32](repeating: 0, count: MediaTiming.samplesPerFrame)
    }

    /// Starts a new frame.
    public mutating func reset() {
        guard self.contributors > 0 else { return }
        for index in self.accumulator.indices { self.accumulator[index] = 0 }
        self.contributors = 0
    }

    /// Adds one talker's decoded frame (``MediaTiming/samplesPerFrame`` samples; extra samples are ignored).
    public mutating func add(_ frame: UnsafeBufferPointer<Int16>) {
        let count = min(frame.count, MediaTiming.samplesPerFrame)
        self.accumulator.withUnsafeMutableBufferPointer { sum in
            for index in 0..<count { sum[index] &+= Int32(frame[index]) }
        }
        self.contributors += 1
    }

    /// Writes the mix without `own` (the listener's own frame, as added; nil for a listener who did not talk),
    /// clipped to 16 bits and encoded with `codec`, into `output` (``MediaTiming/samplesPerFrame`` bytes).
    public func writeMix(
        excluding own: UnsafeBufferPointer<Int16>?,
        codec: G711Codec,
        into output: UnsafeMutableRawBufferPointer
    ) {
        let count = min(output.count, MediaTiming.samplesPerFrame)
        let encode = codec == .muLaw ? G711Tables.muLawEncode : G711Tables.aLawEncode
        let shift = codec == .muLaw ? 2 : 3
        let offset = codec == .muLaw ? 8192 : 4096
        encode.withUnsafeBufferPointer { table in
            self.accumulator.withUnsafeBufferPointer { sum in
                for index in 0..<count {
                    var value = sum[index]
                    if let own, index < own.count { value &-= Int32(own[index]) }
                    let clipped = Int(min(max(value, Int32(Int16.min)), Int32(Int16.max)))
                    output[index] = table[(clipped >> shift) + offset]
                }
            }
        }
    }

    /// The mix without `own`, clipped, as 16-bit linear samples (for tests and analysis).
    public func mix(excluding own: [Int16]? = nil) -> [Int16] {
        self.accumulator.enumerated().map { index, value in
            let minusOwn = value - Int32(own.map { index < $0.count ? $0[index] : 0 } ?? 0)
            return Int16(min(max(minusOwn, Int32(Int16.min)), Int32(Int16.max)))
        }
    }
}
