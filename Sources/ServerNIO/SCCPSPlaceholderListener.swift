public import Logging
public import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The SCCPS port (TCP 2443) until TLS is built: a guarded listener that accepts nothing useful.
///
/// Cisco's advisory (cisco-sa-20070328-voip, CVE-2007-1833) had CUCM fall over from scans of 2000 *and* 2443, so
/// the port is held and guarded like the SCCP one rather than left to whatever else binds it: the same admission
/// checks (allow-list, rate and ban, caps), one unregistered slot per connection, and the Register deadline. The
/// first bytes a peer sends (a TLS ClientHello, garbage) close the connection, counted as `tls_unavailable`; a
/// peer that sends nothing is closed at the Register deadline. No byte is parsed. When SCCPS exists, this becomes
/// the SCCP pipeline behind a TLS handler (style.md §4).
public final class SCCPSPlaceholderListener: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port; 0 picks a free one (see `boundPort()`).
        public var port: Int
        /// The listen backlog.
        public var backlog: Int32

        public init(host: String, port: Int, backlog: Int32 = 256) {
            self.host = host
            self.port = port
            self.backlog = backlog
        }
    }

    private let configuration: Configuration
    /// The guards' shared state; its `statistics()` feed `/metrics`.
    public let connectionGuard: ListenerGuard
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>

    public init(
        configuration: Configuration,
        group: any EventLoopGroup,
        logger: Logger,
        connectionGuard: ListenerGuard
    ) {
        self.configuration = configuration
        self.connectionGuard = connectionGuard
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: Int.self)
    }

    /// The port the listener is bound to, once it is; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    public func run() async throws {
        let connectionGuard = self.connectionGuard
        let serverChannel: any Channel
        do {
            serverChannel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.backlog, value: self.configuration.backlog)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ConnectionAdmissionHandler(listenerGuard: connectionGuard)
                        )
                    }
                }
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            TLSUnavailableHandler(listenerGuard: connectionGuard)
                        )
                    }
                }
                .bind(host: self.configuration.host, port: self.configuration.port)
                .get()
        } catch {
            self.bound.fail(error)
            self.logger.error(
                "SCCPS listener could not bind",
                metadata: [
                    "sccps.host": "\(self.configuration.host)", "sccps.port": "\(self.configuration.port)",
                    "error": "\(error)",
                ]
            )
            throw error
        }
        let port = serverChannel.localAddress?.port ?? self.configuration.port
        self.bound.succeed(port)
        self.logger.info(
            "SCCPS port held (TLS not built yet: connections are closed)",
            metadata: ["sccps.host": "\(self.configuration.host)", "sccps.port": "\(port)"]
        )
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

/// Closes an SCCPS connection at its first bytes (TLS is not built yet) or at the Register deadline, holding one
/// unregistered slot meanwhile. Reads are discarded unparsed.
final class TLSUnavailableHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let listenerGuard: ListenerGuard
    private var source = SourceAddress.unknown
    private var holdsSlot = false
    private var isClosing = false
    private var deadline: Scheduled<Void>?

    init(listenerGuard: ListenerGuard) {
        self.listenerGuard = listenerGuard
    }

    func channelActive(context: ChannelHandlerContext) {
        self.source = SourceAddress(context.channel.remoteAddress)
        guard self.listenerGuard.acquireUnregisteredSlot(source: self.source) else {
            self.isClosing = true
            context.close(promise: nil)
            return
        }
        self.holdsSlot = true
        let loopBoundContext = context.loopBound
        self.deadline = context.eventLoop.assumeIsolated().scheduleTask(
            in: self.listenerGuard.configuration.registerTimeout
        ) {
            self.close(.registerTimeout, context: loopBoundContext.value)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.close(.tlsUnavailable, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosing = true
        self.deadline?.cancel()
        self.deadline = nil
        if self.holdsSlot {
            self.holdsSlot = false
            self.listenerGuard.releaseUnregisteredSlot()
        }
        context.fireChannelInactive()
    }

    private func close(_ reason: GuardRejectionReason, context: ChannelHandlerContext) {
        guard !self.isClosing else { return }
        self.isClosing = true
        self.deadline?.cancel()
        self.deadline = nil
        self.listenerGuard.reject(reason, source: self.source)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TLSUnavailableHandler: Sendable {}
