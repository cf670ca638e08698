import Media
import Testing

@Suite struct ConferenceMixerTests {
    static func constant(_ value: Int16) -> [Int16] { [Int16](repeating: value, count: MediaTiming.samplesPerFrame) }

    static func mix(_ mixer: ConferenceMixer, excluding own: [Int16]?, codec: G711Codec) -> [Int16] {
        var codes = [UInt8](repeating: 0, count: MediaTiming.samplesPerFrame)
        codes.withUnsafeMutableBytes { output in
            if let own {
                own.withUnsafeBufferPointer { mixer.writeMix(excluding: $0, codec: codec, into: output) }
            } else {
                mixer.writeMix(excluding: nil, codec: codec, into: output)
            }
        }
        return codes.map { codec.decode($0) }
    }

    @Test func eachParticipantHearsEveryoneButThemselves() {
        var mixer = ConferenceMixer()
        let a = Self.constant(1_000)
        let b = Self.constant(2_000)
        let c = Self.constant(-500)
        for frame in [a, b, c] { frame.withUnsafeBufferPointer { mixer.add($0) } }
        #expect(mixer.contributors == 3)
        #expect(mixer.mix(excluding: a) == Self.constant(1_500))
        #expect(mixer.mix(excluding: b) == Self.constant(500))
        #expect(mixer.mix(excluding: c) == Self.constant(3_000))
        #expect(mixer.mix() == Self.constant(2_500))
    }

    @Test func theSumIsClippedNotWrapped() {
        var mixer = ConferenceMixer()
        let loud = Self.constant(30_000)
        for _ in 0..<3 { loud.withUnsafeBufferPointer { mixer.add($0) } }
        // 90,000 and 60,000 do not fit 16 bits: they saturate at +32,767 instead of wrapping to negative.
        #expect(mixer.mix() == Self.constant(Int16.max))
        #expect(mixer.mix(excluding: loud) == Self.constant(Int16.max))
        var negative = ConferenceMixer()
        let quietNegative = Self.constant(-30_000)
        for _ in 0..<2 { quietNegative.withUnsafeBufferPointer { negative.add($0) } }
        #expect(negative.mix() == Self.constant(Int16.min))
        // Excluding one's own frame happens before clipping: one listener of two hears the other exactly.
        #expect(negative.mix(excluding: quietNegative) == quietNegative)
    }

    @Test func encodesEachListenerInItsOwnLaw() {
        var mixer = ConferenceMixer()
        let talker = Self.constant(4_000)
        talker.withUnsafeBufferPointer { mixer.add($0) }
        let heardMu = Self.mix(mixer, excluding: nil, codec: .muLaw)
        let heardA = Self.mix(mixer, excluding: nil, codec: .aLaw)
        // Both within G.711's quantisation step at 4,000 (µ-law: 128 × 4 / 2; A-law: 64 × 8 / 2 ... one step).
        #expect(heardMu.allSatisfy { abs(Int($0) - 4_000) <= 256 })
        #expect(heardA.allSatisfy { abs(Int($0) - 4_000) <= 256 })
        // The talker alone hears silence.
        let own = Self.mix(mixer, excluding: talker, codec: .aLaw)
        #expect(own.allSatisfy { abs(Int($0)) <= 8 })
    }

    @Test func resetStartsANewFrame() {
        var mixer = ConferenceMixer()
        Self.constant(100).withUnsafeBufferPointer { mixer.add($0) }
        mixer.reset()
        #expect(mixer.contributors == 0)
        #expect(mixer.mix() == Self.constant(0))
    }
}
