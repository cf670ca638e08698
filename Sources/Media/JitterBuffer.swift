/// A small jitter buffer for one incoming G.711 stream: packets in by sequence number, one 20 ms frame out per tick.
///
/// Packets are kept in a ring of fixed slots indexed by sequence number, so that reordering costs nothing, a
/// duplicate is found in one comparison, and the memory is fixed when the stream is created (``capacity`` frames
/// of ``MediaTiming/samplesPerFrame`` bytes). Play-out starts once ``targetDepth`` frames are buffered; from then on
/// each ``nextFrame()`` takes the next sequence number whether or not it arrived (a loss plays as silence: G.711
/// needs no concealment state, and the mixer adds silence for it).
///
/// - A packet older than the play-out point arrived too late to be heard: dropped, counted as ``Statistics/late``.
/// - A packet already buffered: dropped, counted as ``Statistics/duplicates``.
/// - A packet more than ``capacity`` frames ahead: either the sender jumped (a new talkspurt after a pause, a
///   restarted stream) or its clock runs fast; the buffer starts over from it (``Statistics/resets``) rather than
///   grow.
/// - A new SSRC is a new stream: the buffer starts over.
/// - After ``underrunLimit`` frames with nothing buffered the stream is taken as paused (silence suppression, a
///   held phone) and play-out waits for ``targetDepth`` frames again.
public struct JitterBuffer: Sendable {
    /// What the buffer counted since it was made.
    public struct Statistics: Hashable, Sendable {
        /// Packets stored.
        public var accepted = 0
        /// Packets already buffered or played.
        public var duplicates = 0
        /// Packets that arrived after their frame was played.
        public var late = 0
        /// Frames played out with no packet (lost, or not yet arrived).
        public var lost = 0
        /// Times the buffer started over (sequence jump, new SSRC).
        public var resets = 0
        /// Packets whose payload was not one 20 ms G.711 frame.
        public var wrongSize = 0

        public init() {}
    }

    /// The most frames held: 16 × 20 ms = 320 ms, far above the jitter of a LAN or a sane WAN, and a fixed
    /// 2.5 KiB per stream.
    public static let defaultCapacity = 16
    /// Frames buffered before play-out starts: 2 × 20 ms = 40 ms of delay, enough for the scheduling jitter of
    /// phones and of a busy server on a LAN.
    public static let defaultTargetDepth = 2
    /// Empty frames in a row after which the stream counts as paused: 10 × 20 ms = 200 ms.
    public static let underrunLimit = 10

    public let capacity: Int
    public let targetDepth: Int
    public private(set) var statistics = Statistics()

    /// The payloads, `capacity` slots of one frame each.
    private var slots: [UInt8]
    /// The sequence number held by each slot, valid where `occupied` is set.
    private var slotSequence: [UInt16]
    private var occupied: [Bool]
    private var ssrc: UInt32?
    /// The sequence number of the next frame to play.
    private var playout: UInt16 = 0
    /// Waiting for `targetDepth` frames before playing.
    private var isPrebuffering = true
    private var emptyInARow = 0
    /// The highest sequence number stored, relative to `playout` (frames buffered ahead, counting gaps).
    private var span = 0

    public init(capacity: Int = Self.defaultCapacity, targetDepth: Int = Self.defaultTargetDepth) {
        precondition(capacity >= 2 && targetDepth >= 1 && targetDepth < capacity, "jitter buffer sizes")
        self.capacity = capacity
        self.targetDepth = targetDepth
        self.slots = [UInt8](repeating: 0, count: capacity * MediaTiming.samplesPerFrame)
        self.slotSequence = [UInt16](repeating: 0, count: capacity)
        self.occupied = [Bool](repeating: false, count: capacity)
    }

    /// Frames stored and not yet played.
    public var bufferedFrames: Int { self.occupied.lazy.filter { $0 }.count }

    /// What ``insert(sequenceNumber:ssrc:payload:)`` did with a packet.
    public enum InsertResult: Hashable, Sendable {
        case accepted
        case duplicate
        case late
        case wrongSize
        /// Stored after the buffer started over (jump or new SSRC).
        case acceptedAfterReset
    }

    /// Stores one packet's payload.
    @discardableResult
    public mutating func insert(
        sequenceNumber: UInt16,
        ssrc: UInt32,
        payload: UnsafeRawBufferPointer
    ) -> InsertResult {
        guard payload.count == MediaTiming.samplesPerFrame else {
            self.statistics.wrongSize += 1
            return .wrongSize
        }
        var result = InsertResult.accepted
        if self.ssrc != ssrc {
            if self.ssrc != nil {
                self.statistics.resets += 1
                result = .acceptedAfterReset
            }
            self.restart(at: sequenceNumber, ssrc: ssrc)
        }
        if self.isPrebuffering && self.span == 0 {
            // Nothing buffered and nothing playing (the start, or a pause): play-out starts at this packet.
            self.playout = sequenceNumber
        }
        // The distance from the play-out point, in (-32768, 32767]: RFC 3550 sequence numbers wrap.
        var ahead = Int(Int16(bitPattern: sequenceNumber &- self.playout))
        if ahead < 0 {
            if self.isPrebuffering {
                // Before play-out starts an earlier packet moves the start back, as long as the span fits.
                if self.span - ahead < self.capacity {
                    self.playout = sequenceNumber
                    self.span -= ahead
                    ahead = 0
                } else {
                    self.statistics.late += 1
                    return .late
                }
            } else if -ahead > self.capacity * 4 {
                // Far behind: the sender restarted its numbering.
                self.statistics.resets += 1
                self.restart(at: sequenceNumber, ssrc: ssrc)
                ahead = 0
                result = .acceptedAfterReset
            } else {
                self.statistics.late += 1
                return .late
            }
        }
        if ahead >= self.capacity {
            // Too far ahead to hold: start over from this packet.
            self.statistics.resets += 1
            self.restart(at: sequenceNumber, ssrc: ssrc)
            ahead = 0
            result = .acceptedAfterReset
        }
        let slot = Int(sequenceNumber) % self.capacity
        if self.occupied[slot] && self.slotSequence[slot] == sequenceNumber {
            self.statistics.duplicates += 1
            return .duplicate
        }
        self.occupied[slot] = true
        self.slotSequence[slot] = sequenceNumber
        let base = slot * MediaTiming.samplesPerFrame
        self.slots.withUnsafeMutableBytes { slots in
            UnsafeMutableRawBufferPointer(rebasing: slots[base..<base + payload.count]).copyMemory(from: payload)
        }
        self.span = max(self.span, ahead + 1)
        self.statistics.accepted += 1
        return result
    }

    /// The next frame to play, handed to `body` as G.711 codes, or nil while prebuffering and for a lost frame.
    /// Advances the play-out point by one frame unless prebuffering.
    public mutating func nextFrame<Result>(_ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        if self.isPrebuffering {
            guard self.span >= self.targetDepth else { return body(nil) }
            self.isPrebuffering = false
            self.emptyInARow = 0
        }
        let slot = Int(self.playout) % self.capacity
        let present = self.occupied[slot] && self.slotSequence[slot] == self.playout
        self.playout &+= 1
        self.span = max(0, self.span - 1)
        if present {
            self.occupied[slot] = false
            self.emptyInARow = 0
            let base = slot * MediaTiming.samplesPerFrame
            return self.slots.withUnsafeBytes { slots in
                body(UnsafeRawBufferPointer(rebasing: slots[base..<base + MediaTiming.samplesPerFrame]))
            }
        }
        self.statistics.lost += 1
        self.emptyInARow += 1
        if self.emptyInARow >= Self.underrunLimit && self.span == 0 {
            // Nothing has come for a while: wait for targetDepth frames again rather than count losses forever.
            // The frames counted lost while the sender was silent are taken back.
            self.statistics.lost -= self.emptyInARow
            self.isPrebuffering = true
        }
        return body(nil)
    }

    private mutating func restart(at sequenceNumber: UInt16, ssrc: UInt32) {
        for index in self.occupied.indices { self.occupied[index] = false }
        self.ssrc = ssrc
        self.playout = sequenceNumber
        self.span = 0
        self.isPrebuffering = true
        self.emptyInARow = 0
    }
}
