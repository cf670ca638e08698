public import Cluster
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The cluster port (UDP 8500), guarded.
///
/// design.md: UDP 8500 carries authenticated (HMAC, replay-protected) heartbeats and change notices between the
/// nodes on the cluster's member list, and anything else on that port is dropped and counted. Cisco's advisory
/// (cisco-sa-20070328-voip) had CUCM fall over from crafted UDP to this port.
///
/// Without ``Configuration/node`` (a server that is not a cluster node) no datagram can be an authenticated cluster
/// message: every one is dropped, counted by reason (not a member, oversized, unauthenticated), and no byte is
/// parsed. With it (`strowger serve --node`), datagrams from the node table's addresses are authenticated by the
/// `Cluster` target (docs/cluster.md) and drive its membership machine; each refusal is counted by its reason; and
/// a heartbeat goes to every other node each interval. Either way the checks run in the order of their cost, source
/// before size before HMAC (style.md §4, apple/swift-nio's NIOUDPEchoServer), refusals are logged at most once per
/// reason and source per interval, socket errors are counted and survived, and if the socket closes under it the
/// listener binds it again rather than ending the service (and with it the server).
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
        /// This server as a cluster node; nil: not one, every datagram is dropped.
        public var node: ClusterNodeSettings?

        public init(
            host: String,
            port: Int = 8500,
            members: SourceAllowList = .none,
            maximumDatagramSize: Int = GuardLimits.maximumClusterDatagramSize,
            logInterval: TimeAmount = GuardLimits.logInterval,
            node: ClusterNodeSettings? = nil
        ) {
            self.host = host
            self.port = port
            self.members = members
            self.maximumDatagramSize = maximumDatagramSize
            self.logInterval = logInterval
            self.node = node
        }
    }

    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>
    private let log: RejectionLog
    private let received = NIOLockedValueBox(0)
    private let engine: ClusterNodeEngine?

    public init(configuration: Configuration, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: Int.self)
        self.log = RejectionLog(service: "cluster", logger: logger, interval: configuration.logInterval)
        self.engine = configuration.node.map(ClusterNodeEngine.init)
    }

    /// The port the listener is bound to, once it is; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    /// Datagrams dropped, by reason.
    public func statistics() -> GuardStatistics {
        GuardStatistics(service: "cluster", rejections: self.log.counters.snapshot())
    }

    /// This node and its peers with their states (nil when this server is not a cluster node).
    public func clusterStatus() async -> [ClusterNodeStatus]? {
        guard let engine = self.engine else { return nil }
        return engine.status(figures: await engine.settings.figures())
    }

    /// Where each device is registered in the cluster, from the peers' location updates (nil when this server is not
    /// a cluster node). Not used by the call core yet.
    public var registrationLocations: RegistrationLocationTable? { self.engine?.locations }

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
                if let node = self.configuration.node {
                    self.logger.info(
                        "Cluster port listening as node \(node.name)",
                        metadata: ["cluster.host": "\(self.configuration.host)", "cluster.port": "\(port)"]
                    )
                } else {
                    self.logger.info(
                        "Cluster port listening (not a cluster node: every datagram is dropped and counted)",
                        metadata: ["cluster.host": "\(self.configuration.host)", "cluster.port": "\(port)"]
                    )
                }
            }
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    if let engine = self.engine {
                        try await self.runNode(engine, on: channel)
                    } else {
                        try await channel.closeFuture.get()
                    }
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

    /// Runs the node's timer beside the channel until the channel closes: reads the node table, sends the
    /// heartbeats, marks silent peers down.
    private func runNode(_ engine: ClusterNodeEngine, on channel: any Channel) async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await channel.closeFuture.get() }
            tasks.addTask {
                await self.readNodeTable(engine, channel: channel)
                await self.perform(engine.started(), engine: engine, channel: channel)
                var nextTableRead = ContinuousClock.now + engine.settings.heartbeatInterval
                while !Task.isCancelled {
                    // Cancelled: the channel closed or the server stops; neither is an error of this task.
                    do { try await Task.sleep(for: engine.delayUntilNextDeadline()) } catch { return }
                    if ContinuousClock.now >= nextTableRead {
                        nextTableRead = .now + engine.settings.heartbeatInterval
                        await self.readNodeTable(engine, channel: channel)
                    }
                    await self.perform(engine.timerFired(), engine: engine, channel: channel)
                }
            }
            // The channel closed (shutdown, or a socket failure the caller binds again after): stop the timer.
            _ = try await tasks.next()
            tasks.cancelAll()
        }
    }

    private func readNodeTable(_ engine: ClusterNodeEngine, channel: any Channel) async {
        do {
            let rows = try await engine.settings.nodeTable()
            await self.perform(engine.nodeTableRead(rows), engine: engine, channel: channel)
        } catch {
            self.logger.warning("Could not read the node table", metadata: ["error": "\(error)"])
        }
    }

    private func perform(
        _ actions: [ClusterMembership.Action],
        engine: ClusterNodeEngine,
        channel: any Channel
    ) async {
        guard !actions.isEmpty else { return }
        let figures = await engine.settings.figures()
        for action in actions {
            Self.logMembership(action, logger: self.logger)
            for envelope in engine.datagrams(for: action, figures: figures) {
                channel.writeAndFlush(envelope, promise: nil)
            }
        }
    }

    static func logMembership(_ action: ClusterMembership.Action, logger: Logger) {
        switch action {
        case .nodeUp(let name): logger.info("Cluster node is up", metadata: ["cluster.node": "\(name)"])
        case .nodeDown(let name): logger.warning("Cluster node is down", metadata: ["cluster.node": "\(name)"])
        case .sendHeartbeat, .sendLocationUpdate: break
        }
    }

    private func bind(port: Int) async throws -> any Channel {
        let configuration = self.configuration
        let log = self.log
        let received = self.received
        let engine = self.engine
        let logger = self.logger
        return try await DatagramBootstrap(group: self.group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: GuardLimits.datagramReceiveBufferSize)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ClusterDatagramGuardHandler(
                            configuration: configuration,
                            log: log,
                            received: received,
                            engine: engine,
                            logger: logger
                        )
                    )
                }
            }
            .bind(host: configuration.host, port: port)
            .get()
    }
}

/// Judges every datagram on the cluster port: on a cluster node, hands the ones that pass the size check to the
/// node's engine (source, tag, sender, timestamp, sequence); otherwise drops every one.
final class ClusterDatagramGuardHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let configuration: ClusterListener.Configuration
    private let log: RejectionLog
    private let received: NIOLockedValueBox<Int>
    private let engine: ClusterNodeEngine?
    private let logger: Logger

    init(
        configuration: ClusterListener.Configuration,
        log: RejectionLog,
        received: NIOLockedValueBox<Int>,
        engine: ClusterNodeEngine? = nil,
        logger: Logger = Logger(label: "strowger.cluster", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.log = log
        self.received = received
        self.engine = engine
        self.logger = logger
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
        let size = envelope.data.readableBytes
        guard let engine = self.engine else {
            let reason = Self.verdict(source: source, size: size, configuration: self.configuration)
            self.log.reject(reason, source: source)
            return
        }
        let maximumSize = min(self.configuration.maximumDatagramSize, GuardLimits.datagramReceiveBufferSize - 1)
        switch engine.receive(envelope.data, from: envelope.remoteAddress, maximumSize: maximumSize) {
        case .rejected(let reason):
            self.log.reject(reason, source: source)
        case .accepted(_, let actions):
            for action in actions { ClusterListener.logMembership(action, logger: self.logger) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIO closes the socket itself on the errors it cannot recover from; the listener then binds again.
        self.log.reject(.socketError, source: .unknown)
    }
}

@available(*, unavailable)
extension ClusterDatagramGuardHandler: Sendable {}
