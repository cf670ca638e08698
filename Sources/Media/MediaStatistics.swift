/// What the engine counted since it started; exported at `/metrics` as `strowger_media_*`.
public struct MediaStatistics: Hashable, Sendable {
    /// RTP packets accepted from participants.
    public var packetsReceived = 0
    /// RTP packets sent (mixes, music, tones).
    public var packetsSent = 0
    /// Datagrams from an address other than the leg's negotiated remote, or before it was set.
    public var droppedWrongSource = 0
    /// Datagrams that are not RTP version 2 packets (``RTPPacketError``).
    public var droppedMalformed = 0
    /// RTP packets with a payload type other than the leg's codec.
    public var droppedWrongPayloadType = 0
    /// Datagrams on a socket that takes none (the streaming socket, music and tone legs) or for a leg gone.
    public var droppedUnexpected = 0
    /// Packets not sent because the socket's send buffer was full.
    public var droppedSendBufferFull = 0
    /// Jitter buffers: packets that arrived after their frame was played.
    public var jitterLate = 0
    /// Jitter buffers: packets received twice.
    public var jitterDuplicates = 0
    /// Jitter buffers: frames played with nothing received.
    public var jitterLost = 0
    /// Jitter buffers: restarts after a sequence jump or a new SSRC.
    public var jitterResets = 0
    /// Jitter buffers: payloads that were not one 20 ms frame.
    public var jitterWrongSize = 0
    /// Commands refused because the port range was exhausted.
    public var portsExhausted = 0
    /// 20 ms ticks run.
    public var ticks: UInt64 = 0
    /// Ticks skipped after a stall (``MediaClock/maximumCatchUp``).
    public var skippedTicks: UInt64 = 0

    /// Open conferences, participants, music listeners and tone legs, at the time of reading.
    public var conferences = 0
    public var participants = 0
    public var musicListeners = 0
    public var toneLegs = 0
    /// Ports of the range in use.
    public var portsInUse = 0
    /// Music sources loaded (with the built-in one).
    public var musicSources = 0

    public init() {}
}
