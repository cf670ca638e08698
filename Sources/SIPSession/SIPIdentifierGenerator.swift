/// Makes the random parts of SIP messages: branches (RFC 3261 §8.1.1.7: unique across time and space, starting
/// with the magic cookie), tags (§19.3: at least 32 bits of randomness) and Call-IDs (§8.1.1.4).
///
/// A value type with its own generator, so that a machine's output is reproducible in tests (seeded) and random in
/// production (seeded from the system's generator).
public struct SIPIdentifierGenerator: Sendable {
    private var state: UInt64

    /// Seeded from the system's random number generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.state = system.next()
    }

    /// A fixed seed: the same sequence every time (tests).
    public init(seed: UInt64) {
        self.state = seed
    }

    /// SplitMix64: fast, full-period, good enough to make identifiers that must be unique and hard to guess for
    /// an off-path attacker (no secret depends on it; digest cnonces come from here too and only need uniqueness).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    private mutating func hex(_ words: Int) -> String {
        (0..<words).map { _ in
            let text = String(next(), radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    public mutating func branch() -> String { "z9hG4bK" + hex(1) }

    public mutating func tag() -> String { String(hex(1).prefix(12)) }

    public mutating func callID(host: String) -> String { "\(hex(2))@\(host)" }

    /// A client nonce for digest authentication (RFC 7616 §3.4).
    public mutating func cnonce() -> String { hex(1) }
}
