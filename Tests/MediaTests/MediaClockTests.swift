import Media
import Testing

@Suite struct MediaClockTests {
    static let millisecond: UInt64 = 1_000_000

    @Test func nothingIsDueBeforeTheFirstDeadline() {
        var clock = MediaClock(origin: 1_000 * Self.millisecond)
        #expect(clock.dueTicks(now: 999 * Self.millisecond).isEmpty)
        #expect(clock.dueTicks(now: 1_000 * Self.millisecond) == 0..<1)
        #expect(clock.dueTicks(now: 1_000 * Self.millisecond).isEmpty)
        #expect(clock.nextDeadline == 1_020 * Self.millisecond)
    }

    @Test func aLateWakeUpRunsTheMissedTicksOnce() {
        var clock = MediaClock(origin: 0)
        _ = clock.dueTicks(now: 0)
        // Woken 45 ms late: ticks 1 and 2 are due (20 and 40 ms), tick 3 (60 ms) not yet.
        #expect(clock.dueTicks(now: 65 * Self.millisecond) == 1..<4)
        #expect(clock.dueTicks(now: 66 * Self.millisecond).isEmpty)
        #expect(clock.nextDeadline == 80 * Self.millisecond)
    }

    @Test func aStallSkipsAllButTheLastFewTicks() {
        var clock = MediaClock(origin: 0)
        _ = clock.dueTicks(now: 0)
        // A 10-second stall: 500 ticks are due; only the last maximumCatchUp run, the rest are counted as skipped.
        let due = clock.dueTicks(now: 10_000 * Self.millisecond)
        #expect(due.count == Int(MediaClock.maximumCatchUp))
        #expect(due.upperBound == 501)
        #expect(clock.skippedTicks == 500 - MediaClock.maximumCatchUp)
    }

    @Test func resumingAfterSleepingSkipsNothingAndCountsNothing() {
        var clock = MediaClock(origin: 0)
        _ = clock.dueTicks(now: 0)
        // Slept 10 s with nothing to serve: the next tick is the first one after now, none is counted as skipped.
        clock.resume(now: 10_005 * Self.millisecond)
        #expect(clock.nextDeadline == 10_020 * Self.millisecond)
        #expect(clock.dueTicks(now: 10_020 * Self.millisecond).count == 1)
        #expect(clock.skippedTicks == 0)
    }

    @Test func deadlinesDoNotDriftOverADay() {
        let origin: UInt64 = 123_456_789
        let clock = MediaClock(origin: origin)
        // 24 h of 20 ms ticks: tick 4,320,000 is due exactly 86,400 s after the origin.
        #expect(clock.deadline(of: 4_320_000) == origin + 86_400 * 1_000 * Self.millisecond)
    }

    @Test func jitteryWakeUpsRunEveryTickExactlyOnceOverAnHour() {
        var clock = MediaClock(origin: 0)
        var generator = SplitMix(seed: 7)
        var ran: UInt64 = 0
        var expected: UInt64 = 0
        var now: UInt64 = 0
        let hour = 3_600 * 1_000 * Self.millisecond
        while now < hour {
            // The owner sleeps until the next deadline and wakes up 0–3 ms late, as a busy event loop does.
            now = clock.nextDeadline + generator.next() % (3 * Self.millisecond)
            let due = clock.dueTicks(now: now)
            #expect(due.lowerBound == expected)
            ran += UInt64(due.count)
            expected = due.upperBound
        }
        // One tick per 20 ms of the hour, no more and no fewer: 180,000 (+1 for tick 0, +1 past the end).
        #expect(ran == expected)
        #expect(ran == now / (20 * Self.millisecond) + 1)
        #expect(clock.skippedTicks == 0)
    }
}

/// A small deterministic generator for the tests (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
