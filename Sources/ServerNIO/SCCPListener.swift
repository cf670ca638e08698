public import Logging
public import NIOCore
import NIOPosix
public import ServiceLifecycle
public import SkinnyWire

/// A TCP listener for SCCP phones, run as a `Service`.
///
/// Each accepted connection gets the SCCP pipeline: the frame decoder with its length limit, then whatever
/// `sessionInitializer` adds (the session handler). Outbound the pipeline carries bytes: the session encodes each
/// burst of messages into one buffer itself (no frame encoder stage, no buffer per message). The listener stops
/// accepting on graceful shutdown; established sessions are closed by their owners.
///
/// Guards (``ListenerGuard``): every accepted socket passes the admission checks (allow-list, connection rate and
/// ban, per-source and total caps) before it gets a pipeline, and every connection gets an
/// `SCCPConnectionGuardHandler` after the frame codec (unregistered cap, Register deadline, message ceiling,
/// bounded writes).
public final class SCCPListener: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port; 0 picks a free one (see `boundPort()`).
        public var port: Int
        /// The largest SCCP length field accepted before a body is read (SkinnyLimits.defaultMaximumLength).
        public var maximumFrameLength: UInt32
        /// The listen backlog: registration storms after a power cut arrive all at once.
        public var backlog: Int32

        public init(
            host: String,
            port: Int,
            maximumFrameLength: UInt32 = SkinnyLimits.defaultMaximumLength,
            backlog: Int32 = 4096
        ) {
            self.host = host
            self.port = port
            self.maximumFrameLength = maximumFrameLength
            self.backlog = backlog
        }
    }

    private let configuration: Configuration
    /// The guards' shared state; its `statistics()` feed `/metrics`.
    public let connectionGuard: ListenerGuard
    private let group: any EventLoopGroup
    private let logger: Logger
    private let sessionInitializer: @Sendable (any Channel) throws -> Void
    private let bound: EventLoopPromise<Int>

    /// - Parameter sessionInitializer: adds the handlers after the frame codec, with `syncOperations`, on the
    ///   child channel's event loop.
    /// - Parameter connectionGuard: the guards; nil gives the defaults (``ConnectionGuardConfiguration``).
    public init(
        configuration: Configuration,
        group: any EventLoopGroup,
        logger: Logger,
        connectionGuard: ListenerGuard? = nil,
        sessionInitializer: @escaping @Sendable (any Channel) throws -> Void
    ) {
        self.configuration = configuration
        self.connectionGuard =
            connectionGuard
            ?? ListenerGuard(service: "sccp", configuration: ConnectionGuardConfiguration(), logger: logger)
        self.group = group
        self.logger = logger
        self.sessionInitializer = sessionInitializer
        self.bound = group.next().makePromise(of: Int.self)
    }

    /// The port the listener is bound to, once it is; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    /// Builds one connection's pipeline, on its event loop: the frame decoder with its length limit, the
    /// connection guard, then what `sessionInitializer` adds. Tests and the session fuzzer build the same
    /// pipeline on an `EmbeddedChannel`.
    public static func addConnectionHandlers(
        to channel: any Channel,
        maximumFrameLength: UInt32 = SkinnyLimits.defaultMaximumLength,
        connectionGuard: ListenerGuard,
        now: @escaping () -> NIODeadline = { .now() },
        sessionInitializer: (any Channel) throws -> Void
    ) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(ByteToMessageHandler(SkinnyFrameDecoder(maximumLength: maximumFrameLength)))
        try operations.addHandler(SCCPConnectionGuardHandler(listenerGuard: connectionGuard, now: now))
        try sessionInitializer(channel)
    }

    public func run() async throws {
        let maximumFrameLength = self.configuration.maximumFrameLength
        let sessionInitializer = self.sessionInitializer
        let connectionGuard = self.connectionGuard
        let serverChannel: any Channel
        do {
            var bootstrap = ServerBootstrap(group: self.group)
                .serverChannelOption(.backlog, value: self.configuration.backlog)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ConnectionAdmissionHandler(listenerGuard: connectionGuard)
                        )
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
            if let sendBufferSize = connectionGuard.configuration.socketSendBufferSize {
                bootstrap = bootstrap.childChannelOption(
                    .socketOption(.so_sndbuf),
                    value: SocketOptionValue(sendBufferSize)
                )
            }
            serverChannel =
                try await bootstrap
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.addConnectionHandlers(
                            to: channel,
                            maximumFrameLength: maximumFrameLength,
                            connectionGuard: connectionGuard,
                            sessionInitializer: sessionInitializer
                        )
                    }
                }
                .bind(host: self.configuration.host, port: self.configuration.port)
                .get()
        } catch {
            self.bound.fail(error)
            self.logger.error(
                "SCCP listener could not bind",
                metadata: [
                    "sccp.host": "\(self.configuration.host)", "sccp.port": "\(self.configuration.port)",
                    "error": "\(error)",
                ]
            )
            throw error
        }
        let port = serverChannel.localAddress?.port ?? self.configuration.port
        self.bound.succeed(port)
        self.logger.info(
            "SCCP listening",
            metadata: ["sccp.host": "\(self.configuration.host)", "sccp.port": "\(port)"]
        )
        // Stop accepting on graceful shutdown or cancellation; established sessions are closed by their owner.
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await serverChannel.closeFuture.get()
            } onGracefulShutdown: {
                serverChannel.close(promise: nil)
            }
        } onCancel: {
            serverChannel.close(promise: nil)
        }
    }
}
