import Media
import NIOCore

/// What one RTP stream delivered to a simulated phone, checked packet by packet as RFC 3550 §5.1 requires of a
/// sender: one SSRC, sequence numbers that go up by one, timestamps that go up by the samples of the previous payload
/// (8 kHz G.711: its byte count), and optionally the decoded audio for tone analysis.
///
/// Kept per media stream of the phone (``SkinnyPhone/mediaStreams()``): a conference participant's stream from the
/// bridge, a held party's music, a call's stream from the other phone, each on its own.
public struct RTPStreamReception: Sendable, Hashable {
    /// How much decoded audio a stream keeps: the last 10 s (160 KB), enough for any tone test and bounded for a
    /// phone left in a call.
    public static let audioCapacity = 10 * MediaTiming.sampleRate

    /// Valid RTP version 2 packets.
    public var packets = 0
    /// Packets whose sequence number was not the previous one + 1 (a loss, a reordering or a duplicate).
    public var sequenceErrors = 0
    /// Packets whose timestamp was not the previous one + the samples of the previous payload.
    public var timestampErrors = 0
    /// Times the SSRC changed from one packet to the next.
    public var ssrcChanges = 0
    /// Packets with the marker bit.
    public var markers = 0
    /// The payload types seen (0 PCMU, 8 PCMA).
    public var payloadTypes: Set<UInt8> = []
    /// The source addresses packets came from.
    public var sources: Set<String> = []
    /// The first sequence number and timestamp, for a check of where the stream started.
    public var firstSequenceNumber: UInt16?
    public var firstTimestamp: UInt32?
    /// The decoded audio of the last ``audioCapacity`` samples, when the phone records audio.
    public var audio: [Int16] = []

    var lastSequenceNumber: UInt16?
    var lastTimestamp: UInt32?
    var lastPayloadBytes = 0
    var lastSSRC: UInt32?

    public init() {}

    /// Records one packet from `source`; with `recordsAudio`, decodes a G.711 payload into ``audio``.
    mutating func record(_ packet: RTPPacket, from source: String, recordsAudio: Bool) {
        self.packets += 1
        if packet.marker { self.markers += 1 }
        self.payloadTypes.insert(packet.payloadType)
        if !self.sources.contains(source), self.sources.count < 8 { self.sources.insert(source) }
        if let last = self.lastSSRC, last != packet.ssrc { self.ssrcChanges += 1 }
        if let last = self.lastSequenceNumber, packet.sequenceNumber != last &+ 1 { self.sequenceErrors += 1 }
        if let last = self.lastTimestamp, packet.timestamp != last &+ UInt32(self.lastPayloadBytes) {
            self.timestampErrors += 1
        }
        if self.firstSequenceNumber == nil {
            self.firstSequenceNumber = packet.sequenceNumber
            self.firstTimestamp = packet.timestamp
        }
        self.lastSSRC = packet.ssrc
        self.lastSequenceNumber = packet.sequenceNumber
        self.lastTimestamp = packet.timestamp
        self.lastPayloadBytes = packet.payload.readableBytes
        guard recordsAudio, let codec = G711Codec(payloadType: packet.payloadType) else { return }
        self.audio.append(contentsOf: packet.payload.readableBytesView.lazy.map { codec.decode($0) })
        if self.audio.count > Self.audioCapacity + MediaTiming.sampleRate {
            // Trimmed a second at a time, so that a long call does not move the whole buffer every packet.
            self.audio.removeFirst(self.audio.count - Self.audioCapacity)
        }
    }
}

extension SkinnyPhone {
    /// One media stream of the phone (an OpenReceiveChannel, or a StartMediaTransmission without one): what it was
    /// for, where the phone sent, and what it received.
    public struct MediaStreamReport: Sendable, Hashable {
        public var callReference: UInt32
        public var passThroughPartyID: UInt32
        /// The phone's own UDP port (its OpenReceiveChannelAck).
        public var localPort: Int
        /// Where the phone sent its RTP (StartMediaTransmission), as `address:port`; nil if it never sent.
        public var transmittedTo: String?
        /// RTP packets the phone sent on the stream.
        public var packetsSent: Int
        /// False once the server closed the stream (or the call or the connection ended).
        public var isOpen: Bool
        /// What arrived.
        public var reception: RTPStreamReception
    }
}
