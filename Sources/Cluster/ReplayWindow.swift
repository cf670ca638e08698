/// The sequence numbers accepted from one peer: the highest, and which of the
/// ``ClusterLimits/replayWindowSize`` below it (RFC 4303 §3.4.3's anti-replay window, as IPsec keeps it).
///
/// A datagram is accepted once; datagrams reordered by the network are accepted as long as they are within the
/// window; anything older is refused because the window can no longer tell whether it was seen.
public struct ReplayWindow: Hashable, Sendable {
    /// The highest sequence number accepted, nil until the first.
    public private(set) var highest: UInt64?
    /// Bit i set: `highest - i` was accepted (bit 0 is `highest` itself).
    private var seen: UInt64 = 0

    /// The verdict on one sequence number.
    public enum Verdict: Hashable, Sendable {
        /// Not seen before and within (or above) the window: accept it; ``record(_:)`` it once the datagram passes.
        case fresh
        /// Already accepted once.
        case replayed
        /// Below the window.
        case tooOld
    }

    public init() {}

    /// Whether `sequence` may be accepted, without recording it.
    public func check(_ sequence: UInt64) -> Verdict {
        guard let highest = self.highest, sequence <= highest else { return .fresh }
        let offset = highest - sequence
        guard offset < ClusterLimits.replayWindowSize else { return .tooOld }
        return self.seen & (1 << offset) != 0 ? .replayed : .fresh
    }

    /// Records `sequence` as accepted (call after ``check(_:)`` said `.fresh`).
    public mutating func record(_ sequence: UInt64) {
        guard let highest = self.highest else {
            self.highest = sequence
            self.seen = 1
            return
        }
        if sequence > highest {
            let shift = sequence - highest
            self.seen = shift >= ClusterLimits.replayWindowSize ? 1 : (self.seen << shift) | 1
            self.highest = sequence
        } else {
            let offset = highest - sequence
            if offset < ClusterLimits.replayWindowSize { self.seen |= 1 << offset }
        }
    }
}
