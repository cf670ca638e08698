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
        guard let remote = leg.remote else {
            self.holdEarly(datagram, from: source, now: now, on: leg)
            return
        }
        guard Self.matches(source, remote, self.configuration.sourceCheck) else {
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

    /// A datagram that came before the participant's remote was set: kept (a copy, at most
    /// ``Leg/earlyPacketLimit`` of at most ``RTPPacket/maximumSize`` bytes) until ``MediaCommand/setRemote(_:_:)``
    /// judges its source, counted as from a wrong source otherwise.
    ///
    /// Why: the call core tells a phone to send to the bridge once it has sent the bridge the phone's address, but
    /// the two travel different ways (the media loop's queue; SCCP to the phone, then UDP back), and a phone's first
    /// packet can overtake the address on a loaded machine.
    private mutating func holdEarly(_ datagram: ByteBuffer, from source: MediaSocketAddress, now: UInt64, on leg: Leg) {
        guard leg.early.count < Leg.earlyPacketLimit, datagram.readableBytes <= RTPPacket.maximumSize else {
            self.counters.droppedWrongSource += 1
            return
        }
        leg.early.append(.init(source: source, datagram: ByteBuffer(bytes: datagram.readableBytesView), received: now))
    }

    /// The participant's remote is known: the packets that came before it are judged as if they came now.
    mutating func replayEarlyPackets(of leg: Leg) {
        let early = leg.early
        leg.early = []
        for packet in early {
            self.datagramReceived(on: leg.id, from: packet.source, datagram: packet.datagram, now: packet.received)
        }
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
