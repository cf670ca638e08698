import NIOCore

/// The engine's streams: legs (participant, music, tone), conferences and music sources. Classes, not structs:
/// they hold buffers that are updated in place every 20 ms, and the engine is their only owner.
extension MediaEngine {
    /// The RTP numbering of one outgoing stream (RFC 3550 §5.1: random initial sequence number, timestamp and
    /// SSRC). The sequence number grows by one a packet; the timestamp is computed from the engine's frame number
    /// (`timestampBase + frame × 160`), so that it follows the clock exactly, also across frames skipped after a
    /// stall, while the sequence number shows no gap (no packet was lost: none was sent).
    struct OutgoingStream {
        var ssrc = UInt32.random(in: 1...UInt32.max)
        var sequenceNumber = UInt16.random(in: 0...UInt16.max)
        var timestampBase = UInt32.random(in: 0...UInt32.max)
        /// The first packet of the stream carries the marker bit (RFC 3551 §4.1: the start of a talkspurt).
        var isFirst = true

        /// Writes the header of frame `frame`'s packet and advances the sequence number.
        mutating func writeHeader(into buffer: inout ByteBuffer, payloadType: UInt8, frame: UInt64) {
            buffer.writeRTPHeader(
                marker: self.isFirst,
                payloadType: payloadType,
                sequenceNumber: self.sequenceNumber,
                timestamp: self.timestampBase
                    &+ UInt32(truncatingIfNeeded: frame &* UInt64(MediaTiming.samplesPerFrame)),
                ssrc: self.ssrc
            )
            self.isFirst = false
            self.sequenceNumber &+= 1
        }
    }

    /// A tone being played to a leg, from its start. Its position follows the engine's frame number from the frame it
    /// was first served in, as RTP timestamps do: after a stall the cadence goes on where the clock is (the frames
    /// skipped are skipped in the tone too), so a 2 s burst stays 2 s of RTP time and of wall-clock time.
    struct TonePlayback {
        var tone: MediaTone
        /// One cycle of the tone, shared by every leg that plays it (``MediaEngine/toneClip(_:)``).
        var clip: AudioClip
        /// The frame the tone started in; nil until it is first served.
        var startFrame: UInt64?
        /// A tone that plays once has been reported finished.
        var finishReported = false

        /// The tone's sample at which frame `frame` starts (past the clip's end for a tone that plays once and is
        /// over), starting the tone at `frame` if it has not started.
        mutating func position(at frame: UInt64) -> Int {
            let start = self.startFrame ?? frame
            self.startFrame = start
            let samples = UInt64(self.clip.sampleCount)
            let elapsed = (frame >= start ? frame - start : 0) &* UInt64(MediaTiming.samplesPerFrame)
            guard self.tone.repeats else { return Int(min(elapsed, samples)) }
            return Int(elapsed % samples)
        }
    }

    final class Leg {
        let id: MediaLegID
        let codec: G711Codec
        /// The conference, for a participant.
        let conference: ConferenceID?
        /// The music source's name, for a music listener.
        var musicSource: String?
        /// The participant's own port (nil for legs on the streaming socket).
        var port: UInt16?
        var isBound = false
        /// The slot of the 20 ms frame in which this leg is served (``MediaEngine/Configuration/slots``).
        var slot = 0
        /// Ports that could not be bound for this leg (held by other processes), not tried again.
        var portsTried: Set<UInt16> = []
        var remote: MediaSocketAddress?
        /// Participants only.
        var jitter: JitterBuffer?
        /// This tick's decoded input, when the participant talked.
        var decoded: [Int16]
        var talked = false
        var output = OutgoingStream()
        var tone: TonePlayback?
        var lastReceived: UInt64?
        var inactivityReported = false
        /// Datagrams that came before ``remote`` was set (MediaEngine+Receive.swift, `holdEarly`).
        var early: [EarlyPacket] = []
        /// The most datagrams kept before the remote is set: 80 ms of 20 ms packets, more than the race it covers.
        static let earlyPacketLimit = 4

        struct EarlyPacket {
            var source: MediaSocketAddress
            var datagram: ByteBuffer
            var received: UInt64
        }

        init(id: MediaLegID, codec: G711Codec, conference: ConferenceID?, musicSource: String?) {
            self.id = id
            self.codec = codec
            self.conference = conference
            self.musicSource = musicSource
            self.decoded = conference == nil ? [] : [Int16](repeating: 0, count: MediaTiming.samplesPerFrame)
            self.jitter = conference == nil ? nil : JitterBuffer()
        }

        var viaStreamingSocket: Bool { self.conference == nil }
    }

    final class Conference {
        let id: ConferenceID
        let maximumParticipants: Int
        /// The slot of the frame in which the conference is mixed; every participant is served in it.
        let slot: Int
        /// In the order they joined.
        var participants: [MediaLegID] = []

        init(id: ConferenceID, maximumParticipants: Int, slot: Int) {
            self.id = id
            self.maximumParticipants = maximumParticipants
            self.slot = slot
        }
    }

    /// A music source plays in real time whether or not anyone listens, like a radio: its position follows the
    /// engine's frame number. Its listeners are grouped by law and slot; each group is one RTP stream (its own
    /// SSRC and sequence numbers), and every listener of a group gets the same packet, built once per frame and
    /// sent to each. A group's sequence numbers grow by one for every packet it sends, so they stay continuous for
    /// its listeners also when a stall skips ticks (a stream shared across slots would show them a gap).
    final class MusicSource {
        let name: String
        var clip: AudioClip
        /// The frame at which the clip was (re)started.
        var startFrame: UInt64
        /// One stream per slot, per law.
        var muLawStreams: [OutgoingStream]
        var aLawStreams: [OutgoingStream]
        /// Listeners by slot.
        var muLawListeners: [[MediaLegID]]
        var aLawListeners: [[MediaLegID]]
        var listenerCount = 0

        init(name: String, clip: AudioClip, slots: Int, frame: UInt64) {
            self.name = name
            self.clip = clip
            self.startFrame = frame
            self.muLawStreams = (0..<slots).map { _ in OutgoingStream() }
            self.aLawStreams = (0..<slots).map { _ in OutgoingStream() }
            self.muLawListeners = Array(repeating: [], count: slots)
            self.aLawListeners = Array(repeating: [], count: slots)
        }

        /// The clip's sample at which frame `frame` starts.
        func position(of frame: UInt64) -> Int {
            let samples = UInt64(self.clip.sampleCount)
            let elapsed = frame >= self.startFrame ? frame - self.startFrame : 0
            return Int((elapsed % samples) &* UInt64(MediaTiming.samplesPerFrame) % samples)
        }

        func add(_ leg: MediaLegID, codec: G711Codec, slot: Int) {
            switch codec {
            case .muLaw: self.muLawListeners[slot].append(leg)
            case .aLaw: self.aLawListeners[slot].append(leg)
            }
            self.listenerCount += 1
        }

        func remove(_ leg: MediaLegID, slot: Int) {
            let before = self.muLawListeners[slot].count + self.aLawListeners[slot].count
            self.muLawListeners[slot].removeAll { $0 == leg }
            self.aLawListeners[slot].removeAll { $0 == leg }
            self.listenerCount -= before - self.muLawListeners[slot].count - self.aLawListeners[slot].count
        }
    }
}
