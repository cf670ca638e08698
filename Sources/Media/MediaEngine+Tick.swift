import NIOCore

/// The 20 ms tick: every conference mixed, every music source and tone advanced, one packet per stream out.
extension MediaEngine {
    /// How often inactivity is looked for: every 50 ticks (1 s); the timeout is tens of seconds.
    static let inactivityCheckTicks: UInt64 = 50

    /// Runs the ticks due at `now` (usually one) and appends their packets to `sends` and anything to report to
    /// `events`. Call it at ``nextTickDeadline``; calling it early does nothing.
    public mutating func tick(now: UInt64, sends: inout [Send], events: inout [MediaEvent]) {
        let skippedBefore = self.clock.skippedTicks
        let due = self.clock.dueTicks(now: now)
        guard !due.isEmpty else { return }
        let skipped = self.clock.skippedTicks - skippedBefore
        if skipped > 0 { self.skip(ticks: skipped) }
        for tick in due {
            let dueTime = self.clock.deadline(of: tick)
            self.counters.ticks += 1
            for id in self.conferenceOrder {
                guard let conference = self.conferences[id] else { continue }
                self.mix(conference, dueTime: dueTime, sends: &sends, events: &events)
            }
            for source in self.sources.values {
                self.stream(source, dueTime: dueTime, sends: &sends)
            }
            for id in self.toneLegs {
                guard let leg = self.legs[id] else { continue }
                self.streamTone(leg, dueTime: dueTime, sends: &sends, events: &events)
            }
            if tick % Self.inactivityCheckTicks == 0 {
                self.checkInactivity(now: now, events: &events)
            }
        }
    }

    /// One conference frame: each participant's next frame from its jitter buffer into the mixer, then each
    /// participant's N−1 mix (or its tone) encoded in its own law.
    private mutating func mix(
        _ conference: Conference,
        dueTime: UInt64,
        sends: inout [Send],
        events: inout [MediaEvent]
    ) {
        self.mixer.reset()
        for id in conference.participants {
            guard let leg = self.legs[id], var jitter = leg.jitter else { continue }
            leg.jitter = nil
            leg.talked = jitter.nextFrame { codes -> Bool in
                guard let codes else { return false }
                leg.decoded.withUnsafeMutableBufferPointer { samples in
                    leg.codec.decode(codes, into: samples)
                }
                return true
            }
            leg.jitter = jitter
            if leg.talked {
                leg.decoded.withUnsafeBufferPointer { self.mixer.add($0) }
            }
        }
        // The mix for listeners who did not talk is the same for all of them: encoded once per law.
        var fullMix: [G711Codec: ByteBuffer] = [:]
        for id in conference.participants {
            guard let leg = self.legs[id], leg.isBound, let remote = leg.remote else { continue }
            var packet = self.allocator.buffer(capacity: RTPPacket.fixedHeaderSize + MediaTiming.samplesPerFrame)
            leg.output.writeHeader(into: &packet, payloadType: leg.codec.payloadType)
            if leg.tone != nil {
                self.writeTone(leg, into: &packet, events: &events)
            } else if leg.talked {
                packet.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaTiming.samplesPerFrame) { output in
                    leg.decoded.withUnsafeBufferPointer { own in
                        self.mixer.writeMix(
                            excluding: own,
                            codec: leg.codec,
                            into: UnsafeMutableRawBufferPointer(rebasing: output[0..<MediaTiming.samplesPerFrame])
                        )
                    }
                    return MediaTiming.samplesPerFrame
                }
            } else {
                if fullMix[leg.codec] == nil {
                    var payload = self.allocator.buffer(capacity: MediaTiming.samplesPerFrame)
                    payload.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaTiming.samplesPerFrame) { output in
                        self.mixer.writeMix(
                            excluding: nil,
                            codec: leg.codec,
                            into: UnsafeMutableRawBufferPointer(rebasing: output[0..<MediaTiming.samplesPerFrame])
                        )
                        return MediaTiming.samplesPerFrame
                    }
                    fullMix[leg.codec] = payload
                }
                if let payload = fullMix[leg.codec] { packet.writeImmutableBuffer(payload) }
            }
            sends.append(
                Send(leg: id, viaStreamingSocket: false, destination: remote, packet: packet, dueTime: dueTime)
            )
            self.counters.packetsSent += 1
        }
    }

    /// Appends the leg's next tone frame; a tone that plays once and has ended is reported and cleared (a
    /// participant hears the mix again from the next frame; a tone leg goes silent).
    private mutating func writeTone(_ leg: Leg, into packet: inout ByteBuffer, events: inout [MediaEvent]) {
        guard var playback = leg.tone else { return }
        let finished = !playback.tone.repeats && playback.position >= playback.clip.sampleCount
        packet.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaTiming.samplesPerFrame) { output in
            let frame = UnsafeMutableRawBufferPointer(rebasing: output[0..<MediaTiming.samplesPerFrame])
            if finished {
                frame.initializeMemory(as: UInt8.self, repeating: leg.codec.silence)
            } else {
                playback.clip.copy(leg.codec, from: playback.position, into: frame)
            }
            return MediaTiming.samplesPerFrame
        }
        playback.position += MediaTiming.samplesPerFrame
        if playback.tone.repeats { playback.position %= playback.clip.sampleCount }
        if !finished && !playback.tone.repeats && playback.position >= playback.clip.sampleCount {
            events.append(.toneFinished(leg.id, playback.tone))
            if leg.conference != nil {
                leg.tone = nil
                return
            }
        }
        leg.tone = playback
    }

    private mutating func streamTone(_ leg: Leg, dueTime: UInt64, sends: inout [Send], events: inout [MediaEvent]) {
        guard let remote = leg.remote else {
            // Not sending yet, but the tone's time runs: it starts where it would be when the remote arrives.
            if var playback = leg.tone {
                playback.position += MediaTiming.samplesPerFrame
                if playback.tone.repeats { playback.position %= playback.clip.sampleCount }
                leg.tone = playback
            }
            return
        }
        var packet = self.allocator.buffer(capacity: RTPPacket.fixedHeaderSize + MediaTiming.samplesPerFrame)
        leg.output.writeHeader(into: &packet, payloadType: leg.codec.payloadType)
        self.writeTone(leg, into: &packet, events: &events)
        sends.append(Send(leg: leg.id, viaStreamingSocket: true, destination: remote, packet: packet, dueTime: dueTime))
        self.counters.packetsSent += 1
    }

    /// One frame of a music source: one packet per law that has listeners, the same buffer sent to each.
    private mutating func stream(_ source: MusicSource, dueTime: UInt64, sends: inout [Send]) {
        for codec in G711Codec.allCases {
            let listeners = codec == .muLaw ? source.muLawListeners : source.aLawListeners
            guard !listeners.isEmpty else { continue }
            var packet = self.allocator.buffer(capacity: RTPPacket.fixedHeaderSize + MediaTiming.samplesPerFrame)
            switch codec {
            case .muLaw: source.muLawStream.writeHeader(into: &packet, payloadType: codec.payloadType)
            case .aLaw: source.aLawStream.writeHeader(into: &packet, payloadType: codec.payloadType)
            }
            packet.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaTiming.samplesPerFrame) { output in
                source.clip.copy(
                    codec,
                    from: source.position,
                    into: UnsafeMutableRawBufferPointer(rebasing: output[0..<MediaTiming.samplesPerFrame])
                )
                return MediaTiming.samplesPerFrame
            }
            for id in listeners {
                guard let remote = self.legs[id]?.remote else { continue }
                sends.append(
                    Send(leg: id, viaStreamingSocket: true, destination: remote, packet: packet, dueTime: dueTime)
                )
                self.counters.packetsSent += 1
            }
        }
        // A stream with no listener of one law still keeps its numbering running, so that a listener who joins
        // sees a stream that was always there.
        if source.muLawListeners.isEmpty { source.muLawStream.skip(ticks: 1) }
        if source.aLawListeners.isEmpty { source.aLawStream.skip(ticks: 1) }
        source.position = (source.position + MediaTiming.samplesPerFrame) % source.clip.sampleCount
    }

    /// Ticks skipped after a stall: every outgoing stream's timestamp covers the gap; music sources move on.
    private mutating func skip(ticks: UInt64) {
        for leg in self.legs.values { leg.output.skip(ticks: ticks) }
        for source in self.sources.values {
            source.muLawStream.skip(ticks: ticks)
            source.aLawStream.skip(ticks: ticks)
            let samples = Int(truncatingIfNeeded: ticks % UInt64(Int32.max)) * MediaTiming.samplesPerFrame
            source.position = (source.position + samples) % source.clip.sampleCount
        }
    }

    private mutating func checkInactivity(now: UInt64, events: inout [MediaEvent]) {
        for id in self.conferenceOrder {
            guard let conference = self.conferences[id] else { continue }
            for legID in conference.participants {
                guard let leg = self.legs[legID], let last = leg.lastReceived, !leg.inactivityReported,
                    now > last, now - last >= self.configuration.inactivityTimeout
                else { continue }
                leg.inactivityReported = true
                events.append(.mediaInactive(legID))
            }
        }
    }
}
