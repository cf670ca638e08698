import CallControl
import CallRuntime
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import SIPSession
import SIPWire

/// The SIP side's state, confined to the core event loop (reached through `NIOLoopBound`): the endpoint machine,
/// its timers, the UDP socket and the stream connections by peer. `run(_:)` is the only code that writes,
/// schedules or connects.
final class SIPCore {
    /// Messages held for one outbound connection while it is being opened; past it they fail at once.
    static let maximumPendingMessages = 64
    /// How long opening a TCP or TLS connection to a trunk may take.
    static let connectTimeout = TimeAmount.seconds(5)

    private struct ConnectionKey: Hashable {
        var transport: SIPTransport
        var host: String
        var port: Int

        init(_ peer: SIPPeer) {
            transport = peer.transport
            host = peer.host.lowercased()
            port = peer.port
        }
    }

    private let configuration: SIPService.Configuration
    private let loop: any EventLoop
    private let shared: SIPShared
    private let logger: Logger
    private var endpoint: SIPEndpoint
    private let origin = NIODeadline.now()
    private var timers: [SIPEndpoint.Timer: Scheduled<Void>] = [:]
    private var udp: (any Channel)?
    private var connections: [ConnectionKey: any Channel] = [:]
    private var connecting: [ConnectionKey: [SIPMessage]] = [:]
    private var resolved: [String: [SocketAddress]] = [:]
    private var isStopped = false
    /// How handlers reach this core; set by the service before it binds, dropped at stop (it refers back here).
    var handle: SIPCoreHandle?
    /// The call runtime the trunks' calls are reported to; nil: calls are refused (503).
    private let host: CallControlHost?
    /// Each attached trunk's session, by trunk name: what the runtime delivers the trunk's commands through.
    private var sessions: [String: SIPTrunkSession] = [:]
    /// The call counts last published to ``SIPShared``.
    private var publishedCallCounts: [String: Int] = [:]
    private lazy var clientTLS: NIOSSLContext? = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        return try? NIOSSLContext(configuration: tls)
    }()

    init(
        configuration: SIPService.Configuration,
        loop: any EventLoop,
        shared: SIPShared,
        host: CallControlHost?,
        logger: Logger
    ) {
        self.configuration = configuration
        self.loop = loop
        self.shared = shared
        self.host = host
        self.logger = logger
        self.endpoint = SIPEndpoint(
            settings: Self.endpointSettings(configuration, host: host),
            local: SIPLocalIdentity(host: configuration.advertisedHost, ports: [:], userAgent: configuration.userAgent)
        )
        shared.setOrigin(origin)
    }

    /// The endpoint's settings: calls are connected when there is a call runtime to connect them to.
    private static func endpointSettings(
        _ configuration: SIPService.Configuration,
        host: CallControlHost?
    )
        -> SIPEndpoint.Settings
    {
        var settings = configuration.endpoint
        settings.connectsCalls = host != nil
        return settings
    }

    /// This core, for closures that run later on its loop.
    private var bound: NIOLoopBound<SIPCore> { NIOLoopBound(self, eventLoop: loop) }

    private var now: SIPInstant {
        SIPInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds) - Int64(origin.uptimeNanoseconds))
    }

    // MARK: - Inputs

    func started(udp: any Channel, ports: SIPService.BoundPorts) {
        self.udp = udp
        var portMap: [SIPTransport: Int] = [.udp: ports.port, .tcp: ports.port]
        if let tls = ports.tlsPort { portMap[.tls] = tls }
        endpoint = SIPEndpoint(
            settings: Self.endpointSettings(configuration, host: host),
            local: SIPLocalIdentity(
                host: configuration.advertisedHost,
                ports: portMap,
                userAgent: configuration.userAgent
            )
        )
    }

    func apply(_ trunks: [SIPTrunkConfiguration], addresses: [String: Set<String>], resolved: [String: [SocketAddress]])
    {
        guard !isStopped else { return }
        self.resolved = resolved
        shared.removeStatuses(except: Set(trunks.map(\.name)))
        let trunkSources = Set(addresses.values.flatMap { $0 }.compactMap { SourceAddress(parsing: $0) })
        shared.udpAdmission.withLockedValue { $0.trunkSources = trunkSources }
        shared.setTrunkSources(trunkSources)
        run(endpoint.trunksChanged(trunks, addresses: addresses, now: now))
    }

    /// A datagram on the UDP socket (on this loop: the socket is bound to it).
    func datagramReceived(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let source = SourceAddress(envelope.remoteAddress)
        let decision = shared.udpAdmission.withLockedValue {
            $0.datagramReceived(from: source, size: envelope.data.readableBytes, now: .now())
        }
        if case .drop(let reason) = decision {
            shared.udpLog.reject(reason, source: source)
            return
        }
        // A datagram of line breaks is a NAT keepalive (or padding): nothing to answer, nothing wrong.
        if envelope.data.readableBytesView.allSatisfy({ $0 == 13 || $0 == 10 }) { return }
        let peer = SIPPeer(transport: .udp, host: source.description, port: envelope.remoteAddress.port ?? 5060)
        do throws(SIPParseError) {
            let message = try SIPMessage(
                parsing: envelope.data.readableBytesView,
                maximumSize: configuration.guards.maximumMessageSize
            )
            received(message, from: peer)
        } catch {
            malformed(error, from: peer)
        }
    }

    func received(_ message: SIPMessage, from peer: SIPPeer) {
        guard !isStopped else { return }
        run(endpoint.received(message, from: peer, now: now))
    }

    func malformed(_ error: SIPParseError, from peer: SIPPeer) {
        guard !isStopped else { return }
        run(endpoint.malformedReceived(error, from: peer, now: now))
    }

    func socketError() {
        shared.udpLog.reject(.socketError, source: .unknown)
    }

    func connectionOpened(_ peer: SIPPeer, _ channel: any Channel) {
        connections[ConnectionKey(peer)] = channel
    }

    func connectionClosed(_ peer: SIPPeer, _ channel: any Channel) {
        let key = ConnectionKey(peer)
        if let current = connections[key], current === channel { connections[key] = nil }
    }

    /// The runtime's commands for a trunk's calls, from its session.
    func trunkCommands(_ commands: [CallCommand], from session: SIPTrunkSession) {
        guard !isStopped, sessions[session.trunk] === session else { return }
        if commands.contains(.trunkAttachRefused(TrunkName(session.trunk))) {
            // Only this service attaches trunks, once each: a refusal means two services run the same trunk.
            logger.error("SIP trunk refused by the call runtime", metadata: ["sip.trunk": "\(session.trunk)"])
            sessions[session.trunk] = nil
            return
        }
        let digits = commands.filter { if case .trunk(_, _, .sendDigit) = $0 { true } else { false } }.count
        if digits > 0 { shared.dtmf.withLockedValue { $0.sent += digits } }
        run(endpoint.callCommands(commands, now: now))
    }

    /// The runtime closed a trunk's session (it let go of the trunk, and ended its calls in the core).
    func trunkSessionClosed(_ session: SIPTrunkSession) {
        guard sessions[session.trunk] === session else { return }
        sessions[session.trunk] = nil
    }

    func stop() {
        // The trunks' calls end on the SIP side (BYE, CANCEL, a final response) and in the core before the sockets
        // close.
        if !isStopped { run(endpoint.shutDown(now: now)) }
        isStopped = true
        for timer in timers.values { timer.cancel() }
        timers = [:]
        for channel in connections.values { channel.close(promise: nil) }
        connections = [:]
        connecting = [:]
        handle = nil
    }

    private func fire(_ timer: SIPEndpoint.Timer) {
        timers[timer] = nil
        guard !isStopped else { return }
        run(endpoint.timerFired(timer, now: now))
    }

    // MARK: - Actions

    private func run(_ actions: [SIPEndpoint.Action]) {
        for action in actions {
            switch action {
            case .send(let message, let peer):
                send(message, to: peer)
            case .schedule(let timer, let instant):
                timers[timer]?.cancel()
                let deadline = NIODeadline.uptimeNanoseconds(
                    origin.uptimeNanoseconds + UInt64(max(0, instant.nanoseconds))
                )
                let bound = self.bound
                timers[timer] = loop.scheduleTask(deadline: deadline) { bound.value.fire(timer) }
            case .trunkStatusChanged(let name, let status):
                shared.setStatus(name, status)
            case .refused(let refusal, let method, let peer):
                shared.refusals.withLockedValue { $0[refusal, default: 0] += 1 }
                switch refusal {
                case .notATrunk, .authenticationFailed:
                    // Refused for who sent it: the guards' allow-list reason, beside the SIP reason.
                    count(.sourceNotAllowed, peer)
                case .overloaded, .callLimit:
                    // Refused for the load it would add, from a trunk as much as anyone: the SIP reason only.
                    break
                }
                logger.debug(
                    "SIP request refused",
                    metadata: ["sip.reason": "\(refusal.rawValue)", "sip.method": "\(method)", "sip.peer": "\(peer)"]
                )
            case .malformed(let error, let peer):
                count(peer.transport == .udp ? .malformedDatagram : .malformedMessage, peer)
                logger.debug("SIP message malformed", metadata: ["sip.error": "\(error)", "sip.peer": "\(peer)"])
            case .callEvent(let event):
                if case .trunkDigitStarted(let trunk, _, let key) = event {
                    shared.dtmf.withLockedValue { $0.received += 1 }
                    logger.debug("SIP DTMF received", metadata: ["sip.trunk": "\(trunk)", "sip.dtmf": "\(key)"])
                }
                report(event)
            }
        }
        let counts = endpoint.callCounts
        if counts != publishedCallCounts {
            publishedCallCounts = counts
            shared.setCallCounts(counts)
        }
    }

    /// Hands an event to the call runtime through its trunk's session: `trunkAttached` makes the session (it claims
    /// the trunk), `trunkDetached` ends it.
    private func report(_ event: CallEvent) {
        guard let host, let handle else { return }
        switch event.origin {
        case .claim(.trunk(let name)):
            let session = SIPTrunkSession(trunk: name.rawValue, handle: handle)
            sessions[name.rawValue] = session
            host.submit(event, from: session)
        case .release(.trunk(let name)):
            guard let session = sessions.removeValue(forKey: name.rawValue) else { return }
            host.submit(event, from: session)
        case .owner(.trunk(let name)):
            guard let session = sessions[name.rawValue] else { return }
            host.submit(event, from: session)
        case .claim(.device), .release(.device), .owner(.device), .claim(.mediaServer), .release(.mediaServer),
            .owner(.mediaServer), .runtime:
            return
        }
    }

    private func count(_ reason: GuardRejectionReason, _ peer: SIPPeer) {
        let source = SourceAddress(parsing: peer.host) ?? .unknown
        switch peer.transport {
        case .udp: shared.udpLog.reject(reason, source: source)
        case .tcp: shared.tcpGuard.reject(reason, source: source)
        case .tls: shared.tlsGuard.reject(reason, source: source)
        }
    }

    private func send(_ message: SIPMessage, to peer: SIPPeer) {
        let bytes = ByteBuffer(bytes: message.serialized())
        switch peer.transport {
        case .udp:
            guard let udp, let address = socketAddress(peer) else {
                sendFailed(message)
                return
            }
            let bound = self.bound
            udp.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: bytes)).whenFailure { _ in
                bound.value.sendFailed(message)
            }
        case .tcp, .tls:
            let key = ConnectionKey(peer)
            if let channel = connections[key] {
                guard channel.isWritable else {
                    // The peer stopped reading: drop the connection rather than buffer without bound.
                    channel.close(promise: nil)
                    sendFailed(message)
                    return
                }
                let bound = self.bound
                channel.writeAndFlush(bytes).whenFailure { _ in bound.value.sendFailed(message) }
                return
            }
            if case .response = message {
                // A response goes back on the connection its request came on (RFC 3261 §18.2.2); if that closed,
                // it is dropped rather than making this side connect to a peer's ephemeral port.
                return
            }
            if var pending = connecting[key] {
                guard pending.count < Self.maximumPendingMessages else {
                    sendFailed(message)
                    return
                }
                pending.append(message)
                connecting[key] = pending
                return
            }
            connecting[key] = [message]
            connect(key, peer)
        }
    }

    private func socketAddress(_ peer: SIPPeer) -> SocketAddress? {
        if let literal = try? SocketAddress(ipAddress: peer.host, port: peer.port) { return literal }
        guard let address = resolved[peer.host.lowercased()]?.first, let ip = address.ipAddress else { return nil }
        return try? SocketAddress(ipAddress: ip, port: peer.port)
    }

    /// Opens a connection to a trunk (TLS verifies the peer's certificate against the system's roots and its
    /// host name).
    private func connect(_ key: ConnectionKey, _ peer: SIPPeer) {
        guard let handle else {
            failConnecting(key)
            return
        }
        let guards = configuration.guards
        let shared = self.shared
        let listenerGuard = peer.transport == .tls ? shared.tlsGuard : shared.tcpGuard
        let tlsContext = peer.transport == .tls ? clientTLS : nil
        if peer.transport == .tls, tlsContext == nil {
            failConnecting(key)
            return
        }
        let target = socketAddress(peer)
        let hostname = peer.host
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(Self.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try SIPStreamHandler.addHandlers(
                        to: channel,
                        transport: peer.transport,
                        guards: guards,
                        handle: handle,
                        listenerGuard: listenerGuard,
                        isTrunkSource: { shared.isTrunkSource($0) },
                        peer: peer
                    )
                    if let tlsContext {
                        let isAddress = (try? SocketAddress(ipAddress: hostname, port: 0)) != nil
                        let handler = try NIOSSLClientHandler(
                            context: tlsContext,
                            serverHostname: isAddress ? nil : hostname
                        )
                        try channel.pipeline.syncOperations.addHandler(handler, position: .first)
                    }
                }
            }
        let future: EventLoopFuture<any Channel>
        if let target {
            future = bootstrap.connect(to: target)
        } else {
            future = bootstrap.connect(host: peer.host, port: peer.port)
        }
        let bound = self.bound
        future.whenComplete { result in
            let core = bound.value
            switch result {
            case .success(let channel):
                core.connections[key] = channel
                let pending = core.connecting.removeValue(forKey: key) ?? []
                for message in pending {
                    channel.write(ByteBuffer(bytes: message.serialized()), promise: nil)
                }
                channel.flush()
            case .failure(let error):
                core.logger.info("SIP connection failed", metadata: ["sip.peer": "\(peer)", "error": "\(error)"])
                core.failConnecting(key)
            }
        }
    }

    private func failConnecting(_ key: ConnectionKey) {
        for message in connecting.removeValue(forKey: key) ?? [] { sendFailed(message) }
    }

    private func sendFailed(_ message: SIPMessage) {
        guard !isStopped else { return }
        run(endpoint.sendFailed(message, now: now))
    }
}
