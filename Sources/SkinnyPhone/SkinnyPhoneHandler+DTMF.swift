import NIOCore

/// RFC 4733 telephone-events (DTMF) in a stream's RTP, as a phone sends them when the call manager gave an RFC 2833
/// payload type: each key is one event of `eventPackets` packets one packet period apart, all with the event's start
/// timestamp, the first with the marker bit, the duration growing; then three end packets (E bit, final duration),
/// as RFC 4733 §2.5.1.4 asks. Audio packets pause while an event goes out.
public enum RTPTelephoneEvent {
    /// The event code of a key (§3.2): 0–9, `*` 10, `#` 11, A–D 12–15; nil for anything else.
    public static func code(_ key: Character) -> UInt8? {
        switch key {
        case "0"..."9": key.wholeNumberValue.map(UInt8.init)
        case "*": 10
        case "#": 11
        case "A", "a": 12
        case "B", "b": 13
        case "C", "c": 14
        case "D", "d": 15
        default: nil
        }
    }

    /// The key of an event code, nil for codes beyond 15 (tones other than DTMF).
    public static func key(_ code: UInt8) -> Character? {
        switch code {
        case 0...9: Character(Unicode.Scalar(48 + code))
        case 10: "*"
        case 11: "#"
        case 12...15: Character(Unicode.Scalar(65 + code - 12))
        default: nil
        }
    }

    /// The 4-byte payload (§2.3): event, E bit, reserved bit, volume (−dBm0, 0–63), duration in timestamp units.
    public static func payload(code: UInt8, end: Bool, volume: UInt8, duration: UInt16) -> [UInt8] {
        [code, (end ? 0x80 : 0) | (volume & 0x3F), UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }

    /// A payload type from an SCCP `RFC2833PayloadType`: nil for 0 (none) or a value RTP cannot carry (above 127).
    static func payloadType(_ value: UInt32) -> UInt8? {
        (1...127).contains(value) ? UInt8(value) : nil
    }

    /// The packets that carry the key before the end packets: 100 ms of tone at 20 ms per packet.
    static let eventPackets = 5
    /// End packets, sent three times for robustness (§2.5.1.4).
    static let endPackets = 3
    /// −10 dBm0, a typical key press.
    static let volume: UInt8 = 10
}

/// One key going out as a telephone-event.
struct TelephoneEventTransmission {
    var code: UInt8
    /// The RTP timestamp of the event's start, the same in every packet of the event.
    var timestamp: UInt32
    /// Packets sent so far, end packets included.
    var packetsSent = 0
}

extension SkinnyPhoneHandler {
    /// Queues `keys` on every transmitting stream of call `callReference` that has a telephone-event payload type;
    /// returns whether any stream takes them.
    @discardableResult
    func queueTelephoneEvents(_ keys: [Character], callReference: UInt32) -> Bool {
        let streams = self.media.filter {
            !$0.isClosed && $0.callReference == callReference && $0.transmitTelephoneEvents != nil && $0.remote != nil
        }
        for stream in streams {
            stream.pendingKeys += keys.filter { RTPTelephoneEvent.code($0) != nil }
        }
        return !streams.isEmpty
    }

    /// Sends the next packet of the event in progress (or starts the next queued key) instead of audio; false when
    /// no event is due, so that audio goes out.
    func sendTelephoneEvent(on stream: MediaStream, channel: any Channel, to remote: SocketAddress) -> Bool {
        guard let payloadType = stream.transmitTelephoneEvents else { return false }
        if stream.currentEvent == nil {
            guard !stream.pendingKeys.isEmpty else { return false }
            let key = stream.pendingKeys.removeFirst()
            guard let code = RTPTelephoneEvent.code(key) else { return false }
            stream.currentEvent = TelephoneEventTransmission(code: code, timestamp: stream.timestamp)
            if var call = self.state.calls[stream.callReference] {
                call.telephoneEventsSent.append(key)
                if call.telephoneEventsSent.count > SkinnyPhone.Call.recordedEventCapacity {
                    call.telephoneEventsSent.removeFirst()
                }
                self.state.calls[stream.callReference] = call
            }
        }
        guard var event = stream.currentEvent else { return false }
        let samplesPerPacket = stream.packetMilliseconds * 8
        let toneFor = RTPTelephoneEvent.eventPackets
        let isEnd = event.packetsSent >= toneFor - 1
        let duration = min(samplesPerPacket * min(event.packetsSent + 1, toneFor), Int(UInt16.max))
        var buffer = channel.allocator.buffer(capacity: RTPHeader.size + 4)
        RTPHeader(
            marker: event.packetsSent == 0,
            payloadType: payloadType,
            sequenceNumber: stream.sequenceNumber,
            timestamp: event.timestamp,
            ssrc: stream.ssrc
        ).write(into: &buffer)
        buffer.writeBytes(
            RTPTelephoneEvent.payload(
                code: event.code,
                end: isEnd,
                volume: RTPTelephoneEvent.volume,
                duration: UInt16(duration)
            )
        )
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
        stream.sequenceNumber &+= 1
        // The media clock runs on through the event: the next audio (or event) starts where it would have.
        stream.timestamp &+= UInt32(samplesPerPacket)
        stream.packetsSent += 1
        event.packetsSent += 1
        stream.currentEvent = event.packetsSent >= toneFor - 1 + RTPTelephoneEvent.endPackets ? nil : event
        self.state.rtpPacketsSent += 1
        self.state.calls[stream.callReference]?.rtpPacketsSent += 1
        self.stateChanged()
        return true
    }

    /// A telephone-event packet on `stream`: its key is recorded once per event (by its timestamp).
    func telephoneEventReceived(_ packet: ByteBuffer, header: RTPHeader, on stream: MediaStream) {
        guard let code = packet.getInteger(at: packet.readerIndex + RTPHeader.size, as: UInt8.self),
            let key = RTPTelephoneEvent.key(code)
        else {
            self.state.rtpPacketsInvalid += 1
            self.state.calls[stream.callReference]?.rtpPacketsInvalid += 1
            self.stateChanged()
            return
        }
        stream.packetsReceived += 1
        self.state.rtpPacketsReceived += 1
        self.state.calls[stream.callReference]?.rtpPacketsReceived += 1
        if stream.lastReceivedEventTimestamp != header.timestamp {
            stream.lastReceivedEventTimestamp = header.timestamp
            if var call = self.state.calls[stream.callReference] {
                call.telephoneEventsReceived.append(key)
                if call.telephoneEventsReceived.count > SkinnyPhone.Call.recordedEventCapacity {
                    call.telephoneEventsReceived.removeFirst()
                }
                self.state.calls[stream.callReference] = call
            }
        }
        self.stateChanged()
    }
}
