import Media
import NIOCore
import Testing

@Suite struct MediaEngineTests {
    static let server = MediaSocketAddress.Host.ipv4(0x7F00_0001)
    static let tick = MediaTiming.frameNanoseconds

    static func engine(ports: ClosedRange<UInt16> = 20_000...20_099, maximum: Int = 8) -> MediaEngine {
        var engine = MediaEngine(
            configuration: .init(localHost: server, ports: ports, conferenceMaximum: maximum),
            now: 0
        )
        if let port = engine.allocateStreamingPort() { engine.streamingSocketBound(port: port) }
        return engine
    }

    static func phone(_ port: UInt16) -> MediaSocketAddress { MediaSocketAddress(host: .ipv4(0x7F00_0002), port: port) }

    /// Adds a participant, "binds" its socket and returns its endpoint.
    static func join(
        _ engine: inout MediaEngine,
        _ leg: UInt64,
        conference: UInt64 = 1,
        codec: G711Codec = .muLaw
    ) -> MediaSocketAddress? {
        let action = engine.execute(
            .addParticipant(MediaLegID(leg), conference: ConferenceID(conference), codec: codec)
        )
        guard case .bindSocket(let id, _) = action else { return nil }
        guard case .reply(.endpoint(let endpoint)) = engine.socketBound(id) else { return nil }
        _ = engine.execute(.setRemote(id, phone(UInt16(40_000 + leg))))
        return endpoint
    }

    static func rtp(seq: UInt16, ssrc: UInt32 = 9, codec: G711Codec = .muLaw, payload: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeRTPHeader(
            marker: false,
            payloadType: codec.payloadType,
            sequenceNumber: seq,
            timestamp: UInt32(seq) * 160,
            ssrc: ssrc
        )
        buffer.writeBytes(payload)
        return buffer
    }

    /// Runs every slot of frame `tick` (the engine ticks 4 times a frame, 5 ms apart; the last is due 15 ms in).
    static func run(_ engine: inout MediaEngine, tick: UInt64) -> (sends: [MediaEngine.Send], events: [MediaEvent]) {
        var sends: [MediaEngine.Send] = []
        var events: [MediaEvent] = []
        engine.tick(now: tick * Self.tick + 15_000_000, sends: &sends, events: &events)
        return (sends, events)
    }

    @Test func conferenceLifecycleAndLimits() {
        var engine = Self.engine(maximum: 3)
        #expect(engine.execute(.createConference(ConferenceID(1))) == .reply(.done))
        guard case .reply(.failed(let exists)) = engine.execute(.createConference(ConferenceID(1))) else {
            Issue.record("a second conference with the same id was created")
            return
        }
        #expect(exists.code == .conferenceExists)
        let first = Self.join(&engine, 1)
        let second = Self.join(&engine, 2)
        #expect(first != nil && second != nil && first != second)
        #expect(first?.host == Self.server)
        _ = Self.join(&engine, 3)
        guard
            case .reply(.failed(let full)) = engine.execute(
                .addParticipant(MediaLegID(4), conference: ConferenceID(1), codec: .aLaw)
            )
        else {
            Issue.record("a fourth participant joined a conference of three")
            return
        }
        #expect(full.code == .conferenceFull)
        #expect(engine.statistics.participants == 3)
        #expect(engine.execute(.removeParticipant(MediaLegID(2))) == .closeSockets([MediaLegID(2)], reply: .done))
        #expect(engine.statistics.participants == 2)
        guard case .closeSockets(let closing, .done) = engine.execute(.destroyConference(ConferenceID(1))) else {
            Issue.record("destroy did not close the sockets")
            return
        }
        #expect(Set(closing) == [MediaLegID(1), MediaLegID(3)])
        #expect(engine.statistics.conferences == 0)
        #expect(engine.statistics.portsInUse == 1)  // the streaming socket's
    }

    @Test func portExhaustionIsAnErrorValue() {
        // Two even ports: one for the streaming socket, one for a participant.
        var engine = Self.engine(ports: 30_000...30_003)
        _ = engine.execute(.createConference(ConferenceID(1)))
        #expect(Self.join(&engine, 1) != nil)
        guard
            case .reply(.failed(let error)) = engine.execute(
                .addParticipant(MediaLegID(2), conference: ConferenceID(1), codec: .muLaw)
            )
        else {
            Issue.record("a participant joined with no port left")
            return
        }
        #expect(error.code == .portsExhausted)
        #expect(engine.statistics.portsExhausted == 1)
        // A port another process holds: the engine tries the next one, then gives up with the same error.
        _ = engine.execute(.removeParticipant(MediaLegID(1)))
        guard
            case .bindSocket(let id, _) = engine.execute(
                .addParticipant(MediaLegID(3), conference: ConferenceID(1), codec: .muLaw)
            )
        else {
            Issue.record("no bind")
            return
        }
        guard case .reply(.failed(let bindError)) = engine.socketBindFailed(id) else {
            Issue.record("a failed bind was not reported")
            return
        }
        #expect(bindError.code == .portsExhausted)
        #expect(engine.statistics.participants == 0)
    }

    @Test func packetsFromTheWrongSourceOrMalformedAreDroppedAndCounted() {
        var engine = Self.engine()
        _ = engine.execute(.createConference(ConferenceID(1)))
        _ = Self.join(&engine, 1)
        let leg = MediaLegID(1)
        let good = Self.rtp(seq: 1, payload: [UInt8](repeating: 0xFF, count: 160))
        engine.datagramReceived(on: leg, from: Self.phone(40_001), datagram: good, now: 0)
        engine.datagramReceived(on: leg, from: Self.phone(40_999), datagram: good, now: 0)
        engine.datagramReceived(
            on: leg,
            from: MediaSocketAddress(host: .ipv4(0x0A00_0001), port: 40_001),
            datagram: good,
            now: 0
        )
        engine.datagramReceived(on: leg, from: Self.phone(40_001), datagram: ByteBuffer(bytes: [0x80, 0]), now: 0)
        engine.datagramReceived(
            on: leg,
            from: Self.phone(40_001),
            datagram: Self.rtp(seq: 2, codec: .aLaw, payload: [UInt8](repeating: 0xD5, count: 160)),
            now: 0
        )
        engine.datagramReceived(on: MediaLegID(99), from: Self.phone(40_001), datagram: good, now: 0)
        engine.datagramReceivedOnStreamingSocket()
        let statistics = engine.statistics
        #expect(statistics.packetsReceived == 1)
        #expect(statistics.droppedWrongSource == 2)
        #expect(statistics.droppedMalformed == 1)
        #expect(statistics.droppedWrongPayloadType == 1)
        #expect(statistics.droppedUnexpected == 2)
    }

    @Test func packetsThatComeBeforeTheRemoteAreJudgedWhenItIsSet() {
        var engine = Self.engine()
        _ = engine.execute(.createConference(ConferenceID(1)))
        guard
            case .bindSocket(let leg, _) = engine.execute(
                .addParticipant(MediaLegID(1), conference: ConferenceID(1), codec: .muLaw)
            ),
            case .reply(.endpoint) = engine.socketBound(leg)
        else {
            Issue.record("no participant")
            return
        }
        // The phone's first packets overtake its address (the core sent both; they travel different ways).
        let payload = [UInt8](repeating: 0xFF, count: 160)
        for seq: UInt16 in 1...2 {
            engine.datagramReceived(
                on: leg,
                from: Self.phone(40_001),
                datagram: Self.rtp(seq: seq, payload: payload),
                now: 0
            )
        }
        engine.datagramReceived(on: leg, from: Self.phone(40_999), datagram: Self.rtp(seq: 3, payload: payload), now: 0)
        #expect(engine.statistics.packetsReceived == 0 && engine.statistics.droppedWrongSource == 0)
        // Set: the phone's two count, the stranger's is dropped.
        #expect(engine.execute(.setRemote(leg, Self.phone(40_001))) == .reply(.done))
        #expect(engine.statistics.packetsReceived == 2 && engine.statistics.droppedWrongSource == 1)

        // At most four wait: a sender that floods a port whose remote never comes costs a fixed few copies.
        guard
            case .bindSocket(let other, _) = engine.execute(
                .addParticipant(MediaLegID(2), conference: ConferenceID(1), codec: .muLaw)
            ),
            case .reply(.endpoint) = engine.socketBound(other)
        else {
            Issue.record("no second participant")
            return
        }
        for seq: UInt16 in 1...10 {
            engine.datagramReceived(
                on: other,
                from: Self.phone(40_002),
                datagram: Self.rtp(seq: seq, payload: payload),
                now: 0
            )
        }
        #expect(engine.statistics.droppedWrongSource == 1 + 6)
        _ = engine.execute(.setRemote(other, Self.phone(40_002)))
        #expect(engine.statistics.packetsReceived == 2 + 4)
    }

    @Test func threeTalkersEachHearTheOtherTwoTranscoded() {
        var engine = Self.engine()
        _ = engine.execute(.createConference(ConferenceID(1)))
        let codecs: [G711Codec] = [.muLaw, .aLaw, .muLaw]
        let frequencies = [500.0, 1_100.0, 1_700.0]
        for (index, codec) in codecs.enumerated() { _ = Self.join(&engine, UInt64(index + 1), codec: codec) }
        var oscillators = frequencies.map { SineOscillator(frequency: $0, amplitude: 6_000) }
        var heard: [MediaLegID: [Int16]] = [:]
        for tick in 0..<60 as Range<UInt64> {
            for index in 0..<3 {
                let payload = oscillators[index].nextFrame(codecs[index])
                engine.datagramReceived(
                    on: MediaLegID(UInt64(index + 1)),
                    from: Self.phone(UInt16(40_001 + index)),
                    datagram: Self.rtp(
                        seq: UInt16(tick),
                        ssrc: UInt32(index + 1),
                        codec: codecs[index],
                        payload: payload
                    ),
                    now: tick * Self.tick
                )
            }
            for send in Self.run(&engine, tick: tick).sends {
                let packet = try? RTPPacket(parsing: send.packet)
                guard let packet, let codec = G711Codec(payloadType: packet.payloadType) else { continue }
                heard[send.leg, default: []] += packet.payload.readableBytesView.map { codec.decode($0) }
            }
        }
        for (index, frequency) in frequencies.enumerated() {
            let audio = Array((heard[MediaLegID(UInt64(index + 1))] ?? []).suffix(4_000))
            #expect(audio.count == 4_000)
            let own = ToneAnalysis.power(of: frequency, in: audio)
            for (other, otherFrequency) in frequencies.enumerated() where other != index {
                let power = ToneAnalysis.power(of: otherFrequency, in: audio)
                #expect(power > 0.005, "participant \(index + 1) hears \(otherFrequency) Hz at \(power)")
                #expect(own < power / 100, "participant \(index + 1) hears itself at \(own)")
            }
        }
        #expect(engine.statistics.jitterLost == 0)
    }

    @Test func musicListenersShareOnePacketWithContinuousNumbering() throws {
        var engine = Self.engine()
        // Eight µ-law listeners in four slots: two share each slot's stream.
        for leg in 1...8 as ClosedRange<UInt64> {
            let result = engine.execute(
                .startMusicOnHold(
                    MediaLegID(leg),
                    source: BuiltInMusic.sourceName,
                    codec: .muLaw,
                    remote: Self.phone(UInt16(41_000 + leg))
                )
            )
            #expect(result == .reply(.endpoint(MediaSocketAddress(host: Self.server, port: engine.streamingPort ?? 0))))
        }
        var previous: [MediaLegID: RTPPacket] = [:]
        for tick in 0..<100 as Range<UInt64> {
            let sends = Self.run(&engine, tick: tick).sends
            #expect(sends.count == 8)
            #expect(sends.allSatisfy { $0.viaStreamingSocket })
            // One packet per slot, the same bytes for both listeners of it.
            #expect(Set(sends.map { Array($0.packet.readableBytesView) }).count == 4)
            for send in sends {
                let packet = try RTPPacket(parsing: send.packet)
                if let last = previous[send.leg] {
                    #expect(packet.sequenceNumber == last.sequenceNumber &+ 1)
                    #expect(packet.timestamp == last.timestamp &+ 160)
                    #expect(packet.ssrc == last.ssrc)
                }
                previous[send.leg] = packet
            }
        }
        #expect(engine.execute(.stopMusicOnHold(MediaLegID(2))) == .reply(.done))
        #expect(Self.run(&engine, tick: 100).sends.count == 7)
        guard
            case .reply(.failed(let unknown)) = engine.execute(
                .startMusicOnHold(MediaLegID(9), source: "nope", codec: .aLaw, remote: nil)
            )
        else {
            Issue.record("an unknown source was accepted")
            return
        }
        #expect(unknown.code == .unknownSource)
    }

    @Test func removingASourceMovesItsListenersToTheBuiltInMusic() {
        var engine = Self.engine()
        let clip = AudioClip(samples: [Int16](repeating: 1_000, count: 1_600))
        #expect(engine.execute(.addMusicSource(name: "jazz", clip: clip)) == .reply(.done))
        _ = engine.execute(.startMusicOnHold(MediaLegID(1), source: "jazz", codec: .aLaw, remote: Self.phone(41_001)))
        #expect(Self.run(&engine, tick: 0).sends.count == 1)
        #expect(engine.execute(.removeMusicSource(name: "jazz")) == .reply(.done))
        let sends = Self.run(&engine, tick: 1).sends
        #expect(sends.count == 1)
        #expect(engine.musicSources.map(\.name) == [BuiltInMusic.sourceName])
    }

    @Test func aOneShotToneIsReportedWhenItEndsAndTheParticipantHearsTheMixAgain() throws {
        var engine = Self.engine()
        _ = engine.execute(.createConference(ConferenceID(1)))
        _ = Self.join(&engine, 1)
        #expect(engine.execute(.playTone(MediaLegID(1), tone: .joinBeep)) == .reply(.done))
        var events: [MediaEvent] = []
        var tonal = 0
        for tick in 0..<20 as Range<UInt64> {
            let (sends, tickEvents) = Self.run(&engine, tick: tick)
            events += tickEvents
            let packet = try RTPPacket(parsing: sends[0].packet)
            if packet.payload.readableBytesView.contains(where: { $0 != G711Codec.muLaw.silence }) { tonal += 1 }
        }
        #expect(events == [.toneFinished(MediaLegID(1), .joinBeep)])
        // 160 ms of beep = 8 frames, then silence (the participant is alone).
        #expect(tonal == 8)
    }

    @Test func aToneLegPlaysRingbackInCadence() throws {
        var engine = Self.engine()
        _ = engine.execute(.startTone(MediaLegID(5), tone: .ringback, codec: .aLaw, remote: Self.phone(42_000)))
        var audio: [Int16] = []
        for tick in 0..<300 as Range<UInt64> {
            for send in Self.run(&engine, tick: tick).sends {
                let packet = try RTPPacket(parsing: send.packet)
                audio += packet.payload.readableBytesView.map { G711Codec.aLaw.decode($0) }
            }
        }
        #expect(audio.count == 300 * 160)
        #expect(ToneAnalysis.power(of: 440, in: Array(audio[0..<16_000])) > 0.003)
        #expect(audio[16_000..<48_000].allSatisfy { abs(Int($0)) <= 8 })
        #expect(engine.execute(.stopTone(MediaLegID(5))) == .reply(.done))
        #expect(Self.run(&engine, tick: 300).sends.isEmpty)
    }

    @Test func aStallAdvancesTimestampsButNotSequenceNumbers() throws {
        var engine = Self.engine()
        _ = engine.execute(
            .startMusicOnHold(MediaLegID(1), source: BuiltInMusic.sourceName, codec: .muLaw, remote: Self.phone(41_001))
        )
        let before = try RTPPacket(parsing: Self.run(&engine, tick: 0).sends[0].packet)
        // 1 s without a tick: frames 1–50 are due (200 ticks of 5 ms); two frames' worth run (49 and 50), the rest
        // is skipped.
        let sends = Self.run(&engine, tick: 50).sends
        #expect(sends.count == 2)
        let first = try RTPPacket(parsing: sends[0].packet)
        #expect(first.sequenceNumber == before.sequenceNumber &+ 1)
        #expect(first.timestamp == before.timestamp &+ 160 * 49)
        #expect(engine.statistics.skippedTicks == 200 - 8)
    }
}
