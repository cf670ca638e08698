import Foundation
import Media
import NIOCore
import Testing

/// The call-progress tones the engine plays (issue 14, item 5), measured on what a listener receives: the
/// frequencies of ITU-T E.180 Supplement 2's North American plan by Goertzel, their levels in dBm0, and the cadence
/// in RTP time, for both G.711 laws; and a tone leg that changes tone (ringback, then busy) mid-stream.
@Suite struct ToneTests {
    /// A 0 dBm0 sine's peak in the 16-bit scale the codec decodes to: G.711's maximum (8,159 µ-law steps × 4 =
    /// 32,636) is +3.17 dBm0 (ITU-T G.711 §4 and Table 5: the "digital milliwatt" is 3.17 dB below full load).
    static let zeroDBm0Peak = 32_636 / pow(10, 3.17 / 20)

    /// Each frequency of `tone` in the North American plan, and the ones that must not be in it.
    static let plan: [(tone: MediaTone, present: [Double], absent: [Double], on: Int, off: Int)] = [
        (.ringback, [440, 480], [350, 620], 2_000, 4_000),
        (.busy, [480, 620], [440, 350], 500, 500),
        (.reorder, [480, 620], [440, 350], 250, 250),
    ]

    /// What a tone leg of `tone` in `codec` sends during `frames` frames, decoded, packet by packet.
    static func listen(
        _ tone: MediaTone,
        codec: G711Codec,
        frames: UInt64,
        change: (frame: UInt64, tone: MediaTone)? = nil
    ) throws -> [[Int16]] {
        var engine = MediaEngineTests.engine()
        let started = engine.execute(
            .startTone(MediaLegID(7), tone: tone, codec: codec, remote: MediaEngineTests.phone(42_000))
        )
        guard case .reply(.endpoint) = started else {
            Issue.record("startTone answered \(started)")
            return []
        }
        var received: [[Int16]] = []
        // `run` runs the ticks of one frame at a time (the leg is served in one of its slots).
        for frame in 0..<frames {
            if let change, frame == change.frame {
                #expect(engine.execute(.playTone(MediaLegID(7), tone: change.tone)) == .reply(.done))
            }
            for send in MediaEngineTests.run(&engine, tick: frame).sends {
                let packet = try RTPPacket(parsing: send.packet)
                #expect(packet.payloadType == codec.payloadType)
                received.append(packet.payload.readableBytesView.map { codec.decode($0) })
            }
        }
        return received
    }

    /// The level in dBm0 of `frequency` in `samples`, from its Goertzel power (a full-scale sine gives 0.25).
    static func level(of frequency: Double, in samples: [Int16]) -> Double {
        let amplitude = (ToneAnalysis.power(of: frequency, in: samples) * 4).squareRoot() * 32_768
        return 20 * log10(max(amplitude, 1e-9) / zeroDBm0Peak)
    }

    /// Runs of frames with the tone and without, each with its length in milliseconds.
    static func cadence(_ frames: [[Int16]], frequency: Double) -> [(on: Bool, milliseconds: Int)] {
        var runs: [(on: Bool, milliseconds: Int)] = []
        for frame in frames {
            let on = ToneAnalysis.power(of: frequency, in: frame) > 0.001
            if let last = runs.last, last.on == on {
                runs[runs.count - 1].milliseconds += 20
            } else {
                runs.append((on, 20))
            }
        }
        return runs
    }

    @Test(arguments: [G711Codec.muLaw, .aLaw])
    func eachToneHasItsFrequenciesAtTheirLevelAndNothingElse(codec: G711Codec) throws {
        for (tone, present, absent, on, _) in Self.plan {
            let frames = try Self.listen(tone, codec: codec, frames: UInt64(on / 20))
            // The whole first "on" period, but the fade-in of its first frame.
            let audio = Array(frames.dropFirst().joined())
            for frequency in present {
                let level = Self.level(of: frequency, in: audio)
                // E.180 §2: each frequency of a tone between −10 and −20 dBm0; the engine aims at about −14.
                #expect(level > -17 && level < -11, "\(tone) \(frequency) Hz at \(level) dBm0 (\(codec))")
            }
            let weakest = present.map { ToneAnalysis.power(of: $0, in: audio) }.min() ?? 0
            for frequency in absent {
                #expect(
                    ToneAnalysis.power(of: frequency, in: audio) < weakest / 1_000,
                    "\(tone) has energy at \(frequency) Hz (\(codec))"
                )
            }
            // Two tones of equal level: neither more than 1 dB above the other.
            let levels = present.map { Self.level(of: $0, in: audio) }
            #expect((levels.max() ?? 0) - (levels.min() ?? 0) < 1, "\(tone): \(levels)")
        }
    }

    @Test func eachToneFollowsItsCadenceFromItsStart() throws {
        for (tone, present, _, on, off) in Self.plan {
            // Two whole cycles and the start of a third.
            let frames = try Self.listen(tone, codec: .muLaw, frames: UInt64((2 * (on + off) + on / 2) / 20))
            let runs = Self.cadence(frames, frequency: present[0])
            #expect(runs.count == 5, "\(tone): \(runs)")
            guard runs.count == 5 else { continue }
            // The tone starts on, at once: a caller hears the ring begin as soon as the stream does.
            #expect(runs.map(\.on) == [true, false, true, false, true], "\(tone): \(runs)")
            for run in runs.dropLast() {
                // One frame of slack: a 5 ms fade at each edge of a burst.
                #expect(abs(run.milliseconds - (run.on ? on : off)) <= 20, "\(tone): \(runs)")
            }
            // Off is silence (as G.711 carries it), not a low tone or noise.
            let offFrames = frames[(on / 20 + 1)..<((on + off) / 20 - 1)]
            #expect(offFrames.allSatisfy { $0.allSatisfy { abs($0) <= 8 } }, "\(tone): the off part is not silent")
        }
    }

    @Test func aToneLegThatChangesToneStartsTheNewOneFromItsBeginning() throws {
        // Ringback for a second (in its 2 s burst), then busy: the next frame is busy's burst, not ringback.
        let frames = try Self.listen(.ringback, codec: .muLaw, frames: 100, change: (frame: 50, tone: .busy))
        #expect(frames.count == 100)
        let ringing = Array(frames[5..<45].joined())
        let busy = Array(frames[51..<74].joined())
        #expect(ToneAnalysis.power(of: 440, in: ringing) > 0.003)
        #expect(ToneAnalysis.power(of: 620, in: busy) > 0.003)
        #expect(ToneAnalysis.power(of: 440, in: busy) < 0.00001)
        // Busy's 500 ms burst, then its 500 ms pause.
        let runs = Self.cadence(Array(frames[50...]), frequency: 620)
        #expect(runs.first?.on == true && abs((runs.first?.milliseconds ?? 0) - 500) <= 20, "\(runs)")
    }

    @Test func aStallSkipsTheTonesTimeAsItSkipsTheTimestamps() throws {
        var engine = MediaEngineTests.engine()
        _ = engine.execute(
            .startTone(MediaLegID(7), tone: .ringback, codec: .muLaw, remote: MediaEngineTests.phone(42_000))
        )
        func frame(_ sends: [MediaEngine.Send]) throws -> (timestamp: UInt32, on: Bool) {
            let packet = try RTPPacket(parsing: try #require(sends.last).packet)
            let samples = packet.payload.readableBytesView.map { G711Codec.muLaw.decode($0) }
            return (packet.timestamp, ToneAnalysis.power(of: 440, in: samples) > 0.001)
        }
        let first = try frame(MediaEngineTests.run(&engine, tick: 0).sends)
        for tick in 1..<50 as Range<UInt64> { _ = MediaEngineTests.run(&engine, tick: tick) }
        // The process stops for two seconds: at 3 s (frame 150) the ring's 2 s burst is over, in RTP time and in
        // the tone alike; the stream does not go on ringing where it stopped.
        let afterStall = try frame(MediaEngineTests.run(&engine, tick: 150).sends)
        #expect(afterStall.timestamp &- first.timestamp == 150 * 160)
        #expect(first.on && !afterStall.on)
        for tick in 151..<299 as Range<UInt64> { _ = MediaEngineTests.run(&engine, tick: tick) }
        // 6 s: the next burst starts on time, and not a frame early.
        #expect(!(try frame(MediaEngineTests.run(&engine, tick: 299).sends).on))
        #expect(try frame(MediaEngineTests.run(&engine, tick: 300).sends).on)
    }

    @Test func everyToneClipIsWholeCyclesOfWholeFrames() {
        // A repeating clip loops on a frame boundary, so its cadence never drifts by a partial frame.
        for region in ToneRegion.allCases {
            for tone in MediaTone.allCases {
                let clip = region.clip(tone)
                #expect(
                    clip.sampleCount > 0 && clip.sampleCount % MediaTiming.samplesPerFrame == 0,
                    "\(region) \(tone)"
                )
            }
        }
    }
}
