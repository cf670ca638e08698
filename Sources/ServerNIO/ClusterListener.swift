public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The cluster port (UDP 8500), guarded, before the cluster protocol exists.
///
/// design.md: UDP 8500 carries authenticated (HMAC, replay-protected) heartbeats and change notices between the
/// nodes on the cluster's member list, and anything else on that port is dropped and counted. Cisco's advisory
/// (cisco-sa-20070328-voip) had CUCM fall over from crafted UDP to this port. There is no cluster protocol yet, so
/// no datagram can be an authenticated cluster message: every one is dropped, counted by reason (not a member,
/// oversized, unauthenticated) and logged at most once per reason and source per interval. The checks run in the
/// order of their cost, source before size, and no byte is parsed (style.md §4, apple/swift-nio's
/// NIOUDPEchoServer). Socket errors are counted and survived; if the socket closes under it, the listener binds it
/// again rather than ending the service (and with it the server).
public final class ClusterListener: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port; 8500 is the cluster's, 0 picks a free one (see `boundPort()`).
        public var port: Int
        /// The cluster's member nodes. None until the cluster is built.
        public var members: SourceAllowList
        /// The longest datagram looked at.
        public var maximumDatagramSize: Int
        /// One log line per reason and source per this interval.
        public var logInterval: TimeAmount

        public init(
            host: String,
            port: Int = 8500,
            members: SourceAllowList = .none,
            maximumDatagramSize: Int = GuardLimits.maximumClusterDatagramSize,
            logInterval: TimeAmount = GuardLimits.logInterval
        ) {
            self.host = host
            self.port = port
            self.members = members
            self.maximumDatagramSize = maximumDatagramSize
            self.logInterval = logInterval
        }
    }

    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>
    private let log: RejectionLog
    private let received = NIOLockedValueBox(0)

    public init(configuration: Configuration, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: Int.self)
        self.log = RejectionLog(service: "cluster", logger: logger, interval: configuration.logInterval)
    }

    /// The port the listener is bound to, once it is; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    /// Datagrams dropped, by reason.
    public func statistics() -> GuardStatistics {
        GuardStatistics(service: "cluster", rejections: self.log.counters.snapshot())
    }

    /// Datagrams read since the listener started.
    public var datagramsReceived: Int { self.received.withLockedValue { $0 } }

    public func run() async throws {
        var port = self.configuration.port
        var isFirstBind = true
        let stopping = NIOLockedValueBox(false)
        while !stopping.withLockedValue({ $0 }) {
            let channel: any Channel
            do {
                channel = try await self.bind(port: port)
            } catch {
                self.logger.error(
                    "Cluster listener could not bind",
                    metadata: [
                        "cluster.host": "\(self.configuration.host)", "cluster.port": "\(port)", "error": "\(error)",
                    ]
                )
                if isFirstBind {
                    self.bound.fail(error)
                    throw error
                }
                try await Task.sleep(for: .seconds(1))
                continue
            }
            port = channel.localAddress?.port ?? port
            if isFirstBind {
                isFirstBind = false
                self.bound.succeed(port)
                self.logger.info(
                    "Cluster port listening (no cluster protocol yet: every datagram is dropped and counted)",
                    metadata: ["cluster.host": "\(self.configuration.host)", "cluster.port": "\(port)"]
                )
            }
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    try await channel.closeFuture.get()
                } onGracefulShutdown: {
                    stopping.withLockedValue { $0 = true }
                    channel.close(promise: nil)
                }
            } onCancel: {
                stopping.withLockedValue { $0 = true }
                channel.close(promise: nil)
            }
            if stopping.withLockedValue({ $0 }) || Task.isCancelled { return }
            self.logger.error(
                "Cluster socket closed unexpectedly; binding it again",
                metadata: ["cluster.port": "\(port)"]
            )
            try await Task.sleep(for: .seconds(1))
        }
    }

    private func bind(port: Int) async throws -> any Channel {
        let configuration = self.configuration
        let log = self.log
        let received = self.received
        return try await DatagramBootstrap(group: self.group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: GuardLimits.datagramReceiveBufferSize)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ClusterDatagramGuardHandler(configuration: configuration, log: log, received: received)
                    )
                }
            }
            .bind(host: configuration.host, port: port)
            .get()
    }
}

/// Judges every datagram on the cluster port; with no cluster protocol yet, every one is dropped.
final class ClusterDatagramGuardHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let configuration: ClusterListener.Configuration
    private let log: RejectionLog
    private let received: NIOLockedValueBox<Int>

    init(configuration: ClusterListener.Configuration, log: RejectionLog, received: NIOLockedValueBox<Int>) {
        self.configuration = configuration
        self.log = log
        self.received = received
    }

    /// Why a datagram from `source` of `size` bytes is dropped. A datagram that filled the receive buffer may have
    /// been cut short by the kernel, so it counts as oversized.
    static func verdict(
        source: SourceAddress,
        size: Int,
        configuration: ClusterListener.Configuration
    ) -> GuardRejectionReason {
        guard configuration.members.allows(source) else { return .sourceNotAllowed }
        guard size <= configuration.maximumDatagramSize, size < GuardLimits.datagramReceiveBufferSize else {
            return .oversizedDatagram
        }
        // No cluster protocol yet: nothing can authenticate.
        return .unauthenticatedDatagram
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        self.received.withLockedValue { $0 += 1 }
        let source = SourceAddress(envelope.remoteAddress)
        let reason = Self.verdict(source: source, size: envelope.data.readableBytes, configuration: self.configuration)
        self.log.reject(reason, source: source)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIO closes the socket itself on the errors it cannot recover from; the listener then binds again.
        self.log.reject(.socketError, source: .unknown)
    }
}

@available(*, unavailable)
extension ClusterDatagramGuardHandler: Sendable {}
