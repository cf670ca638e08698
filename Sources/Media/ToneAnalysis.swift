import Foundation

/// Measuring and making test tones: the relative power of one frequency in a block of samples (the Goertzel
/// algorithm, one DFT bin without the rest of an FFT) and a sine oscillator that keeps its phase across frames.
/// The benchmark's simulated participants send with it, and the tests check what a bridge mixed with it.
public enum ToneAnalysis {
    /// The power of `frequency` in `samples` (8 kHz), normalised so that a full-scale sine gives about 0.25 and
    /// silence 0, independent of the block length.
    public static func power(
        of frequency: Double,
        in samples: [Int16],
        sampleRate: Int = MediaTiming.sampleRate
    )
        -> Double
    {
        guard !samples.isEmpty else { return 0 }
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) / 32768 + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        let length = Double(samples.count)
        return power / (length * length)
    }
}

/// A sine wave generated frame by frame with a continuous phase.
public struct SineOscillator: Hashable, Sendable {
    public let frequency: Double
    public let amplitude: Double
    private var phase = 0.0

    /// `amplitude` in 16-bit units (8,000 is about −12 dBFS).
    public init(frequency: Double, amplitude: Double = 8_000) {
        self.frequency = frequency
        self.amplitude = amplitude
    }

    /// The next `count` samples.
    public mutating func next(_ count: Int = MediaTiming.samplesPerFrame) -> [Int16] {
        let step = 2 * Double.pi * self.frequency / Double(MediaTiming.sampleRate)
        var samples = [Int16](repeating: 0, count: count)
        for index in 0..<count {
            samples[index] = Int16((sin(self.phase) * self.amplitude).rounded())
            self.phase += step
            if self.phase > 2 * Double.pi { self.phase -= 2 * Double.pi }
        }
        return samples
    }

    /// The next frame encoded with `codec`.
    public mutating func nextFrame(_ codec: G711Codec) -> [UInt8] {
        self.next().map { codec.encode($0) }
    }
}
