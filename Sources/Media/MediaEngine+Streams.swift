import NIOCore

/// The engine's streams: legs (participant, music, tone), conferences and music sources. Classes, not structs:
/// they hold buffers that are updated in place every 20 ms, and the engine is their only owner.
extension MediaEngine {
    /// The RTP numbering of one outgoing stream (RFC 3550 §5.1: random initial sequence number, timestamp and
    /// SSRC; the sequence number grows by one a packet, the timestamp by the samples of one frame a tick).
    struct OutgoingStream {
        var ssrc = UInt32.random(in: 1...UInt32.max)
        var sequenceNumber = UInt16.random(in: 0...UInt16.max)
        var timestamp = UInt32.random(in: 0...UInt32.max)
        /// The first packet of the stream carries the marker bit (RFC 3551 §4.1: the start of a talkspurt).
        var isFirst = true

        /// Writes the header of the next packet and advances the numbering.
        mutating func writeHeader(into buffer: inout ByteBuffer, payloadType: UInt8) {
            buffer.writeRTPHeader(
                marker: self.isFirst,
                payloadType: payloadType,
                sequenceNumber: self.sequenceNumber,
                timestamp: self.timestamp,
                ssrc: self.ssrc
            )
            self.isFirst = false
            self.sequenceNumber &+= 1
            self.timestamp &+= UInt32(MediaTiming.samplesPerFrame)
        }

        /// Ticks skipped after a stall: the timestamp covers the time, the sequence number does not jump (no
        /// packets were sent).
        mutating func skip(ticks: UInt64) {
            self.timestamp &+= UInt32(truncatingIfNeeded: ticks &* UInt64(MediaTiming.samplesPerFrame))
        }
    }

    /// A tone being played to a leg, from its start.
    struct TonePlayback {
        var tone: MediaTone
        var clip: AudioClip
        var position = 0
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
        /// In the order they joined.
        var participants: [MediaLegID] = []

        init(id: ConferenceID, maximumParticipants: Int) {
            self.id = id
            self.maximumParticipants = maximumParticipants
        }
    }

    /// A music source plays in real time whether or not anyone listens, like a radio: every listener of it hears
    /// the same packets (one per law per tick, sent to each), with continuous sequence numbers and timestamps.
    final class MusicSource {
        let name: String
        var clip: AudioClip
        var position = 0
        var muLawStream = OutgoingStream()
        var aLawStream = OutgoingStream()
        var muLawListeners: [MediaLegID] = []
        var aLawListeners: [MediaLegID] = []

        init(name: String, clip: AudioClip) {
            self.name = name
            self.clip = clip
        }

        func add(_ leg: MediaLegID, codec: G711Codec) {
            switch codec {
            case .muLaw: self.muLawListeners.append(leg)
            case .aLaw: self.aLawListeners.append(leg)
            }
        }

        func remove(_ leg: MediaLegID) {
            self.muLawListeners.removeAll { $0 == leg }
            self.aLawListeners.removeAll { $0 == leg }
        }
    }
}
