public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTP1
import NIOPosix
public import Provisioning
public import ServiceLifecycle

/// Serves the provisioning files over HTTP (TCP 6970, where Cisco phones look for them over HTTP), run as a
/// `Service`: the same `TFTPFileProvider` as the TFTP listener, so the same names give the same bytes.
///
/// Only GET and HEAD of a file name ("/SEP001122AABBCC.cnf.xml", or up to four segments deep for the firmware
/// folder's locale files) are served, and, with `phoneServices`, the phone services under `/services/`; an empty
/// segment, "..", a backslash or a control character is refused with 400 before the provider is asked, other methods get
/// 405, unknown files 404, and a provider that fails or misses its deadline 503. Guards: an allow-list of source
/// networks, a cap on concurrent connections in all and per client address, an idle timeout, a deadline for each
/// whole request, bounded header sizes, URI length and request bodies, and a cap on requests per connection.
public final class HTTPProvisioningListener: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind.
        public var host: String
        /// The port; 6970 is where Cisco phones fetch configuration over HTTP; 0 picks a free one.
        public var port: Int
        /// Connections open at once, from everyone; more are closed at accept. A phone needs one, briefly.
        public var maximumConnections: Int
        /// Connections open at once from one address.
        public var maximumConnectionsPerAddress: Int
        /// A connection with no traffic either way for this long is closed.
        public var idleTimeout: TimeAmount
        /// The time a client has to send a whole request once the connection is ready for one (it opened, or the
        /// last response ended). Unlike the idle timeout, bytes do not move it: a phone sends its GET in one packet,
        /// a slow-drip client is closed (issue 13). 10 s, the SCCP listeners' Register deadline.
        public var requestTimeout: TimeAmount
        /// How long the file provider may take before the client gets 503.
        public var lookupTimeout: TimeAmount
        /// Requests served on one connection before it is closed (the client reconnects).
        public var maximumRequestsPerConnection: Int
        /// The longest request target accepted; longer gets 414. File names are short.
        public var maximumURILength: Int
        /// The most header bytes (all names and values) of one request; more is a 400 from the decoder.
        public var maximumHeaderBytes: Int
        /// The most body bytes a GET or HEAD may carry (they should carry none); more gets 413.
        public var maximumBodyBytes: Int
        /// The listen backlog.
        public var backlog: Int32
        /// Sources whose connections are kept; others are closed at accept (like the TFTP listener's list).
        public var allowedNetworks: SourceAllowList = .any

        public init(
            host: String = "0.0.0.0",
            port: Int = 6970,
            maximumConnections: Int = 512,
            maximumConnectionsPerAddress: Int = 16,
            idleTimeout: TimeAmount = .seconds(30),
            requestTimeout: TimeAmount = .seconds(10),
            lookupTimeout: TimeAmount = .seconds(5),
            maximumRequestsPerConnection: Int = 100,
            maximumURILength: Int = 1024,
            maximumHeaderBytes: Int = 16 * 1024,
            maximumBodyBytes: Int = 4096,
            backlog: Int32 = 256
        ) {
            self.host = host
            self.port = port
            self.maximumConnections = maximumConnections
            self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
            self.idleTimeout = idleTimeout
            self.requestTimeout = requestTimeout
            self.lookupTimeout = lookupTimeout
            self.maximumRequestsPerConnection = maximumRequestsPerConnection
            self.maximumURILength = maximumURILength
            self.maximumHeaderBytes = maximumHeaderBytes
            self.maximumBodyBytes = maximumBodyBytes
            self.backlog = backlog
        }
    }

    /// Counters since the listener started.
    public struct Statistics: Hashable, Sendable {
        /// Connections accepted and kept.
        public var connectionsAccepted = 0
        /// Connections closed at accept because a connection limit was reached.
        public var connectionsRefused = 0
        /// Of `connectionsRefused`: those refused for the per-address limit.
        public var connectionsRefusedPerAddress = 0
        /// Connections closed at accept because their source is not on `allowedNetworks`.
        public var connectionsNotAllowed = 0
        /// Connections open now.
        public var activeConnections = 0
        /// Requests received (complete heads).
        public var requests = 0
        /// Files sent (200).
        public var filesServed = 0
        /// 404s.
        public var notFound = 0
        /// 400, 405, 413 and 414: requests refused before any lookup.
        public var refused = 0
        /// 503s: the provider failed or missed its deadline.
        public var lookupFailures = 0
        /// Connections closed by the idle timeout.
        public var idleTimeouts = 0
        /// Connections closed because a request did not arrive whole within `requestTimeout`.
        public var requestTimeouts = 0
        /// Requests to the phone services (`/services/…`).
        public var serviceRequests = 0

        public init() {}
    }

    private let configuration: Configuration
    private let fileProvider: any TFTPFileProvider
    private let phoneServices: PhoneServices?
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>
    private let shared = HTTPProvisioningShared()

    /// - Parameter phoneServices: answers `/services/…` (the phone's Directories, Services and Messages buttons,
    ///   docs/phone-services.md); nil serves files only.
    public init(
        configuration: Configuration,
        fileProvider: any TFTPFileProvider,
        phoneServices: PhoneServices? = nil,
        group: any EventLoopGroup,
        logger: Logger
    ) {
        self.configuration = configuration
        self.fileProvider = fileProvider
        self.phoneServices = phoneServices
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: Int.self)
    }

    /// The port the listener is bound to, once it is; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    /// A snapshot of the counters.
    public func statistics() -> Statistics {
        self.shared.state.withLockedValue { $0.statistics }
    }

    /// The refusals in the shape of the SCCP guards' statistics (service `http`), for `/metrics`: sources not
    /// allowed, the per-address and total connection caps, and idle connections closed.
    public func guardStatistics() -> GuardStatistics {
        let statistics = self.statistics()
        var rejections: [GuardRejectionReason: Int] = [:]
        rejections[.sourceNotAllowed] = statistics.connectionsNotAllowed
        rejections[.perSourceConnectionLimit] = statistics.connectionsRefusedPerAddress
        rejections[.totalConnectionLimit] = statistics.connectionsRefused - statistics.connectionsRefusedPerAddress
        rejections[.requestTimeout] = statistics.requestTimeouts
        rejections[.idleTimeout] = statistics.idleTimeouts
        return GuardStatistics(
            service: "http",
            rejections: rejections.filter { $0.value > 0 },
            openConnections: statistics.activeConnections
        )
    }

    /// The file a request target names: "/SEP001122AABBCC.cnf.xml?x=1" → "SEP001122AABBCC.cnf.xml"; nil for
    /// anything but a safe relative name of at most four segments (an empty segment, "..", a backslash, a control
    /// or non-ASCII character, also when percent-encoded, a bad escape, or a target that is not a path).
    public static func fileName(fromTarget target: String) -> String? {
        HTTPProvisioningHandler.fileName(fromTarget: target)
    }

    public func run() async throws {
        let configuration = self.configuration
        let fileProvider = self.fileProvider
        let phoneServices = self.phoneServices
        let logger = self.logger
        let shared = self.shared
        let serverChannel: any Channel
        do {
            serverChannel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.backlog, value: configuration.backlog)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    guard shared.admit(channel, configuration: configuration) else {
                        return channel.eventLoop.makeFailedFuture(HTTPConnectionRefused())
                    }
                    return channel.eventLoop.makeCompletedFuture {
                        var limits = NIOHTTPDecoderLimitConfiguration()
                        limits.maxHeaderFieldSize = configuration.maximumHeaderBytes
                        limits.maxHeaderListSize = configuration.maximumHeaderBytes
                        limits.maxHeaderFieldCount = 100
                        let operations = channel.pipeline.syncOperations
                        try operations.addHandler(IdleStateHandler(allTimeout: configuration.idleTimeout))
                        try operations.configureHTTPServerPipeline(
                            withEncoderConfiguration: .init(),
                            withDecoderLimitConfiguration: limits
                        )
                        try operations.addHandler(
                            HTTPRequestDeadlineHandler(deadline: configuration.requestTimeout) {
                                shared.count { $0.requestTimeouts += 1 }
                            }
                        )
                        try operations.addHandler(
                            HTTPProvisioningHandler(
                                configuration: configuration,
                                fileProvider: fileProvider,
                                phoneServices: phoneServices,
                                logger: logger,
                                shared: shared
                            )
                        )
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            self.bound.fail(error)
            self.logger.error(
                "HTTP provisioning listener could not bind",
                metadata: [
                    "http.host": "\(configuration.host)", "http.port": "\(configuration.port)", "error": "\(error)",
                ]
            )
            throw error
        }
        let port = serverChannel.localAddress?.port ?? configuration.port
        self.bound.succeed(port)
        self.logger.info(
            "HTTP provisioning listening",
            metadata: ["http.host": "\(configuration.host)", "http.port": "\(port)"]
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
        // Requests are short and phones retry: close what is still open and wait for it.
        let open = shared.openChannels()
        for channel in open {
            channel.close(promise: nil)
        }
        for channel in open {
            try? await channel.closeFuture.get()
        }
    }
}

/// A connection closed at accept by a connection limit.
struct HTTPConnectionRefused: Error {}

/// The listener's state shared with its connections across event loops: counters, open connections per address.
final class HTTPProvisioningShared: Sendable {
    struct State {
        var statistics = HTTPProvisioningListener.Statistics()
        var channels: [ObjectIdentifier: any Channel] = [:]
        var perAddress: [String: Int] = [:]
    }

    let state = NIOLockedValueBox(State())

    /// Counts `channel` in, or refuses it when a limit is reached; a counted channel is counted out when it closes.
    func admit(_ channel: any Channel, configuration: HTTPProvisioningListener.Configuration) -> Bool {
        let address = channel.remoteAddress?.ipAddress ?? ""
        let id = ObjectIdentifier(channel)
        let allowed = configuration.allowedNetworks.allows(SourceAddress(channel.remoteAddress))
        let admitted = self.state.withLockedValue { state -> Bool in
            guard allowed else {
                state.statistics.connectionsNotAllowed += 1
                return false
            }
            guard state.channels.count < configuration.maximumConnections else {
                state.statistics.connectionsRefused += 1
                return false
            }
            guard state.perAddress[address, default: 0] < configuration.maximumConnectionsPerAddress else {
                state.statistics.connectionsRefused += 1
                state.statistics.connectionsRefusedPerAddress += 1
                return false
            }
            state.channels[id] = channel
            state.perAddress[address, default: 0] += 1
            state.statistics.connectionsAccepted += 1
            state.statistics.activeConnections = state.channels.count
            return true
        }
        guard admitted else { return false }
        channel.closeFuture.whenComplete { _ in
            self.state.withLockedValue { state in
                state.channels[id] = nil
                let remaining = state.perAddress[address, default: 1] - 1
                state.perAddress[address] = remaining > 0 ? remaining : nil
                state.statistics.activeConnections = state.channels.count
            }
        }
        return true
    }

    func openChannels() -> [any Channel] {
        self.state.withLockedValue { Array($0.channels.values) }
    }

    func count(_ update: (inout HTTPProvisioningListener.Statistics) -> Void) {
        self.state.withLockedValue { update(&$0.statistics) }
    }
}
