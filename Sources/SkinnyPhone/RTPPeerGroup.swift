public import Media
public import NIOCore
import NIOPosix

/// Simulated RTP endpoints for media tests and `strowger-bench media`: UDP sockets on one event loop that each
/// send a sine tone of their own (or nothing) every 20 ms to a remote, all driven by one drift-free tick, and record
/// what they receive: packet counts, sequence and timestamp continuity, arrival offsets, and optionally the decoded
/// audio.
///
/// A peer sends from the socket it receives on (symmetric RTP, as a Cisco phone does), so its local address is the
/// remote the media engine must be told.
public final class RTPPeerGroup: Sendable {
    /// What one peer does.
    public struct PeerConfiguration: Sendable {
        /// The law it sends and expects.
        public var codec: G711Codec
        /// The tone it sends, in Hz; nil to send nothing (a music-on-hold listener).
        public var toneFrequency: Double?
        /// Whether to keep the decoded audio it receives (costs 16 KB a second).
        public var recordsAudio: Bool

        public init(codec: G711Codec, toneFrequency: Double?, recordsAudio: Bool = false) {
            self.codec = codec
            self.toneFrequency = toneFrequency
            self.recordsAudio = recordsAudio
        }
    }

    /// What one peer received.
    public struct Reception: Sendable {
        /// RTP packets received (valid version 2 headers).
        public var packets = 0
        /// Datagrams that were not RTP.
        public var malformed = 0
        /// Packets whose sequence number was not the previous one + 1.
        public var sequenceErrors = 0
        /// Packets never received: the gaps in the sequence numbers (a jump of more than 1,000 counts as one).
        public var missing = 0
        /// Packets whose timestamp was not the previous one + the previous payload's samples.
        public var timestampErrors = 0
        /// Packets with another SSRC than the first.
        public var ssrcChanges = 0
        /// Per packet: arrival time (uptime nanoseconds) minus the RTP timestamp's time since the first packet.
        /// The smallest offset is the stream's base; each packet's lateness is its offset minus that base.
        public var offsets: [Int64] = []
        /// The decoded audio, when recorded.
        public var audio: [Int16] = []
        var firstTimestamp: UInt32?
        var lastSequence: UInt16?
        var lastTimestamp: UInt32?
        var lastPayload = 0
        var ssrc: UInt32?
        /// Timestamps since the first, unwrapped.
        var timestampBase: Int64 = 0
    }

    final class Peer {
        let configuration: PeerConfiguration
        let channel: any Channel
        var remote: SocketAddress?
        var oscillator: SineOscillator?
        var sequenceNumber = UInt16.random(in: 0...UInt16.max)
        var timestamp = UInt32.random(in: 0...UInt32.max)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var reception = Reception()
        var recordsOffsets: Bool

        init(configuration: PeerConfiguration, channel: any Channel, recordsOffsets: Bool) {
            self.configuration = configuration
            self.channel = channel
            self.recordsOffsets = recordsOffsets
            self.oscillator = configuration.toneFrequency.map { SineOscillator(frequency: $0, amplitude: 6_000) }
        }
    }

    final class State {
        var peers: [Peer] = []
        var clock: MediaClock
        var task: Scheduled<Void>?
        var stopped = false
        var sent = 0

        init(now: UInt64) {
            self.clock = MediaClock(origin: now)
        }
    }

    public let eventLoop: any EventLoop
    private let state: NIOLoopBoundBox<State>
    /// Whether receivers keep every packet's arrival offset (the benchmark's lateness; 8 bytes a packet).
    private let recordsOffsets: Bool

    public init(eventLoop: any EventLoop, recordsOffsets: Bool = true) {
        self.eventLoop = eventLoop
        self.recordsOffsets = recordsOffsets
        self.state = NIOLoopBoundBox.makeBoxSendingValue(
            State(now: NIODeadline.now().uptimeNanoseconds),
            eventLoop: eventLoop
        )
    }

    /// Opens a peer's socket on `host` (port 0: any free port) and returns its index and local address.
    public func addPeer(
        _ configuration: PeerConfiguration,
        host: String = "127.0.0.1"
    ) async throws
        -> (index: Int, address: SocketAddress)
    {
        let state = self.state
        let recordsOffsets = self.recordsOffsets
        let channel = try await DatagramBootstrap(group: self.eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2_048))
            .bind(host: host, port: 0)
            .get()
        return try await self.eventLoop.submit {
            let peer = Peer(configuration: configuration, channel: channel, recordsOffsets: recordsOffsets)
            let index = state.value.peers.count
            state.value.peers.append(peer)
            try channel.pipeline.syncOperations.addHandler(PeerHandler(peer: peer))
            guard let address = channel.localAddress else { throw ChannelError.inappropriateOperationForState }
            return (index, address)
        }.get()
    }

    /// Where peer `index` sends (nil: it stops sending).
    public func setRemote(_ index: Int, _ remote: SocketAddress?) async throws {
        try await self.eventLoop.submit {
            guard self.state.value.peers.indices.contains(index) else { return }
            self.state.value.peers[index].remote = remote
        }.get()
    }

    /// Starts the 20 ms tick that sends every sending peer's next frame.
    public func start() async throws {
        try await self.eventLoop.submit {
            let state = self.state.value
            state.clock = MediaClock(origin: NIODeadline.now().uptimeNanoseconds)
            self.schedule()
        }.get()
    }

    /// Stops sending, closes every socket and returns what each peer received.
    public func stop() async throws -> [Reception] {
        try await self.eventLoop.flatSubmit {
            let state = self.state.value
            state.stopped = true
            state.task?.cancel()
            let receptions = state.peers.map(\.reception)
            let closes = state.peers.map { $0.channel.close() }
            return EventLoopFuture.andAllComplete(closes, on: self.eventLoop).map { receptions }
        }.get()
    }

    /// What each peer received so far.
    public func receptions() async throws -> [Reception] {
        try await self.eventLoop.submit { self.state.value.peers.map(\.reception) }.get()
    }

    /// Starts the measurement again: counts and arrival offsets are cleared, sequence and timestamp tracking go on.
    public func resetMeasurements() async throws {
        try await self.eventLoop.submit {
            for peer in self.state.value.peers {
                var reception = peer.reception
                reception.packets = 0
                reception.malformed = 0
                reception.sequenceErrors = 0
                reception.missing = 0
                reception.timestampErrors = 0
                reception.ssrcChanges = 0
                reception.offsets.removeAll(keepingCapacity: true)
                reception.audio.removeAll()
                peer.reception = reception
            }
        }.get()
    }

    /// Packets sent by all peers.
    public func packetsSent() async throws -> Int {
        try await self.eventLoop.submit { self.state.value.sent }.get()
    }

    private func schedule() {
        let state = self.state.value
        guard !state.stopped else { return }
        state.task = self.eventLoop.assumeIsolated().scheduleTask(
            deadline: .uptimeNanoseconds(state.clock.nextDeadline)
        ) {
            self.tick()
        }
    }

    private func tick() {
        let state = self.state.value
        let due = state.clock.dueTicks(now: NIODeadline.now().uptimeNanoseconds)
        for _ in due {
            for peer in state.peers {
                guard let remote = peer.remote, var oscillator = peer.oscillator else { continue }
                var buffer = peer.channel.allocator.buffer(capacity: 12 + MediaTiming.samplesPerFrame)
                buffer.writeRTPHeader(
                    marker: false,
                    payloadType: peer.configuration.codec.payloadType,
                    sequenceNumber: peer.sequenceNumber,
                    timestamp: peer.timestamp,
                    ssrc: peer.ssrc
                )
                buffer.writeBytes(oscillator.nextFrame(peer.configuration.codec))
                peer.oscillator = oscillator
                peer.sequenceNumber &+= 1
                peer.timestamp &+= UInt32(MediaTiming.samplesPerFrame)
                peer.channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
                state.sent += 1
            }
        }
        self.schedule()
    }

    final class PeerHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let peer: Peer

        init(peer: Peer) {
            self.peer = peer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let arrival = NIODeadline.now().uptimeNanoseconds
            let datagram = self.unwrapInboundIn(data).data
            guard let packet = try? RTPPacket(parsing: datagram) else {
                self.peer.reception.malformed += 1
                return
            }
            var reception = self.peer.reception
            self.peer.reception = Reception()
            reception.packets += 1
            if let ssrc = reception.ssrc, ssrc != packet.ssrc { reception.ssrcChanges += 1 }
            reception.ssrc = packet.ssrc
            if let last = reception.lastSequence, packet.sequenceNumber != last &+ 1 {
                reception.sequenceErrors += 1
                let gap = Int(packet.sequenceNumber &- last) - 1
                reception.missing += gap < 1_000 ? gap : 1
            }
            if let last = reception.lastTimestamp {
                let step = packet.timestamp &- last
                if step != UInt32(reception.lastPayload) { reception.timestampErrors += 1 }
                reception.timestampBase += Int64(Int32(bitPattern: step))
            }
            reception.lastSequence = packet.sequenceNumber
            reception.lastTimestamp = packet.timestamp
            reception.lastPayload = packet.payload.readableBytes
            if self.peer.recordsOffsets {
                // Nanoseconds of audio since the first packet: timestamp units at 8 kHz are 125 µs.
                reception.offsets.append(Int64(arrival) - reception.timestampBase * 125_000)
            }
            if self.peer.configuration.recordsAudio, let codec = G711Codec(payloadType: packet.payloadType) {
                reception.audio += packet.payload.readableBytesView.map { codec.decode($0) }
            }
            self.peer.reception = reception
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // ICMP port unreachable before the engine bound its socket: the peer keeps going.
        }
    }
}

@available(*, unavailable)
extension RTPPeerGroup.Peer: Sendable {}

@available(*, unavailable)
extension RTPPeerGroup.State: Sendable {}

@available(*, unavailable)
extension RTPPeerGroup.PeerHandler: Sendable {}
