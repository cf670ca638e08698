public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
public import Provisioning
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The TFTP server phones fetch their configuration from (UDP 69), run as a `Service`.
///
/// Requests arrive on the server port and are judged by a `TFTPServerPolicy` (junk dropped, writes and unsafe names
/// refused, a per-source rate limit, a cap on concurrent transfers). Files come from the injected
/// `TFTPFileProvider`, under a lookup deadline. As RFC 1350 asks, each transfer then runs on its own ephemeral
/// socket (its TID), connected to the client's address, driven by a `TFTPTransferStateMachine` with its timers on
/// the event loop. The server socket and every transfer socket share one event loop, which owns the policy: no
/// locks on the request path.
///
/// A transfer socket is connected rather than bound to the listener's address (NIO cannot connect a bound datagram
/// channel), so its replies leave from the address the kernel picks for the client's route: the asked address when
/// the listener is on the wildcard address or the interface's primary one. See docs/provisioning.md.
///
/// If the configured port cannot be bound (port 69 needs privileges; another TFTP server may hold it) and a
/// fallback port is configured, the listener binds that instead and logs it. `boundPort()` tells which.
public final class TFTPListener: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port; 69 is TFTP's, 0 picks a free one (see `boundPort()`).
        public var port: Int
        /// Bound instead of `port` when binding `port` fails for lack of privilege or because it is taken.
        public var fallbackPort: Int?
        /// Request limits: concurrent transfers, per-source rate.
        public var policy: TFTPServerPolicyConfiguration
        /// Per-transfer limits: block size cap, timeout, retransmissions.
        public var transfer: TFTPTransferStateMachine.Configuration
        /// How long one transfer may take in all; past it the transfer ends with an ERROR. Bounds a client that
        /// acknowledges just often enough to keep its transfer alive; a silent one ends sooner, after its
        /// retransmissions (at most `TFTPLimits.acceptedTimeoutRange.upperBound` s apart).
        public var maximumTransferDuration: TimeAmount
        /// How long the file provider may take to answer before the client gets ERROR 0.
        public var lookupTimeout: TimeAmount
        /// Sources whose requests are looked at; datagrams from others are dropped before parsing. Any by default.
        public var allowedNetworks: SourceAllowList = .any

        public init(
            host: String = "0.0.0.0",
            port: Int = 69,
            fallbackPort: Int? = 6969,
            policy: TFTPServerPolicyConfiguration = TFTPServerPolicyConfiguration(),
            transfer: TFTPTransferStateMachine.Configuration = TFTPTransferStateMachine.Configuration(),
            maximumTransferDuration: TimeAmount = .minutes(10),
            lookupTimeout: TimeAmount = .seconds(5)
        ) {
            self.host = host
            self.port = port
            self.fallbackPort = fallbackPort
            self.policy = policy
            self.transfer = transfer
            self.maximumTransferDuration = maximumTransferDuration
            self.lookupTimeout = lookupTimeout
        }
    }

    /// Counters since the listener started.
    public struct Statistics: Hashable, Sendable {
        /// Datagrams read on the server port.
        public var datagramsReceived = 0
        /// Datagrams on the server port that were not a well-formed request, of any size.
        public var junkDatagrams = 0
        /// Requests dropped by the per-source rate limit.
        public var rateLimited = 0
        /// Write requests refused (ERROR 2).
        public var writeRequestsRefused = 0
        /// Requests refused for an unsafe file name (ERROR 2) or the mail mode (ERROR 4).
        public var requestsRefused = 0
        /// Requests for files that do not exist (ERROR 1).
        public var filesNotFound = 0
        /// Requests dropped because every transfer slot was taken and none was stalled.
        public var busyDrops = 0
        /// Requests dropped because their source already held `maximumTransfersPerSource` slots.
        public var perSourceDrops = 0
        /// Stalled transfers ended to make room for a new request.
        public var transfersEvicted = 0
        /// Lookups that failed or missed their deadline (ERROR 0).
        public var lookupFailures = 0
        /// Transfers whose socket was opened.
        public var transfersStarted = 0
        /// Transfers whose last block was acknowledged.
        public var transfersCompleted = 0
        /// Transfers that ended otherwise (timeout, peer ERROR, ICMP unreachable, socket failure).
        public var transfersFailed = 0
        /// Transfers ended by ICMP port unreachable (a subset of `transfersFailed`).
        public var peersUnreachable = 0
        /// Transfers (and lookups) holding a slot now.
        public var activeTransfers = 0
        /// Datagrams on the server port from sources not on the allow-list.
        public var sourcesNotAllowed = 0
        /// Socket errors the server port survived.
        public var socketErrors = 0

        public init() {}
    }

    private let configuration: Configuration
    private let fileProvider: any TFTPFileProvider
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>
    private let shared: TFTPListenerShared

    public init(
        configuration: Configuration,
        fileProvider: any TFTPFileProvider,
        group: any EventLoopGroup,
        logger: Logger
    ) {
        self.configuration = configuration
        self.fileProvider = fileProvider
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: Int.self)
        self.shared = TFTPListenerShared()
    }

    /// The port the listener is bound to, once it is; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    /// A snapshot of the counters.
    public func statistics() -> Statistics {
        self.shared.statistics.withLockedValue { $0 }
    }

    /// The drops and refusals as guard statistics, for `/metrics`.
    public func guardStatistics() -> GuardStatistics {
        let statistics = self.statistics()
        var rejections: [GuardRejectionReason: Int] = [:]
        rejections[.sourceNotAllowed] = statistics.sourcesNotAllowed
        rejections[.malformedDatagram] = statistics.junkDatagrams
        rejections[.datagramRateLimited] = statistics.rateLimited
        rejections[.transferSlotsFull] = statistics.busyDrops
        rejections[.perSourceTransferLimit] = statistics.perSourceDrops
        rejections[.stalledTransferEvicted] = statistics.transfersEvicted
        rejections[.socketError] = statistics.socketErrors
        return GuardStatistics(service: "tftp", rejections: rejections.filter { $0.value > 0 })
    }

    public func run() async throws {
        let serverChannel: any Channel
        do {
            serverChannel = try await self.bindWithFallback()
        } catch {
            self.bound.fail(error)
            throw error
        }
        let port = serverChannel.localAddress?.port ?? self.configuration.port
        self.bound.succeed(port)
        self.logger.info(
            "TFTP listening",
            metadata: ["tftp.host": "\(self.configuration.host)", "tftp.port": "\(port)"]
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
        // The server port is closed: end the transfers still running (phones retry) and wait for their sockets.
        let transfers = self.shared.transfers.withLockedValue { Array($0.values) }
        for transfer in transfers {
            transfer.close(promise: nil)
        }
        for transfer in transfers {
            try? await transfer.closeFuture.get()
        }
    }

    private func bindWithFallback() async throws -> any Channel {
        do {
            return try await self.bind(port: self.configuration.port)
        } catch let error as IOError {
            guard let fallbackPort = self.configuration.fallbackPort, fallbackPort != self.configuration.port,
                [EACCES, EPERM, EADDRINUSE].contains(error.errnoCode)
            else {
                self.logBindFailure(port: self.configuration.port, error: error)
                throw error
            }
            self.logger.info(
                "TFTP port unavailable, using the fallback port",
                metadata: [
                    "tftp.port": "\(self.configuration.port)", "tftp.fallbackPort": "\(fallbackPort)",
                    "error": "\(error)",
                ]
            )
            do {
                return try await self.bind(port: fallbackPort)
            } catch {
                self.logBindFailure(port: fallbackPort, error: error)
                throw error
            }
        } catch {
            self.logBindFailure(port: self.configuration.port, error: error)
            throw error
        }
    }

    private func logBindFailure(port: Int, error: any Error) {
        self.logger.error(
            "TFTP listener could not bind",
            metadata: ["tftp.host": "\(self.configuration.host)", "tftp.port": "\(port)", "error": "\(error)"]
        )
    }

    private func bind(port: Int) async throws -> any Channel {
        let configuration = self.configuration
        let fileProvider = self.fileProvider
        let logger = self.logger
        let shared = self.shared
        return try await DatagramBootstrap(group: self.group)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: TFTPListenerShared.receiveBufferSize)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TFTPServerHandler(
                            configuration: configuration,
                            fileProvider: fileProvider,
                            logger: logger,
                            shared: shared
                        )
                    )
                }
            }
            .bind(host: self.configuration.host, port: port)
            .get()
    }
}

/// State the listener shares with its handlers across threads: counters and the open transfer sockets.
final class TFTPListenerShared: Sendable {
    /// Datagrams are read into buffers of this size; anything longer is cut to it (and, on the server port, is junk
    /// anyway: a request has at most 512 bytes). Clients only send small ACKs on transfer sockets.
    static let receiveBufferSize = 2048

    let statistics = NIOLockedValueBox(TFTPListener.Statistics())
    let transfers = NIOLockedValueBox([UInt64: any Channel]())
}

/// The server port's handler: runs the policy, the lookups, and opens a socket per transfer.
final class TFTPServerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// How often drops are summarised in the log at most.
    private static let dropLogInterval = TimeAmount.seconds(10)

    private let configuration: TFTPListener.Configuration
    private let fileProvider: any TFTPFileProvider
    private let logger: Logger
    private let shared: TFTPListenerShared
    private var policy: TFTPServerPolicy<String>
    private var channel: (any Channel)?
    private var isClosed = false
    /// Transfers holding a policy slot: from the lookup's end until their socket closes.
    private var liveTransfers: Set<TFTPServerPolicy<String>.Slot> = []
    private var lastDropLog: NIODeadline?
    private var dropsSinceLog = 0

    init(
        configuration: TFTPListener.Configuration,
        fileProvider: any TFTPFileProvider,
        logger: Logger,
        shared: TFTPListenerShared
    ) {
        self.configuration = configuration
        self.fileProvider = fileProvider
        self.logger = logger
        self.shared = shared
        self.policy = TFTPServerPolicy(configuration: configuration.policy)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.channel = context.channel
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosed = true
        let transfers = self.shared.transfers.withLockedValue { Array($0.values) }
        for transfer in transfers {
            transfer.close(promise: nil)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        let now = NIODeadline.now()
        guard self.configuration.allowedNetworks.allows(SourceAddress(envelope.remoteAddress)) else {
            self.shared.statistics.withLockedValue {
                $0.datagramsReceived += 1
                $0.sourcesNotAllowed += 1
            }
            self.noteDrop(.notARequest, peer: envelope.remoteAddress, now: now)
            return
        }
        let source = envelope.remoteAddress.ipAddress ?? ""
        let decision = self.policy.datagramReceived(envelope.data, from: source, now: now)
        self.shared.statistics.withLockedValue { $0.datagramsReceived += 1 }
        switch decision {
        case .lookUp(let request, let slot, let evicted):
            if let evicted { self.evict(evicted) }
            self.updateActive()
            self.lookUp(request, slot: slot, peer: envelope.remoteAddress, eventLoop: context.eventLoop)
        case .reject(let packet, let reason):
            self.count(reason)
            self.logger.debug(
                "TFTP request refused",
                metadata: ["tftp.peer": "\(envelope.remoteAddress)", "tftp.reason": "\(reason)"]
            )
            self.send(packet, to: envelope.remoteAddress)
        case .drop(let reason):
            self.count(reason)
            self.noteDrop(reason, peer: envelope.remoteAddress, now: now)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors for ERRORs sent from the server port surface here; they concern one peer, not the port.
        self.shared.statistics.withLockedValue { $0.socketErrors += 1 }
        self.logger.debug("TFTP server port error", metadata: ["error": "\(error)"])
    }

    /// Ends a stalled transfer whose slot the policy gave to a new request; the policy has released the slot.
    private func evict(_ slot: TFTPServerPolicy<String>.Slot) {
        self.shared.statistics.withLockedValue { $0.transfersEvicted += 1 }
        guard self.liveTransfers.remove(slot) != nil else { return }
        let channel = self.shared.transfers.withLockedValue { $0.removeValue(forKey: slot.rawValue) }
        self.shared.statistics.withLockedValue { $0.transfersFailed += 1 }
        channel?.close(promise: nil)
    }

    private func lookUp(
        _ request: TFTPRequest,
        slot: TFTPServerPolicy<String>.Slot,
        peer: SocketAddress,
        eventLoop: any EventLoop
    ) {
        let fileProvider = self.fileProvider
        let promise = eventLoop.makePromise(of: ByteBuffer?.self)
        promise.completeWithTask {
            try await fileProvider.contents(ofFile: request.filename)
        }
        let timeout = eventLoop.assumeIsolated().scheduleTask(in: self.configuration.lookupTimeout) {
            promise.fail(TFTPLookupTimeout())
        }
        promise.futureResult.assumeIsolated().whenComplete { result in
            timeout.cancel()
            self.lookupCompleted(request, slot: slot, peer: peer, result: result, eventLoop: eventLoop)
        }
    }

    private func lookupCompleted(
        _ request: TFTPRequest,
        slot: TFTPServerPolicy<String>.Slot,
        peer: SocketAddress,
        result: Result<ByteBuffer?, any Error>,
        eventLoop: any EventLoop
    ) {
        let lookup: TFTPServerPolicy<String>.LookupResult
        var file = ByteBuffer()
        switch result {
        case .success(.some(let contents)):
            lookup = .found
            file = contents
        case .success(.none):
            lookup = .notFound
        case .failure(let error):
            lookup = .failed
            self.logger.info(
                "TFTP file lookup failed",
                metadata: ["tftp.file": "\(request.filename)", "tftp.peer": "\(peer)", "error": "\(error)"]
            )
        }
        switch self.policy.lookupCompleted(slot, lookup) {
        case .reject(let packet, let reason):
            self.updateActive()
            self.count(reason)
            self.send(packet, to: peer)
        case .startTransfer:
            guard !self.isClosed else {
                self.policy.transferEnded(slot)
                self.updateActive()
                return
            }
            if request.mode == .netascii {
                file = TFTPNetASCII.encode(file)
            }
            self.openTransfer(request, slot: slot, file: file, peer: peer, eventLoop: eventLoop)
        }
    }

    private func openTransfer(
        _ request: TFTPRequest,
        slot id: TFTPServerPolicy<String>.Slot,
        file: ByteBuffer,
        peer: SocketAddress,
        eventLoop: any EventLoop
    ) {
        self.liveTransfers.insert(id)
        self.shared.statistics.withLockedValue { $0.transfersStarted += 1 }
        self.logger.debug(
            "TFTP transfer starting",
            metadata: [
                "tftp.file": "\(request.filename)", "tftp.peer": "\(peer)", "tftp.bytes": "\(file.readableBytes)",
            ]
        )
        let handler = TFTPTransferHandler(
            machine: TFTPTransferStateMachine(request: request, file: file, configuration: self.configuration.transfer),
            maximumDuration: self.configuration.maximumTransferDuration,
            onStallChanged: { [self] isStalled in self.stallChanged(id, isStalled: isStalled) },
            onEnd: { [self] outcome in self.transferEnded(id, outcome: outcome) }
        )
        let boundHandler = NIOLoopBound(handler, eventLoop: eventLoop)
        let shared = self.shared
        DatagramBootstrap(group: eventLoop)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: TFTPListenerShared.receiveBufferSize)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(boundHandler.value)
                }
            }
            .connect(to: peer)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard self.liveTransfers.contains(id) else {
                        // Evicted (or the listener closed) while the socket was being opened.
                        channel.close(promise: nil)
                        return
                    }
                    shared.transfers.withLockedValue { $0[id.rawValue] = channel }
                    if self.isClosed { channel.close(promise: nil) }
                case .failure(let error):
                    self.logger.info(
                        "TFTP transfer socket failed",
                        metadata: ["tftp.peer": "\(peer)", "error": "\(error)"]
                    )
                    self.transferEnded(id, outcome: nil)
                }
            }
    }

    /// The transfer's packet in flight went unanswered past its timeout (`isStalled`), or was acknowledged.
    private func stallChanged(_ id: TFTPServerPolicy<String>.Slot, isStalled: Bool) {
        if isStalled {
            self.policy.transferStalled(id, now: .now())
        } else {
            self.policy.transferProgressed(id)
        }
    }

    /// Called once or more per transfer (socket closed, or it never opened); releases the slot once.
    private func transferEnded(_ id: TFTPServerPolicy<String>.Slot, outcome: TFTPTransferOutcome?) {
        guard self.liveTransfers.remove(id) != nil else { return }
        self.shared.transfers.withLockedValue { _ = $0.removeValue(forKey: id.rawValue) }
        self.policy.transferEnded(id)
        self.shared.statistics.withLockedValue { statistics in
            statistics.activeTransfers = self.policy.activeTransfers
            switch outcome {
            case .completed:
                statistics.transfersCompleted += 1
            case .peerUnreachable:
                statistics.transfersFailed += 1
                statistics.peersUnreachable += 1
            case .timedOut, .deadlineExceeded, .abortedByPeer, .illegalPacket, .none:
                statistics.transfersFailed += 1
            }
        }
    }

    private func send(_ packet: TFTPPacket, to peer: SocketAddress) {
        guard let channel = self.channel, !self.isClosed else { return }
        var buffer = channel.allocator.buffer(capacity: 64)
        buffer.writeTFTPPacket(packet)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: peer, data: buffer), promise: nil)
    }

    private func updateActive() {
        let active = self.policy.activeTransfers
        self.shared.statistics.withLockedValue { $0.activeTransfers = active }
    }

    private func count(_ reason: TFTPServerPolicy<String>.Reason) {
        self.shared.statistics.withLockedValue { statistics in
            switch reason {
            case .malformed, .notARequest: statistics.junkDatagrams += 1
            case .rateLimited: statistics.rateLimited += 1
            case .writeRequest: statistics.writeRequestsRefused += 1
            case .unsupportedMode, .unsafeFilename: statistics.requestsRefused += 1
            case .tooManyTransfers: statistics.busyDrops += 1
            case .tooManyTransfersFromSource: statistics.perSourceDrops += 1
            case .fileNotFound: statistics.filesNotFound += 1
            case .lookupFailed: statistics.lookupFailures += 1
            }
        }
    }

    /// Drops are logged as one summary per interval, never one line per datagram.
    private func noteDrop(_ reason: TFTPServerPolicy<String>.Reason, peer: SocketAddress, now: NIODeadline) {
        self.dropsSinceLog += 1
        if let last = self.lastDropLog, now - last < Self.dropLogInterval { return }
        self.lastDropLog = now
        let statistics = self.shared.statistics.withLockedValue { $0 }
        self.logger.info(
            "TFTP datagrams dropped",
            metadata: [
                "tftp.dropped": "\(self.dropsSinceLog)", "tftp.lastReason": "\(reason)", "tftp.lastPeer": "\(peer)",
                "tftp.junk": "\(statistics.junkDatagrams)", "tftp.rateLimited": "\(statistics.rateLimited)",
                "tftp.busy": "\(statistics.busyDrops)",
            ]
        )
        self.dropsSinceLog = 0
    }
}

@available(*, unavailable)
extension TFTPServerHandler: Sendable {}

/// The provider did not answer within `TFTPListener.Configuration.lookupTimeout`.
struct TFTPLookupTimeout: Error, CustomStringConvertible {
    var description: String { "file lookup timed out" }
}

/// One transfer socket's handler: feeds the state machine and carries out its actions.
final class TFTPTransferHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = ByteBuffer

    private var machine: TFTPTransferStateMachine
    private let maximumDuration: TimeAmount
    private let onStallChanged: (Bool) -> Void
    private let onEnd: (TFTPTransferOutcome?) -> Void
    /// What `onStallChanged` was last told.
    private var reportedStalled = false
    private var retransmitTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?
    private var ended = false

    init(
        machine: TFTPTransferStateMachine,
        maximumDuration: TimeAmount,
        onStallChanged: @escaping (Bool) -> Void = { _ in },
        onEnd: @escaping (TFTPTransferOutcome?) -> Void
    ) {
        self.machine = machine
        self.maximumDuration = maximumDuration
        self.onStallChanged = onStallChanged
        self.onEnd = onEnd
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBoundContext = context.loopBound
        self.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.maximumDuration) {
            let context = loopBoundContext.value
            self.run(self.machine.transferDeadlineReached(), context: context)
        }
        self.run(self.machine.start(now: .now()), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(decoding: envelope.data)
        } catch {
            self.run(
                .sendErrorAndClose(.error(.illegalOperation, message: "malformed packet"), .illegalPacket),
                context: context
            )
            return
        }
        self.run(self.machine.packetReceived(packet, now: .now()), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // On a connected UDP socket, the peer's ICMP port unreachable comes back as ECONNREFUSED: that transfer is
        // over, the server is not.
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            self.run(self.machine.peerUnreachable(), context: context)
        } else {
            self.run(.close(.illegalPacket), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.end()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.end()
    }

    private func run(_ action: TFTPTransferStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let packet, let deadline):
            self.write(packet, context: context)
            self.retransmitTimer?.cancel()
            let loopBoundContext = context.loopBound
            self.retransmitTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                let context = loopBoundContext.value
                self.run(self.machine.retransmitTimerFired(now: .now()), context: context)
            }
        case .sendErrorAndClose(let packet, _):
            self.cancelTimers()
            let channel = context.channel
            self.write(packet, context: context).whenComplete { _ in channel.close(promise: nil) }
        case .close:
            self.cancelTimers()
            context.close(promise: nil)
        case .none:
            break
        }
        if !self.ended, self.machine.isStalled != self.reportedStalled {
            self.reportedStalled = self.machine.isStalled
            self.onStallChanged(self.reportedStalled)
        }
    }

    @discardableResult
    private func write(_ packet: TFTPPacket, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        var buffer = context.channel.allocator.buffer(capacity: 4 + self.machine.options.blockSize)
        buffer.writeTFTPPacket(packet)
        return context.writeAndFlush(self.wrapOutboundOut(buffer))
    }

    private func cancelTimers() {
        self.retransmitTimer?.cancel()
        self.retransmitTimer = nil
        self.deadlineTimer?.cancel()
        self.deadlineTimer = nil
    }

    private func end() {
        guard !self.ended else { return }
        self.ended = true
        self.cancelTimers()
        self.onEnd(self.machine.outcome)
    }
}

@available(*, unavailable)
extension TFTPTransferHandler: Sendable {}
