public import NIOCore

/// Datagrams in: checked in the order of their cost (leg, source address, RTP header, payload type), counted and
/// dropped at the first failure, stored in the participant's jitter buffer otherwise. Nothing a sender puts in a
/// datagram can make the engine allocate, trap or hold more than the leg's fixed buffer.
extension MediaEngine {
    /// A datagram arrived on `leg`'s own socket from `source`.
    public mutating func datagramReceived(
        on id: MediaLegID,
        from source: MediaSocketAddress,
        datagram: ByteBuffer,
        now: UInt64
    ) {
        guard let leg = self.legs[id], var jitter = leg.jitter else {
            self.counters.droppedUnexpected += 1
            return
        }
        guard let remote = leg.remote, Self.matches(source, remote, self.configuration.sourceCheck) else {
            self.counters.droppedWrongSource += 1
            return
        }
        let packet: RTPPacket
        do {
            packet = try RTPPacket(parsing: datagram)
        } catch {
            self.counters.droppedMalformed += 1
            return
        }
        guard packet.payloadType == leg.codec.payloadType else {
            self.counters.droppedWrongPayloadType += 1
            return
        }
        // The buffer is taken out of the leg while it is written to, so that its arrays are not copied.
        leg.jitter = nil
        packet.payload.withUnsafeReadableBytes { payload in
            _ = jitter.insert(sequenceNumber: packet.sequenceNumber, ssrc: packet.ssrc, payload: payload)
        }
        leg.jitter = jitter
        leg.lastReceived = now
        leg.inactivityReported = false
        self.counters.packetsReceived += 1
    }

    /// A datagram arrived on the streaming socket, which sends music and tones and takes nothing in.
    public mutating func datagramReceivedOnStreamingSocket() {
        self.counters.droppedUnexpected += 1
    }

    static func matches(_ source: MediaSocketAddress, _ remote: MediaSocketAddress, _ check: SourceCheck) -> Bool {
        switch check {
        case .addressAndPort: source == remote
        case .addressOnly: source.host == remote.host
        }
    }
}
