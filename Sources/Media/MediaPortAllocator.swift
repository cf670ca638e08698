/// Hands out the even UDP ports of the media port range (`--media-ports`, default 16384–32767).
///
/// RTP takes even ports and leaves each odd port above for RTCP (RFC 3550 §11). Ports are handed out round-robin
/// from where the last one was taken, so that a port just released is the last to be reused: a packet still on
/// its way to a participant who left does not land in the stream of the next one. A port another process holds is
/// taken out of rotation by ``markUnusable(_:)`` until the allocator wraps around to it again.
public struct MediaPortAllocator: Hashable, Sendable {
    /// The range given; odd bounds are rounded inwards.
    public let range: ClosedRange<UInt16>
    private var inUse: Set<UInt16> = []
    private var next: UInt16

    /// Starts the rotation at the `start`-th even port of the range (wrapped), by default a random one: two
    /// servers on one machine do not start on the same port, and the ports a call gets are not predictable.
    public init(range: ClosedRange<UInt16>, start: Int? = nil) {
        self.range = range
        let first = range.lowerBound + (range.lowerBound & 1)
        self.next = first
        let capacity = self.capacity
        if capacity > 0 {
            let offset = (start ?? Int.random(in: 0..<capacity)) % capacity
            self.next = first + UInt16(offset * 2)
        }
    }

    /// How many even ports the range holds.
    public var capacity: Int {
        let first = Int(self.range.lowerBound) + Int(self.range.lowerBound & 1)
        let last = Int(self.range.upperBound) - Int(self.range.upperBound & 1)
        return last >= first ? (last - first) / 2 + 1 : 0
    }

    /// Ports handed out and not yet released.
    public var allocated: Int { self.inUse.count }

    /// The next free even port not in `avoiding` (ports already tried for the same socket), or nil when every
    /// one is in use or avoided.
    public mutating func allocate(avoiding: Set<UInt16> = []) -> UInt16? {
        let capacity = self.capacity
        guard self.inUse.count < capacity else { return nil }
        for _ in 0..<capacity {
            let port = self.next
            self.advance()
            if !self.inUse.contains(port) && !avoiding.contains(port) {
                self.inUse.insert(port)
                return port
            }
        }
        return nil
    }

    /// Gives a port back.
    public mutating func release(_ port: UInt16) {
        self.inUse.remove(port)
    }

    /// A port that could not be bound (another process has it): released now, found busy again at the next
    /// round if it still is.
    public mutating func markUnusable(_ port: UInt16) {
        self.inUse.remove(port)
    }

    private mutating func advance() {
        let first = self.range.lowerBound + (self.range.lowerBound & 1)
        let (candidate, overflow) = self.next.addingReportingOverflow(2)
        self.next = overflow || candidate > self.range.upperBound ? first : candidate
    }
}
