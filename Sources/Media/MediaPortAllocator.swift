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

    public init(range: ClosedRange<UInt16>) {
        self.range = range
        self.next = range.lowerBound + (range.lowerBound & 1)
    }

    /// How many even ports the range holds.
    public var capacity: Int {
        let first = Int(self.range.lowerBound) + Int(self.range.lowerBound & 1)
        let last = Int(self.range.upperBound) - Int(self.range.upperBound & 1)
        return last >= first ? (last - first) / 2 + 1 : 0
    }

    /// Ports handed out and not yet released.
    public var allocated: Int { self.inUse.count }

    /// The next free even port, or nil when every one is in use.
    public mutating func allocate() -> UInt16? {
        let capacity = self.capacity
        guard self.inUse.count < capacity else { return nil }
        for _ in 0..<capacity {
            let port = self.next
            self.advance()
            if !self.inUse.contains(port) {
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
