@_spi(Testing) import Cluster
import Testing

@Suite("Cluster fuzz interpreter")
struct ClusterFuzzTests {
    @Test("Hand-made inputs: valid, signed junk, unsigned junk, extreme fields")
    func handMade() {
        // A signed heartbeat from beta (mode 3: sign, and take its own timestamp as the clock).
        var heartbeat: [UInt8] = [1, 1, 4] + Array("beta".utf8)
        heartbeat += [0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 12]
        heartbeat += Array(repeating: 0xFF, count: 12)
        let inputs: [[UInt8]] = [
            [], [0], [1], [3], [3, 1, 2, 255],
            [3] + heartbeat,
            [2] + heartbeat,
            [3] + heartbeat + [0],
            [1] + Array(repeating: 0xFF, count: 1_500),
            [0] + Array(repeating: 0x01, count: 200),
        ]
        for input in inputs {
            #expect(ClusterFuzzInput.run(input) == [], "\(input.prefix(8))")
        }
    }

    @Test("Random signed and unsigned inputs report no problem")
    func random() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            var input = (0..<Int.random(in: 0...120, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            // Mostly well-shaped: version 1, a known type and a short name, so that many get past the layout.
            if input.count > 8, Bool.random(using: &generator) {
                input[1] = 1
                input[2] = UInt8.random(in: 1...2, using: &generator)
                input[3] = 1
                input[4] = UInt8(ascii: "n")
            }
            #expect(ClusterFuzzInput.run(input) == [])
        }
    }
}
