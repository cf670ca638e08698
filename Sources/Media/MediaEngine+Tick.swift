import NIOCore

/// The tick: one slot of a 20 ms frame. Every conference of the slot mixed, every music source's packets for the
/// frame built once and sent to the slot's listeners, every tone of the slot advanced: one packet per stream per
/// frame.
extension MediaEngine {
    /// How often inactivity is looked for: every 50 frames (1 s); the timeout is tens of seconds.
    static let inactivityCheckFrames: UInt64 = 50

    /// Runs the ticks due at `now` (usually one) and appends their packets to `sends` and anything to report to
    /// `events`. Call it at ``nextTickDeadline``; calling it early does nothing.
    public mutating func tick(now: UInt64, sends: inout [Send], events: inout [MediaEvent]) {
        let due = self.clock.dueTicks(now: now)
        let slots = UInt64(self.configuration.slots)
        for tick in due {
            let frame = tick / slots
            let slot = Int(tick % slots)
            let dueTime = self.clock.deadline(of: tick)
            self.currentFrame = frame
            self.counters.ticks += 1
            for id in self.conferenceOrder {
                guard let conference = self.conferences[id], conference.slot == slot else { continue }
                self.mix(conference, frame: frame, dueTime: dueTime, sends: &sends, events: &events)
            }
            for source in self.sources.values where source.listenerCount > 0 {
                self.stream(source, frame: frame, slot: slot, dueTime: dueTime, sends: &sends)
            }
            for id in self.toneLegs {
                guard let leg = self.legs[id], leg.slot == slot else { continue }
                self.streamTone(leg, frame: frame, dueTime: dueTime, sends: &sends, events: &events)
            }
            if slot == 0 && frame % Self.inactivityCheckFrames == 0 {
                self.checkInactivity(now: now, events: &events)
            }
        }
    }

    /// One conference frame: each participant's next frame from its jitter buffer into the mixer, then each
    /// participant's N−1 mix (or its tone) encoded in its own law.
    private mutating func mix(
        _ conference: Conference,
        frame: UInt64,
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
            leg.output.writeHeader(into: &packet, payloadType: leg.codec.payloadType, frame: frame)
            if leg.tone != nil {
                self.writeTone(leg, frame: frame, into: &packet, events: &events)
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

    /// Appends the leg's tone for frame `frame` (copied from the tone's one encoded clip); a tone that plays once and
    /// has ended is reported and cleared (a participant hears the mix again from the next frame; a tone leg goes
    /// silent).
    private mutating func writeTone(
        _ leg: Leg,
        frame: UInt64,
        into packet: inout ByteBuffer,
        events: inout [MediaEvent]
    ) {
        guard var playback = leg.tone else { return }
        let position = playback.position(at: frame)
        let samples = playback.clip.sampleCount
        let over = !playback.tone.repeats && position >= samples
        packet.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaTiming.samplesPerFrame) { output in
            let payload = UnsafeMutableRawBufferPointer(rebasing: output[0..<MediaTiming.samplesPerFrame])
            if over {
                payload.initializeMemory(as: UInt8.self, repeating: leg.codec.silence)
            } else {
                playback.clip.copy(leg.codec, from: position, into: payload)
            }
            return MediaTiming.samplesPerFrame
        }
        if !playback.tone.repeats && !playback.finishReported && position + MediaTiming.samplesPerFrame >= samples {
            playback.finishReported = true
            events.append(.toneFinished(leg.id, playback.tone))
            if leg.conference != nil {
                leg.tone = nil
                return
            }
        }
        leg.tone = playback
    }

    private mutating func streamTone(
        _ leg: Leg,
        frame: UInt64,
        dueTime: UInt64,
        sends: inout [Send],
        events: inout [MediaEvent]
    ) {
        guard let remote = leg.remote else {
            // Not sending yet, but the tone's time runs from now: it is where it would be when the remote arrives.
            if var playback = leg.tone {
                _ = playback.position(at: frame)
                leg.tone = playback
            }
            return
        }
        var packet = self.allocator.buffer(capacity: RTPPacket.fixedHeaderSize + MediaTiming.samplesPerFrame)
        leg.output.writeHeader(into: &packet, payloadType: leg.codec.payloadType, frame: frame)
        self.writeTone(leg, frame: frame, into: &packet, events: &events)
        sends.append(Send(leg: leg.id, viaStreamingSocket: true, destination: remote, packet: packet, dueTime: dueTime))
        self.counters.packetsSent += 1
    }

    /// A music source's packets for the slot's listeners: one per law, built once and sent to each of them.
    private mutating func stream(_ source: MusicSource, frame: UInt64, slot: Int, dueTime: UInt64, sends: inout [Send])
    {
        let position = source.position(of: frame)
        for codec in G711Codec.allCases {
            let listeners = codec == .muLaw ? source.muLawListeners[slot] : source.aLawListeners[slot]
            guard !listeners.isEmpty else { continue }
            var packet = self.allocator.buffer(capacity: RTPPacket.fixedHeaderSize + MediaTiming.samplesPerFrame)
            switch codec {
            case .muLaw:
                source.muLawStreams[slot].writeHeader(into: &packet, payloadType: codec.payloadType, frame: frame)
            case .aLaw:
                source.aLawStreams[slot].writeHeader(into: &packet, payloadType: codec.payloadType, frame: frame)
            }
            packet.writeWithUnsafeMutableBytes(minimumWritableBytes: MediaTiming.samplesPerFrame) { output in
                source.clip.copy(
                    codec,
                    from: position,
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
