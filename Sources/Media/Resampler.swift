import Foundation

/// Sample-rate conversion by windowed-sinc interpolation, for converting music-on-hold files once at load.
///
/// Each output sample is the input convolved with a sinc low-pass filter centred on the output instant and cut off
/// at 0.9 × the lower Nyquist frequency (3.6 kHz when the output is 8 kHz), Blackman-windowed over ±16 zero
/// crossings, so that audio above what 8 kHz can carry is filtered out instead of folding back as aliasing. The
/// kernel is tabulated once (``tableResolution`` points per zero crossing) so that a tap is a look-up, not a sine.
enum Resampler {
    /// Zero crossings of the sinc on each side of the centre.
    static let halfWidth = 16
    /// Kernel points per zero crossing.
    static let tableResolution = 512

    /// The kernel for |u| in [0, halfWidth], u in zero crossings.
    static let kernel: [Double] = (0...(halfWidth * tableResolution)).map { index in
        let u = Double(index) / Double(tableResolution)
        let sinc = u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
        let window =
            0.42 + 0.5 * cos(Double.pi * u / Double(halfWidth))
            + 0.08 * cos(2 * Double.pi * u / Double(halfWidth))
        return sinc * window
    }

    static func resample(_ input: [Float], from inputRate: Int, to outputRate: Int) -> [Float] {
        guard !input.isEmpty, inputRate > 0, outputRate > 0 else { return [] }
        let ratio = Double(outputRate) / Double(inputRate)
        let outputCount = Int(Double(input.count) * ratio)
        // The filter's cut-off relative to the input rate.
        let cutoff = 0.9 * min(1, ratio)
        // The filter's half-length in input samples.
        let reach = Double(halfWidth) / cutoff
        let scale = cutoff * Double(tableResolution)
        var output = [Float](repeating: 0, count: outputCount)
        Self.kernel.withUnsafeBufferPointer { kernel in
            input.withUnsafeBufferPointer { input in
                for index in 0..<outputCount {
                    let centre = Double(index) / ratio
                    let first = max(0, Int((centre - reach).rounded(.up)))
                    let last = min(input.count - 1, Int((centre + reach).rounded(.down)))
                    guard first <= last else { continue }
                    var sum = 0.0
                    var weights = 0.0
                    for position in first...last {
                        let point = min(kernel.count - 1, Int((abs(Double(position) - centre) * scale).rounded()))
                        let weight = kernel[point]
                        sum += Double(input[position]) * weight
                        weights += weight
                    }
                    // Normalised by the weights' sum: unity gain at DC, also near the ends of the file.
                    output[index] = weights != 0 ? Float(sum / weights) : 0
                }
            }
        }
        return output
    }
}
