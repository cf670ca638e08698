import Media
import NIOCore
import SkinnyWire

/// A phone that sends a tone of its own and records what it receives, stream by stream: what media tests check a
/// conference bridge, music on hold and phone-to-phone calls with.
extension SkinnyPhoneHandler {
    /// How many closed streams' reports a phone keeps (the oldest go first): a test looks at the last few calls.
    static let finishedMediaStreamCapacity = 32

    /// The G.711 law of a SCCP codec, or nil for any other codec.
    static func law(of codec: SkinnyCodec) -> G711Codec? {
        guard let payloadType = codec.rtpPayloadType else { return nil }
        return G711Codec(payloadType: payloadType)
    }

    /// Sets up the stream's tone when the phone sends one and the stream's codec is G.711 (a new oscillator per
    /// transmission, so that a stream restarted on another codec sends that codec's samples).
    func prepareTone(for stream: MediaStream) {
        guard let frequency = self.configuration.mediaToneFrequency, Self.law(of: stream.transmitCodec) != nil else {
            stream.oscillator = nil
            return
        }
        if stream.oscillator == nil { stream.oscillator = SineOscillator(frequency: frequency, amplitude: 6_000) }
    }

    /// The payload of one packet: the tone's next samples in the stream's law, else silence of the codec.
    func writePayload(of stream: MediaStream, size: Int, into buffer: inout ByteBuffer) {
        guard var oscillator = stream.oscillator, let law = Self.law(of: stream.transmitCodec) else {
            buffer.writeRepeatingByte(stream.transmitCodec.rtpSilenceByte, count: size)
            return
        }
        // G.711 carries one byte per sample.
        let samples = oscillator.next(size)
        stream.oscillator = oscillator
        buffer.writeBytes(samples.lazy.map { law.encode($0) })
    }

    /// Records a valid packet in the stream's reception (sequence, timestamp, SSRC, audio).
    func recordReception(_ datagram: ByteBuffer, from source: SocketAddress, on stream: MediaStream) {
        guard let packet = try? RTPPacket(parsing: datagram) else { return }
        let sourceText = "\(source.ipAddress ?? "?"):\(source.port ?? 0)"
        stream.reception.record(packet, from: sourceText, recordsAudio: self.configuration.recordsReceivedAudio)
    }

    /// Forgets closed streams, keeping their reports.
    func removeClosedMediaStreams() {
        for stream in self.media where stream.isClosed {
            self.finishedMediaStreams.append(Self.report(stream))
        }
        if self.finishedMediaStreams.count > Self.finishedMediaStreamCapacity {
            self.finishedMediaStreams.removeFirst(self.finishedMediaStreams.count - Self.finishedMediaStreamCapacity)
        }
        self.media.removeAll { $0.isClosed }
    }

    /// Every stream's report: the closed ones first, oldest first, then the open ones in the order they opened.
    func mediaStreamReports() -> [SkinnyPhone.MediaStreamReport] {
        self.finishedMediaStreams + self.media.map(Self.report)
    }

    static func report(_ stream: MediaStream) -> SkinnyPhone.MediaStreamReport {
        SkinnyPhone.MediaStreamReport(
            callReference: stream.callReference,
            passThroughPartyID: stream.passThroughPartyID,
            localPort: stream.port,
            transmittedTo: stream.transmittedTo,
            packetsSent: stream.packetsSent,
            isOpen: !stream.isClosed,
            reception: stream.reception
        )
    }
}

extension SkinnyPhone {
    /// Every media stream the phone had on this connection, with what each received: the closed ones (at most the
    /// last 32) first, then the open ones.
    public func mediaStreams() async throws -> [MediaStreamReport] {
        let handler = self.handler
        return try await self.eventLoop.submit { handler.value.mediaStreamReports() }.get()
    }
}
