public import Logging
public import Media
public import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The media engine on sockets (issue 14): conference bridges, music on hold and tones over RTP/UDP, run as a
/// `Service`.
///
/// One event loop owns everything: the ``MediaEngine`` state, every participant's UDP socket (bound from the
/// `--media-ports` range), the shared streaming socket music and tones are sent from, and one timer, re-armed at
/// each 20 ms deadline of the engine's drift-free clock, that mixes and sends for every stream at once (no timer
/// per stream). Commands (``execute(_:)``) hop onto that loop and are answered when done, after any socket they
/// need is bound. Datagrams go straight from the socket's handler into the engine on the same loop.
///
/// Bounds: the engine's limits (``MediaEngine/Configuration``), a fixed receive buffer per datagram
/// (``Limits/datagramBufferSize``), at most ``Limits/readsPerWakeUp`` datagrams read from one socket per wake-up,
/// and sends that a socket cannot take dropped and counted rather than queued.
public final class MediaServer: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address the sockets bind to (the server's address; `--bind`).
        public var bindHost: String
        /// The engine's limits; its `localHost` is the address endpoints report (with a wildcard bind, the call
        /// core replaces it with the address each phone reached the server on).
        public var engine: MediaEngine.Configuration

        public init(bindHost: String, engine: MediaEngine.Configuration) {
            self.bindHost = bindHost
            self.engine = engine
        }
    }

    /// Socket-level limits.
    public enum Limits {
        /// The receive buffer of one datagram: one more byte than ``RTPPacket/maximumSize``, so that a longer
        /// datagram is seen as too long rather than silently cut to a valid-looking packet.
        public static let datagramBufferSize = RTPPacket.maximumSize + 1
        /// Datagrams read from one socket before the loop moves on: a flooded socket cannot starve the tick.
        public static let readsPerWakeUp: UInt = 16
        /// Streaming sends written before a flush: the batch NIO hands to `sendmmsg`.
        public static let streamingBatch = 64
        /// The streaming socket's send buffer, so that a tick's batch of music packets is not refused.
        public static let streamingSendBuffer = 4 * 1024 * 1024
    }

    let configuration: Configuration
    let eventLoop: any EventLoop
    let logger: Logger
    let state: NIOLoopBoundBox<LoopState>

    /// `onEvent` is called on the media loop for every ``MediaEvent``; it must not block.
    public init(
        configuration: Configuration,
        eventLoop: any EventLoop,
        logger: Logger,
        onEvent: @escaping @Sendable (MediaEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        let now = NIODeadline.now().uptimeNanoseconds
        self.state = NIOLoopBoundBox.makeBoxSendingValue(
            LoopState(engine: MediaEngine(configuration: configuration.engine, now: now), onEvent: onEvent),
            eventLoop: eventLoop
        )
    }

    /// Binds the streaming socket and starts the clock. Throws when no port of the range can be bound.
    public func start() async throws {
        try await self.eventLoop.flatSubmit {
            self.bindStreamingSocket(attempt: 1)
        }.get()
        self.logger.info(
            "Media engine ready",
            metadata: [
                "media.ports": "\(self.configuration.engine.ports)",
                "media.conferenceMaximum": "\(self.configuration.engine.conferenceMaximum)",
            ]
        )
    }

    /// Stops the clock and closes every socket; commands afterwards fail.
    public func stop() async {
        let closed: EventLoopFuture<Void> = self.eventLoop.flatSubmit {
            let state = self.state.value
            state.isStopped = true
            state.tickTask?.cancel()
            state.tickTask = nil
            var channels = Array(state.channels.values)
            if let streaming = state.streamingChannel { channels.append(streaming) }
            state.channels.removeAll()
            state.streamingChannel = nil
            let futures = channels.map { $0.close() }
            return EventLoopFuture.andAllComplete(futures, on: self.eventLoop)
        }
        try? await closed.get()
    }

    /// Runs until graceful shutdown (a `Service` in the server's group).
    ///
    /// A server whose media engine cannot bind its streaming socket (every port of the range taken) keeps running
    /// without it: the error is logged, and media commands fail with ``MediaCommandError/Code/portsExhausted``,
    /// which the call core turns into "No Conference Bridge" or a hold without music.
    public func run() async throws {
        do {
            try await self.start()
        } catch {
            self.logger.error(
                "The media engine cannot bind a socket in its port range; conference and music on hold are off",
                metadata: ["media.ports": "\(self.configuration.engine.ports)", "error": "\(error)"]
            )
        }
        try? await gracefulShutdown()
        await self.stop()
    }

    /// Carries out one command on the media loop and answers when it is done (after binding a participant's
    /// socket, if it needs one).
    public func execute(_ command: MediaCommand) async -> MediaCommandResult {
        do {
            return try await self.submit(command).get()
        } catch {
            return .failed(MediaCommandError(.portsExhausted, "the media engine's loop is gone: \(error)"))
        }
    }

    /// Queues one command for the media loop without waiting: commands submitted one after another from one thread
    /// reach the engine in that order (the loop runs its tasks first in, first out), which is what the call core
    /// relies on when it adds a participant and sets its remote in the same breath. The future is answered when the
    /// command is done (after binding a participant's socket, if it needs one); it fails only when the loop is gone.
    public func submit(_ command: MediaCommand) -> EventLoopFuture<MediaCommandResult> {
        self.eventLoop.flatSubmit {
            let state = self.state.value
            guard !state.isStopped else {
                return self.eventLoop.makeSucceededFuture(
                    .failed(MediaCommandError(.portsExhausted, "the media engine is stopped"))
                )
            }
            let promise = self.eventLoop.makePromise(of: MediaCommandResult.self)
            self.perform(state.engine.execute(command), promise: promise)
            return promise.futureResult
        }
    }

    /// What the engine counted, and how late its packets went out.
    public func statistics() async -> (statistics: MediaStatistics, lateness: LatenessHistogram, socketErrors: Int) {
        let future = self.eventLoop.submit {
            let state = self.state.value
            return (state.engine.statistics, state.engine.lateness, state.socketErrors)
        }
        return (try? await future.get()) ?? (MediaStatistics(), LatenessHistogram(), 0)
    }

    /// Forgets the lateness recorded so far (a benchmark's warm-up).
    public func resetLateness() async {
        try? await self.eventLoop.submit { self.state.value.engine.resetLateness() }.get()
    }

    /// The port of the streaming socket music and tones are sent from, once started.
    public func streamingPort() async -> UInt16? {
        try? await self.eventLoop.submit { self.state.value.engine.streamingPort }.get()
    }
}
