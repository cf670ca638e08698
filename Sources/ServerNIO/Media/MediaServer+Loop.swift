import Media
import NIOCore
import NIOPosix

extension MediaServer {
    /// Everything the media loop owns. Touched only on that loop (`NIOLoopBoundBox`).
    final class LoopState {
        var engine: MediaEngine
        let onEvent: @Sendable (MediaEvent) -> Void
        /// Each participant's socket.
        var channels: [MediaLegID: any Channel] = [:]
        var streamingChannel: (any Channel)?
        /// The NIO address of each leg's remote, converted once.
        var destinations: [MediaLegID: (media: MediaSocketAddress, socket: SocketAddress)] = [:]
        var tickTask: Scheduled<Void>?
        /// No stream is open, so no tick is armed (an idle engine does not wake up every 5 ms).
        var isSleeping = false
        var isStopped = false
        var socketErrors = 0
        /// Reused every tick.
        var sends: [MediaEngine.Send] = []
        var events: [MediaEvent] = []

        init(engine: MediaEngine, onEvent: @escaping @Sendable (MediaEvent) -> Void) {
            self.engine = engine
            self.onEvent = onEvent
        }
    }

    /// Binds the streaming socket on the next free port of the range, trying others while ports are held by other
    /// processes; then starts ticking.
    func bindStreamingSocket(attempt: Int) -> EventLoopFuture<Void> {
        let state = self.state.value
        guard let port = state.engine.allocateStreamingPort() else {
            return self.eventLoop.makeFailedFuture(
                MediaCommandError(.portsExhausted, "no port of \(self.configuration.engine.ports) is free")
            )
        }
        return self.bootstrap(leg: nil)
            .channelOption(.socketOption(.so_sndbuf), value: SocketOptionValue(Limits.streamingSendBuffer))
            .channelOption(
                .writeBufferWaterMark,
                value: .init(low: Limits.streamingSendBuffer / 2, high: Limits.streamingSendBuffer)
            )
            .bind(host: self.configuration.bindHost, port: Int(port))
            .flatMap { channel in
                let state = self.state.value
                state.streamingChannel = channel
                state.engine.streamingSocketBound(port: port)
                self.scheduleTick()
                return self.eventLoop.makeSucceededVoidFuture()
            }
            .flatMapError { error in
                self.state.value.engine.portUnusable(port)
                guard attempt < self.configuration.engine.bindAttempts else {
                    return self.eventLoop.makeFailedFuture(error)
                }
                return self.bindStreamingSocket(attempt: attempt + 1)
            }
    }

    func bootstrap(leg: MediaLegID?) -> DatagramBootstrap {
        let state = self.state
        return DatagramBootstrap(group: self.eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Limits.datagramBufferSize))
            .channelOption(.maxMessagesPerRead, value: Limits.readsPerWakeUp)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(MediaDatagramHandler(leg: leg, state: state.value))
                }
            }
    }

    /// Carries out an engine action, completing `promise` with the command's answer.
    func perform(_ action: MediaEngine.Action, promise: EventLoopPromise<MediaCommandResult>) {
        let state = self.state.value
        switch action {
        case .reply(let result):
            self.forgetDestinationsOfGoneLegs(state)
            self.wakeUpIfNeeded(state)
            promise.succeed(result)
        case .closeSockets(let legs, let result):
            for leg in legs {
                state.channels.removeValue(forKey: leg)?.close(promise: nil)
                state.destinations.removeValue(forKey: leg)
            }
            promise.succeed(result)
        case .bindSocket(let leg, let port):
            self.bootstrap(leg: leg)
                .bind(host: self.configuration.bindHost, port: Int(port))
                .whenComplete { result in
                    let state = self.state.value
                    // A leg removed while its socket was binding (and perhaps added again under the same id, with
                    // a bind of its own under way) must not get this socket.
                    let isCurrent = state.engine.isAwaitingSocket(leg, port: port)
                    switch result {
                    case .success(let channel):
                        if state.isStopped {
                            channel.close(promise: nil)
                            promise.succeed(.failed(MediaCommandError(.portsExhausted, "the media engine stopped")))
                            return
                        }
                        guard isCurrent else {
                            channel.close(promise: nil)
                            promise.succeed(.failed(MediaCommandError(.unknownLeg, "\(leg) was removed while binding")))
                            return
                        }
                        state.channels[leg] = channel
                        self.perform(state.engine.socketBound(leg), promise: promise)
                    case .failure:
                        guard isCurrent else {
                            promise.succeed(.failed(MediaCommandError(.unknownLeg, "\(leg) was removed while binding")))
                            return
                        }
                        self.perform(state.engine.socketBindFailed(leg), promise: promise)
                    }
                }
        }
    }

    /// Drops cached destinations of legs the engine no longer has (music and tone legs end without a socket).
    private func forgetDestinationsOfGoneLegs(_ state: LoopState) {
        guard state.destinations.count > state.engine.legCount else { return }
        for leg in state.destinations.keys where !state.engine.hasLeg(leg) {
            state.destinations.removeValue(forKey: leg)
        }
    }

    /// Arms the tick again if the engine slept and now has a stream to serve.
    private func wakeUpIfNeeded(_ state: LoopState) {
        guard state.isSleeping, state.engine.needsTicks, state.streamingChannel != nil else { return }
        state.isSleeping = false
        state.engine.resume(now: NIODeadline.now().uptimeNanoseconds)
        self.scheduleTick()
    }

    /// Arms the one timer at the engine's next deadline (absolute, so that no error accumulates); with no stream
    /// open the engine sleeps instead, until a command opens one.
    func scheduleTick() {
        let state = self.state.value
        guard !state.isStopped else { return }
        guard state.engine.needsTicks else {
            state.isSleeping = true
            state.tickTask = nil
            return
        }
        let deadline = NIODeadline.uptimeNanoseconds(state.engine.nextTickDeadline)
        state.tickTask = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.runTick()
        }
    }

    /// One tick: the engine mixes and streams, the packets go out (participants' on their own sockets, flushed one
    /// by one; music and tones on the streaming socket in batches), each packet's lateness is recorded.
    func runTick() {
        let state = self.state.value
        guard !state.isStopped else { return }
        state.sends.removeAll(keepingCapacity: true)
        state.events.removeAll(keepingCapacity: true)
        state.engine.tick(now: NIODeadline.now().uptimeNanoseconds, sends: &state.sends, events: &state.events)
        var batch = 0
        var batchDue: [UInt64] = []
        batchDue.reserveCapacity(Limits.streamingBatch)
        for send in state.sends {
            let channel = send.viaStreamingSocket ? state.streamingChannel : state.channels[send.leg]
            guard let channel, channel.isWritable, let destination = self.destination(of: send, state) else {
                state.engine.sendDropped()
                continue
            }
            channel.write(AddressedEnvelope(remoteAddress: destination, data: send.packet), promise: nil)
            if send.viaStreamingSocket {
                batch += 1
                batchDue.append(send.dueTime)
                if batch == Limits.streamingBatch {
                    channel.flush()
                    self.recordLateness(of: &batchDue, state)
                    batch = 0
                }
            } else {
                channel.flush()
                state.engine.recordLateness(Self.since(send.dueTime))
            }
        }
        if batch > 0, let streaming = state.streamingChannel {
            streaming.flush()
            self.recordLateness(of: &batchDue, state)
        }
        for event in state.events { state.onEvent(event) }
        self.scheduleTick()
    }

    private func recordLateness(of due: inout [UInt64], _ state: LoopState) {
        let now = NIODeadline.now().uptimeNanoseconds
        for time in due { state.engine.recordLateness(now > time ? now - time : 0) }
        due.removeAll(keepingCapacity: true)
    }

    private static func since(_ time: UInt64) -> UInt64 {
        let now = NIODeadline.now().uptimeNanoseconds
        return now > time ? now - time : 0
    }

    /// The send's destination as a NIO address, converted once per leg and remote.
    private func destination(of send: MediaEngine.Send, _ state: LoopState) -> SocketAddress? {
        if let cached = state.destinations[send.leg], cached.media == send.destination { return cached.socket }
        guard let socket = try? SocketAddress(send.destination) else { return nil }
        state.destinations[send.leg] = (send.destination, socket)
        return socket
    }
}
