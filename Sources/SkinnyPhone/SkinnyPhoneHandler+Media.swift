import NIOCore
import NIOPosix
import SkinnyWire

/// RTP: OpenReceiveChannel binds a UDP socket and acknowledges it, StartMediaTransmission sends RTP from that
/// socket every packet period, and everything that arrives is checked and counted (call-flows §4).
extension SkinnyPhoneHandler {
    /// The most media streams a phone holds open; beyond it OpenReceiveChannel is refused with status 2 (out of
    /// channels), so that a call manager that never closes channels cannot exhaust the process's sockets.
    static let mediaStreamCapacity = 16

    func openReceiveChannel(_ request: SkinnyMessage.OpenReceiveChannel) {
        guard self.media.count < Self.mediaStreamCapacity else {
            self.write([
                .openReceiveChannelAck(
                    .init(
                        status: .outOfChannels,
                        ipAddress: .unspecified,
                        port: 0,
                        passThroughPartyID: request.passThroughPartyID,
                        callReference: request.callReference
                    )
                )
            ])
            return
        }
        let stream = MediaStream(
            callReference: request.callReference,
            passThroughPartyID: request.passThroughPartyID,
            receiveCodec: request.codec,
            receiveTelephoneEvents: request.rfc2833PayloadType
        )
        self.media.append(stream)
        self.state.calls[request.callReference]?.isReceiving = true
        switch self.configuration.rtp {
        case .disabled:
            // No socket: report a distinct, plausible port in the range phones use (16384 and up, even).
            stream.port = 16384 + Int(self.fabricatedPorts % 8192) * 2
            self.fabricatedPorts &+= 1
            self.acknowledge(request, stream: stream, status: .ok)
        case .enabled:
            self.bind(stream) { phone, bound in
                phone.acknowledge(request, stream: stream, status: bound ? .ok : .outOfSockets)
            }
        }
    }

    /// Binds a UDP socket for `stream` on the phone's event loop, then calls `done` (on the loop) unless the stream
    /// was closed in the meantime.
    private func bind(_ stream: MediaStream, done: @escaping (SkinnyPhoneHandler, Bool) -> Void) {
        let phone = self.loopBound
        let boundStream = NIOLoopBound(stream, eventLoop: self.eventLoop)
        DatagramBootstrap(group: self.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RTPReceiveHandler(phone: phone.value, stream: boundStream.value)
                    )
                }
            }
            .bind(host: self.configuration.mediaHost, port: 0)
            .assumeIsolated()
            .whenComplete { result in
                let phone = phone.value
                switch result {
                case .success(let channel):
                    guard !stream.isClosed, phone.state.connection != .closed else {
                        channel.close(promise: nil)
                        return
                    }
                    stream.channel = channel
                    stream.port = channel.localAddress?.port ?? 0
                    done(phone, true)
                    if let pending = stream.pendingTransmission {
                        phone.startTransmitting(stream, pending)
                    }
                case .failure:
                    guard !stream.isClosed else { return }
                    done(phone, false)
                }
            }
    }

    private func acknowledge(
        _ request: SkinnyMessage.OpenReceiveChannel,
        stream: MediaStream,
        status: SkinnyMediaStatus
    ) {
        guard !stream.isClosed else { return }
        let address =
            stream.channel?.localAddress?.ipAddress.flatMap { SkinnyIPAddress(ipv4String: $0) }
            ?? SkinnyIPAddress(ipv4String: self.configuration.mediaHost) ?? .unspecified
        self.write([
            .openReceiveChannelAck(
                .init(
                    status: status,
                    ipAddress: address,
                    port: UInt32(stream.port),
                    passThroughPartyID: request.passThroughPartyID,
                    callReference: request.callReference
                )
            )
        ])
    }

    func startMediaTransmission(_ request: SkinnyMessage.StartMediaTransmission) {
        self.state.calls[request.callReference]?.transmittingTo = "\(request.remoteAddress):\(request.remotePort)"
        if self.configuration.sendsStartMediaTransmissionAck {
            self.write([
                .startMediaTransmissionAck(
                    .init(
                        conferenceID: request.conferenceID,
                        passThroughPartyID: request.passThroughPartyID,
                        callReference: request.callReference,
                        transmitIPAddress: request.remoteAddress,
                        port: request.remotePort,
                        status: .ok
                    )
                )
            ])
        }
        guard self.configuration.rtp == .enabled else { return }
        let stream = self.transmitStream(for: request)
        if let stream {
            stream.stopTransmitting()
            if stream.channel != nil {
                self.startTransmitting(stream, request)
            } else {
                stream.pendingTransmission = request
            }
            return
        }
        // No receive channel: send from a socket of its own.
        guard self.media.count < Self.mediaStreamCapacity else { return }
        let sendOnly = MediaStream(
            callReference: request.callReference,
            passThroughPartyID: request.passThroughPartyID,
            receiveCodec: request.codec
        )
        sendOnly.pendingTransmission = request
        self.media.append(sendOnly)
        self.bind(sendOnly) { _, _ in }
    }

    /// The open stream a StartMediaTransmission belongs to: same call and pass-through party, else same call,
    /// else same pass-through party.
    private func transmitStream(for request: SkinnyMessage.StartMediaTransmission) -> MediaStream? {
        let open = self.media.filter { !$0.isClosed }
        if let exact = open.first(where: {
            $0.callReference == request.callReference && $0.passThroughPartyID == request.passThroughPartyID
        }) {
            return exact
        }
        if request.callReference != 0, let byCall = open.first(where: { $0.callReference == request.callReference }) {
            return byCall
        }
        return open.first { $0.passThroughPartyID == request.passThroughPartyID }
    }

    func startTransmitting(_ stream: MediaStream, _ request: SkinnyMessage.StartMediaTransmission) {
        stream.pendingTransmission = nil
        guard let remote = try? SocketAddress(ipAddress: "\(request.remoteAddress)", port: Int(request.remotePort))
        else {
            return
        }
        stream.remote = remote
        stream.transmittedTo = "\(request.remoteAddress):\(request.remotePort)"
        stream.transmitCodec = request.codec
        stream.transmitTelephoneEvents = RTPTelephoneEvent.payloadType(request.rfc2833PayloadType)
        self.prepareTone(for: stream)
        stream.packetMilliseconds = request.packetSize == 0 ? 20 : Int(min(request.packetSize, 1000))
        let phone = self.loopBound
        let boundStream = NIOLoopBound(stream, eventLoop: self.eventLoop)
        let period = TimeAmount.milliseconds(Int64(stream.packetMilliseconds))
        stream.transmitTask = self.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: period) { _ in
            phone.value.sendRTP(on: boundStream.value)
        }
    }

    /// Sends one packet: the next sequence number, the timestamp advanced by the samples of one period (8 kHz
    /// clock), and a payload of silence sized for the codec (160 bytes of G.711 per 20 ms).
    private func sendRTP(on stream: MediaStream) {
        guard let channel = stream.channel, let remote = stream.remote, !stream.isClosed else { return }
        if self.sendTelephoneEvent(on: stream, channel: channel, to: remote) { return }
        let payloadSize = stream.packetMilliseconds * stream.transmitCodec.rtpBytesPerMillisecond
        var buffer = channel.allocator.buffer(capacity: RTPHeader.size + payloadSize)
        let header = RTPHeader(
            marker: stream.packetsSent == 0,
            payloadType: stream.transmitCodec.rtpPayloadType ?? 0,
            sequenceNumber: stream.sequenceNumber,
            timestamp: stream.timestamp,
            ssrc: stream.ssrc
        )
        header.write(into: &buffer)
        self.writePayload(of: stream, size: payloadSize, into: &buffer)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
        stream.sequenceNumber &+= 1
        stream.timestamp &+= UInt32(stream.packetMilliseconds * 8)
        stream.packetsSent += 1
        stream.octetsSent += payloadSize
        self.state.rtpPacketsSent += 1
        self.state.calls[stream.callReference]?.rtpPacketsSent += 1
        self.stateChanged()
    }

    /// A datagram arrived on `stream`'s socket: valid when it is RTP version 2 with the payload type of the
    /// receive channel's codec.
    func rtpReceived(_ packet: ByteBuffer, from source: SocketAddress, on stream: MediaStream) {
        guard !stream.isClosed else { return }
        let header = RTPHeader(parsing: packet)
        var valid = false
        if let header {
            if header.version == 2, let events = stream.receiveTelephoneEvents, header.payloadType == events {
                self.telephoneEventReceived(packet, header: header, on: stream)
                return
            }
            valid =
                header.version == 2
                && (stream.expectedPayloadType == nil || header.payloadType == stream.expectedPayloadType)
        }
        if valid {
            self.recordReception(packet, from: source, on: stream)
            stream.packetsReceived += 1
            stream.octetsReceived += packet.readableBytes - RTPHeader.size
            self.state.rtpPacketsReceived += 1
            self.state.calls[stream.callReference]?.rtpPacketsReceived += 1
        } else {
            self.state.rtpPacketsInvalid += 1
            self.state.calls[stream.callReference]?.rtpPacketsInvalid += 1
        }
        self.stateChanged()
    }

    /// The streams a Close/Stop names: by call reference and pass-through party, else by either.
    private func streams(callReference: UInt32, passThroughPartyID: UInt32) -> [MediaStream] {
        let exact = self.media.filter {
            $0.callReference == callReference && $0.passThroughPartyID == passThroughPartyID
        }
        if !exact.isEmpty { return exact }
        if callReference != 0 {
            let byCall = self.media.filter { $0.callReference == callReference }
            if !byCall.isEmpty { return byCall }
        }
        return self.media.filter { $0.passThroughPartyID == passThroughPartyID }
    }

    func stopMediaTransmission(callReference: UInt32, passThroughPartyID: UInt32) {
        for stream in self.streams(callReference: callReference, passThroughPartyID: passThroughPartyID) {
            stream.stopTransmitting()
        }
        self.state.calls[callReference]?.transmittingTo = nil
    }

    func closeReceiveChannel(callReference: UInt32, passThroughPartyID: UInt32) {
        let closing = self.streams(callReference: callReference, passThroughPartyID: passThroughPartyID)
        for stream in closing {
            stream.close()
        }
        self.removeClosedMediaStreams()
        self.state.calls[callReference]?.isReceiving = self.media.contains { $0.callReference == callReference }
    }

    /// The call went on hook: everything of it stops.
    func closeMedia(callReference: UInt32) {
        for stream in self.media where stream.callReference == callReference {
            stream.close()
        }
        self.removeClosedMediaStreams()
    }
}
