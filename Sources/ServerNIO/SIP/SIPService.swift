import CallControl
public import CallRuntime
public import Foundation
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix
import NIOSSL
public import SIPSession
import SIPWire
public import ServiceLifecycle

/// Strowger's SIP ports (issue 15): UDP and TCP on one port (5060), TLS on another (5061), and the
/// ``SIPEndpoint`` that runs the trunks behind them, as one `Service`. With a call runtime, each trunk is an
/// endpoint of calls: its ``SIPTrunkSession`` claims it and carries the core's commands to the endpoint's calls.
///
/// The sockets are thin: every datagram passes ``SIPDatagramAdmission`` (allow-list, size, per-source rate and
/// ban) before a byte is parsed; every TCP/TLS connection passes the listener guard at accept (caps, connection
/// rate, ban) and gets the framing decoder with the message-size cap, a message ceiling and an idle deadline. What
/// parses goes to the endpoint, which runs on one event loop (the "core" loop) with no locks; what it answers goes
/// back out through the same sockets, or through connections this side opens to TCP/TLS trunks. Malformed
/// messages are answered 400 where a reply is possible and otherwise dropped; both are counted in `/metrics`.
public final class SIPService: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// UDP and TCP; 0 picks a free port (the same number for both).
        public var port: Int
        /// TLS; nil: no TLS listener. 0 picks a free port.
        public var tlsPort: Int?
        /// The address peers reach this server at (Via and Contact headers): never a wildcard.
        public var advertisedHost: String
        public var guards: SIPGuardConfiguration
        public var endpoint: SIPEndpoint.Settings
        public var userAgent: String

        public init(
            host: String,
            port: Int = 5060,
            tlsPort: Int? = 5061,
            advertisedHost: String,
            guards: SIPGuardConfiguration = SIPGuardConfiguration(),
            endpoint: SIPEndpoint.Settings = SIPEndpoint.Settings(),
            userAgent: String = "Strowger"
        ) {
            self.host = host
            self.port = port
            self.tlsPort = tlsPort
            self.advertisedHost = advertisedHost
            self.guards = guards
            self.endpoint = endpoint
            self.userAgent = userAgent
        }
    }

    /// The ports bound.
    public struct BoundPorts: Hashable, Sendable {
        public var port: Int
        public var tlsPort: Int?
    }

    /// A trunk's state with wall-clock times, for the admin API.
    public struct TrunkReport: Hashable, Sendable {
        public var name: String
        public var status: SIPTrunkStatus
        public var lastCheck: Date?
        public var since: Date?
        /// Registered until, or the next registration attempt after a failure.
        public var registrationTime: Date?
        /// Calls on the trunk now (set up, in progress or ending).
        public var activeCalls: Int
    }

    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let loop: any EventLoop
    private let logger: Logger
    private let tls: TLSChannelDecorator?
    private let bound: EventLoopPromise<BoundPorts>
    let shared: SIPShared
    private let core: NIOLoopBoundBox<SIPCore>

    /// - Parameters:
    ///   - tls: the TLS layer of port 5061 (Strowger's server certificate); nil with no TLS listener.
    ///   - host: the call runtime the trunks' calls are connected through; nil refuses calls (503).
    public init(
        configuration: Configuration,
        group: any EventLoopGroup,
        logger: Logger,
        tls: TLSChannelDecorator?,
        host: CallControlHost? = nil
    ) {
        self.configuration = configuration
        self.group = group
        self.loop = group.next()
        self.logger = logger
        self.tls = tls
        self.bound = loop.makePromise(of: BoundPorts.self)
        let shared = SIPShared(logger: logger, guards: configuration.guards)
        self.shared = shared
        self.core = NIOLoopBoundBox.makeBoxSendingValue(
            SIPCore(configuration: configuration, loop: loop, shared: shared, host: host, logger: logger),
            as: SIPCore.self,
            eventLoop: loop
        )
    }

    public func boundPorts() async throws -> BoundPorts {
        try await bound.futureResult.get()
    }

    /// The trunks to run. Host names are resolved here (off the event loops); a trunk whose host does not resolve
    /// still runs (its requests fail and it shows down) and is resolved again at the next update.
    public func updateTrunks(_ trunks: [SIPTrunkConfiguration]) async {
        var addresses: [String: Set<String>] = [:]
        var resolved: [String: [SocketAddress]] = [:]
        for trunk in trunks {
            let found = await Self.resolve(trunk.host, port: trunk.port)
            resolved[trunk.host.lowercased()] = found
            addresses[trunk.name] = Set(found.map { SourceAddress($0).description })
        }
        let core = self.core
        let trunkAddresses = addresses
        let resolvedHosts = resolved
        try? await loop.submit {
            core.value.apply(trunks, addresses: trunkAddresses, resolved: resolvedHosts)
        }.get()
    }

    /// Each trunk's state now.
    public func trunkReports() -> [TrunkReport] {
        shared.trunkReports()
    }

    /// The guard counts of the three listeners: `sip-udp`, `sip-tcp`, `sips`.
    public func guardStatistics() -> [GuardStatistics] {
        shared.guardStatistics()
    }

    /// Requests refused by policy since start, by reason.
    public func refusals() -> [SIPEndpoint.Refusal: Int] {
        shared.refusals.withLockedValue { $0 }
    }

    /// DTMF digits relayed out of band since start: sent as SIP INFO for a phone's keys, and received by INFO from
    /// the far end (played to the phone).
    public func dtmfCounts() -> (sent: Int, received: Int) {
        shared.dtmf.withLockedValue { $0 }
    }

    public func run() async throws {
        let ports: BoundPorts
        var channels: [any Channel] = []
        do {
            let core = self.core
            let handle = SIPCoreHandle(core: core, loop: loop)
            try await loop.submit { core.value.handle = handle }.get()
            let (udp, port, tcp) = try await bindUDPAndTCP()
            channels.append(udp)
            channels.append(tcp)
            var tlsPort: Int?
            if let requested = configuration.tlsPort, tls != nil {
                let channel = try await bindStream(port: requested, transport: .tls, listenerGuard: shared.tlsGuard)
                channels.append(channel)
                tlsPort = channel.localAddress?.port
            }
            ports = BoundPorts(port: port, tlsPort: tlsPort)
            try await loop.submit { core.value.started(udp: udp, ports: ports) }.get()
        } catch {
            // A port in use costs the server its SIP side, not its phones: the rest keeps running (the banner and
            // this error say so) until shutdown.
            for channel in channels { channel.close(promise: nil) }
            bound.fail(error)
            logger.error(
                "SIP listener could not bind; running without SIP",
                metadata: ["sip.port": "\(configuration.port)", "error": "\(error)"]
            )
            try? await gracefulShutdown()
            return
        }
        bound.succeed(ports)
        logger.info(
            "SIP listening",
            metadata: [
                "sip.host": "\(configuration.host)", "sip.port": "\(ports.port)",
                "sip.tlsPort": "\(ports.tlsPort.map(String.init) ?? "-")",
            ]
        )
        let core = self.core
        let loop = self.loop
        let listening = channels
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                for channel in listening { try? await channel.closeFuture.get() }
            } onCancel: {
                for channel in listening { channel.close(promise: nil) }
            }
        } onGracefulShutdown: {
            for channel in listening { channel.close(promise: nil) }
        }
        try? await loop.submit { core.value.stop() }.get()
    }

    /// UDP and TCP on the same port. With port 0 the UDP socket picks one and TCP follows; when another program
    /// holds that number for TCP, both are tried again on a new one (a few times).
    private func bindUDPAndTCP() async throws -> (any Channel, Int, any Channel) {
        var attempt = 0
        while true {
            attempt += 1
            let (udp, port) = try await bindUDP()
            do {
                let tcp = try await bindStream(port: port, transport: .tcp, listenerGuard: shared.tcpGuard)
                return (udp, port, tcp)
            } catch {
                try? await udp.close()
                guard configuration.port == 0, attempt < 8 else { throw error }
            }
        }
    }

    private func bindUDP() async throws -> (any Channel, Int) {
        let core = self.core
        let guards = configuration.guards
        let channel = try await DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: guards.receiveBufferSize))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SIPDatagramHandler(core: core))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        return (channel, channel.localAddress?.port ?? configuration.port)
    }

    private func bindStream(
        port: Int,
        transport: SIPTransport,
        listenerGuard: ListenerGuard
    ) async throws -> any Channel {
        let handle = SIPCoreHandle(core: core, loop: loop)
        let guards = configuration.guards
        let shared = self.shared
        let tls = transport == .tls ? self.tls : nil
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionAdmissionHandler(listenerGuard: listenerGuard)
                    )
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(
                .writeBufferWaterMark,
                value: ChannelOptions.Types.WriteBufferWaterMark(low: 32 * 1024, high: 256 * 1024)
            )
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try SIPStreamHandler.addHandlers(
                        to: channel,
                        transport: transport,
                        guards: guards,
                        handle: handle,
                        listenerGuard: listenerGuard,
                        isTrunkSource: { shared.isTrunkSource($0) }
                    )
                    try tls?.addTLSHandlers(to: channel)
                }
            }
            .bind(host: configuration.host, port: port)
            .get()
    }

    /// Resolves a host name (or parses an address literal) off the event loops; empty when it does not resolve.
    static func resolve(_ host: String, port: Int) async -> [SocketAddress] {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return [literal] }
        return await withCheckedContinuation { continuation in
            // Its own serial queue: a thread of its own, not one of the cooperative pool's (blocking work).
            DispatchQueue(label: "strowger.blocking").async {
                let address = try? SocketAddress.makeAddressResolvingHost(host, port: port)
                continuation.resume(returning: address.map { [$0] } ?? [])
            }
        }
    }
}

/// What the listeners share across threads: the guards' counters and the trunk states, each behind a lock, read
/// by the admin API and written by the core.
final class SIPShared: Sendable {
    let udpLog: RejectionLog
    let tcpGuard: ListenerGuard
    let tlsGuard: ListenerGuard
    let udpAdmission: NIOLockedValueBox<SIPDatagramAdmission>
    let refusals = NIOLockedValueBox([SIPEndpoint.Refusal: Int]())
    /// Out-of-band DTMF digits sent (INFO) and received (INFO from a far end).
    let dtmf = NIOLockedValueBox((sent: 0, received: 0))
    private let statuses = NIOLockedValueBox([String: SIPTrunkStatus]())
    private let callCounts = NIOLockedValueBox([String: Int]())
    private let trunkSources = NIOLockedValueBox(Set<SourceAddress>())
    private let origin = NIOLockedValueBox<(NIODeadline, Date)?>(nil)

    init(logger: Logger, guards: SIPGuardConfiguration) {
        self.udpLog = RejectionLog(service: "sip-udp", logger: logger)
        self.tcpGuard = ListenerGuard(service: "sip-tcp", configuration: guards.connections, logger: logger)
        self.tlsGuard = ListenerGuard(service: "sips", configuration: guards.connections, logger: logger)
        self.udpAdmission = NIOLockedValueBox(SIPDatagramAdmission(configuration: guards))
    }

    func setOrigin(_ deadline: NIODeadline) {
        origin.withLockedValue { $0 = (deadline, Date()) }
    }

    func setStatus(_ name: String, _ status: SIPTrunkStatus?) {
        statuses.withLockedValue { $0[name] = status }
    }

    func removeStatuses(except names: Set<String>) {
        statuses.withLockedValue { $0 = $0.filter { names.contains($0.key) } }
    }

    func setCallCounts(_ counts: [String: Int]) {
        callCounts.withLockedValue { $0 = counts }
    }

    /// The trunks' addresses: their datagrams and connections get the trunk rates.
    func setTrunkSources(_ sources: Set<SourceAddress>) {
        trunkSources.withLockedValue { $0 = sources }
    }

    func isTrunkSource(_ source: SourceAddress) -> Bool {
        trunkSources.withLockedValue { $0.contains(source) }
    }

    func trunkReports() -> [SIPService.TrunkReport] {
        let all = statuses.withLockedValue { $0 }
        let counts = callCounts.withLockedValue { $0 }
        // The core's instants count from its origin deadline, taken together with this wall-clock date.
        guard let originDate = origin.withLockedValue({ $0?.1 }) else { return [] }
        func date(_ instant: SIPInstant?) -> Date? {
            guard let instant else { return nil }
            return originDate.addingTimeInterval(Double(instant.nanoseconds) / 1_000_000_000)
        }
        return all.keys.sorted().compactMap { name in
            guard let status = all[name] else { return nil }
            var registrationTime: Date?
            switch status.registration {
            case .registered(let until): registrationTime = date(until)
            case .failed(_, _, let retryAt): registrationTime = date(retryAt)
            case .disabled, .registering: registrationTime = nil
            }
            return SIPService.TrunkReport(
                name: name,
                status: status,
                lastCheck: date(status.lastCheck),
                since: date(status.since),
                registrationTime: registrationTime,
                activeCalls: counts[name, default: 0]
            )
        }
    }

    func guardStatistics() -> [GuardStatistics] {
        let now = NIODeadline.now()
        let banned = udpAdmission.withLockedValue { $0.bannedSources(now: now) }
        return [
            GuardStatistics(service: "sip-udp", rejections: udpLog.counters.snapshot(), bannedSources: banned),
            tcpGuard.statistics(),
            tlsGuard.statistics(),
        ]
    }
}

/// A `Sendable` way for handlers on other event loops to reach the core: every call hops to its loop.
struct SIPCoreHandle: Sendable {
    let core: NIOLoopBoundBox<SIPCore>
    let loop: any EventLoop

    func received(_ message: SIPMessage, from peer: SIPPeer) {
        let core = self.core
        loop.execute { core.value.received(message, from: peer) }
    }

    func malformed(_ error: SIPParseError, from peer: SIPPeer) {
        let core = self.core
        loop.execute { core.value.malformed(error, from: peer) }
    }

    func connectionOpened(_ peer: SIPPeer, _ channel: any Channel) {
        let core = self.core
        loop.execute { core.value.connectionOpened(peer, channel) }
    }

    func connectionClosed(_ peer: SIPPeer, _ channel: any Channel) {
        let core = self.core
        loop.execute { core.value.connectionClosed(peer, channel) }
    }

    func trunkCommands(_ commands: [CallCommand], from session: SIPTrunkSession) {
        let core = self.core
        loop.execute { core.value.trunkCommands(commands, from: session) }
    }

    func trunkSessionClosed(_ session: SIPTrunkSession) {
        let core = self.core
        loop.execute { core.value.trunkSessionClosed(session) }
    }
}
