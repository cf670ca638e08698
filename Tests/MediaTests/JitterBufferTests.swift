import Media
import Testing

@Suite struct JitterBufferTests {
    /// A frame whose every byte is `marker`, so that what comes out tells which packet it was.
    static func frame(_ marker: UInt8) -> [UInt8] { [UInt8](repeating: marker, count: MediaTiming.samplesPerFrame) }

    @discardableResult
    static func insert(_ buffer: inout JitterBuffer, _ sequence: UInt16, ssrc: UInt32 = 1) -> JitterBuffer.InsertResult
    {
        Self.frame(UInt8(truncatingIfNeeded: sequence)).withUnsafeBytes {
            buffer.insert(sequenceNumber: sequence, ssrc: ssrc, payload: $0)
        }
    }

    /// The marker of the next frame, or nil for none.
    static func next(_ buffer: inout JitterBuffer) -> UInt8? {
        buffer.nextFrame { frame in frame.map { $0[0] } }
    }

    @Test func waitsForTheTargetDepthThenPlaysInOrder() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        Self.insert(&buffer, 100)
        #expect(Self.next(&buffer) == nil)  // prebuffering: one frame is not enough
        Self.insert(&buffer, 101)
        #expect(Self.next(&buffer) == 100)
        Self.insert(&buffer, 102)
        #expect(Self.next(&buffer) == 101)
        #expect(Self.next(&buffer) == 102)
        #expect(buffer.statistics.accepted == 3)
        #expect(buffer.statistics.lost == 0)
    }

    @Test func reordersPackets() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        for sequence: UInt16 in [10, 12, 11, 14, 13] { Self.insert(&buffer, sequence) }
        #expect((0..<5).map { _ in Self.next(&buffer) } == [10, 11, 12, 13, 14])
        #expect(buffer.statistics.lost == 0)
    }

    @Test func anEarlierPacketBeforePlayoutMovesTheStartBack() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 3)
        Self.insert(&buffer, 21)
        Self.insert(&buffer, 20)
        Self.insert(&buffer, 22)
        #expect((0..<3).map { _ in Self.next(&buffer) } == [20, 21, 22])
    }

    @Test func aLostPacketPlaysAsNothingAndIsCounted() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        for sequence: UInt16 in [1, 2, 4, 5] { Self.insert(&buffer, sequence) }
        #expect((0..<5).map { _ in Self.next(&buffer) } == [1, 2, nil, 4, 5])
        #expect(buffer.statistics.lost == 1)
    }

    @Test func duplicatesAreDroppedAndCounted() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        #expect(Self.insert(&buffer, 7) == .accepted)
        #expect(Self.insert(&buffer, 7) == .duplicate)
        Self.insert(&buffer, 8)
        #expect(Self.insert(&buffer, 8) == .duplicate)
        #expect((0..<2).map { _ in Self.next(&buffer) } == [7, 8])
        #expect(buffer.statistics.duplicates == 2)
    }

    @Test func aPacketAfterItsFrameWasPlayedIsLate() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        Self.insert(&buffer, 1)
        Self.insert(&buffer, 3)
        #expect(Self.next(&buffer) == 1)
        #expect(Self.next(&buffer) == nil)  // 2 is missing
        #expect(Self.insert(&buffer, 2) == .late)
        #expect(Self.next(&buffer) == 3)
        #expect(buffer.statistics.late == 1)
        #expect(buffer.statistics.lost == 1)
    }

    @Test func sequenceNumbersWrapAround() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        for sequence: UInt16 in [65_534, 65_535, 0, 1] { Self.insert(&buffer, sequence) }
        #expect((0..<4).map { _ in Self.next(&buffer) } == [254, 255, 0, 1])
        #expect(buffer.statistics.lost == 0)
    }

    @Test func isBoundedAndStartsOverFarAhead() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        Self.insert(&buffer, 100)
        Self.insert(&buffer, 101)
        // 500 frames ahead cannot be held in 8 slots: the buffer restarts from it instead of growing.
        #expect(Self.insert(&buffer, 600) == .acceptedAfterReset)
        Self.insert(&buffer, 601)
        #expect(buffer.bufferedFrames == 2)
        #expect((0..<2).map { _ in Self.next(&buffer) } == [88, 89])  // 600 & 0xFF, 601 & 0xFF
        #expect(buffer.statistics.resets == 1)
    }

    @Test func aNewSSRCIsANewStream() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        Self.insert(&buffer, 5, ssrc: 1)
        Self.insert(&buffer, 6, ssrc: 1)
        #expect(Self.insert(&buffer, 5000, ssrc: 2) == .acceptedAfterReset)
        Self.insert(&buffer, 5001, ssrc: 2)
        #expect((0..<2).map { _ in Self.next(&buffer) } == [136, 137])  // 5000 & 0xFF = 136
    }

    @Test func aWrongSizedPayloadIsRefused() {
        var buffer = JitterBuffer()
        let result = [UInt8](repeating: 0, count: 80).withUnsafeBytes {
            buffer.insert(sequenceNumber: 1, ssrc: 1, payload: $0)
        }
        #expect(result == .wrongSize)
        #expect(buffer.statistics.wrongSize == 1)
        #expect(buffer.bufferedFrames == 0)
    }

    @Test func aSilentSenderPausesPlayoutInsteadOfCountingLosses() {
        var buffer = JitterBuffer(capacity: 8, targetDepth: 2)
        Self.insert(&buffer, 1)
        Self.insert(&buffer, 2)
        _ = Self.next(&buffer)
        _ = Self.next(&buffer)
        for _ in 0..<50 { #expect(Self.next(&buffer) == nil) }
        // Silence suppression: the sender resumes with the next sequence number; play-out prebuffers again.
        Self.insert(&buffer, 3)
        #expect(Self.next(&buffer) == nil)
        Self.insert(&buffer, 4)
        #expect(Self.next(&buffer) == 3)
        #expect(buffer.statistics.lost < JitterBuffer.underrunLimit)
    }
}
