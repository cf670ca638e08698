import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOSSL
public import ServiceLifecycle

/// The admin API's HTTP server, run as a `Service`: Hummingbird on `host:port` (127.0.0.1:8080 by default; port 0
/// picks a free one, see ``boundPort()``). It stops accepting on graceful shutdown and lets requests in flight
/// finish.
///
/// Like the phone-facing listeners it is bounded (issue 13: 20,000 idle connections to this port, no token needed,
/// used up the process's descriptors and stopped SCCP, TFTP and HTTP): at most ``Configuration/maximumConnections``
/// are accepted at once (more wait in the kernel's backlog, holding no descriptor of the process), a connection idle
/// for ``Configuration/idleTimeout`` is closed, and a request must arrive whole within
/// ``Configuration/requestTimeout``.
public final class AdminServer: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind; loopback by default, because the token is the only lock on the door.
        public var host: String
        public var port: Int
        /// Connections accepted at once. The API serves a few administrators, the CLI, a metrics scraper and a
        /// handful of event streams; 64 is room for all of them, and the most the process ever spends on this port
        /// (the composition root lowers it when the descriptor limit is small).
        public var maximumConnections: Int
        /// A connection with no request for this long is closed (Hummingbird's idle timeout): a keep-alive client
        /// reconnects, an idle attacker gives its slot back.
        public var idleTimeout: TimeAmount
        /// The time a client has to send a whole request (head and body) once the connection is ready for one: a
        /// 16 MiB import takes well under a second on loopback; a client that drips its request is closed.
        public var requestTimeout: TimeAmount
        /// HTTPS with this certificate chain and key (PEM, leaf first), or nil for plain HTTP (`--admin-tls`).
        public var tls: (certificateChainPEM: String, privateKeyPEM: String)?

        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            maximumConnections: Int = 64,
            idleTimeout: TimeAmount = .seconds(30),
            requestTimeout: TimeAmount = .seconds(30),
            tls: (certificateChainPEM: String, privateKeyPEM: String)? = nil
        ) {
            self.host = host
            self.port = port
            self.maximumConnections = maximumConnections
            self.idleTimeout = idleTimeout
            self.requestTimeout = requestTimeout
            self.tls = tls
        }
    }

    /// Connections closed by the request deadline, since the server started.
    public func statistics() -> AdminServerStatistics {
        self.counters.snapshot
    }

    private let configuration: Configuration
    private let routes: AdminRoutes
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>
    private let boundState = NIOLockedValueBox(false)
    private let counters = AdminServerCounters()

    public init(
        configuration: Configuration,
        routes: AdminRoutes,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        self.configuration = configuration
        self.routes = routes
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.bound = eventLoopGroup.next().makePromise(of: Int.self)
    }

    /// The port the server listens on, once it does; throws if it could not bind.
    public func boundPort() async throws -> Int {
        try await bound.futureResult.get()
    }

    public func run() async throws {
        let bound = self.bound
        let boundState = self.boundState
        let logger = self.logger
        let host = configuration.host
        let counters = self.counters
        let requestTimeout = configuration.requestTimeout
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(
                additionalChannelHandlers: [
                    AdminRequestDeadlineHandler(deadline: requestTimeout, onTimeout: { counters.requestTimedOut() })
                ],
                idleTimeout: configuration.idleTimeout
            )
        )
        let server: HTTPServerBuilder
        do {
            server = try Self.serverBuilder(http1, tls: configuration.tls)
        } catch {
            if boundState.withLockedValue({ done in
                defer { done = true }
                return !done
            }) {
                bound.fail(error)
            }
            throw error
        }
        let application = Application(
            router: routes.makeRouter(),
            server: server,
            configuration: .init(
                address: .hostname(host, port: configuration.port),
                serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(
                    max(1, configuration.maximumConnections),
                    logger: logger
                )
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                if boundState.withLockedValue({ done in
                    defer { done = true }
                    return !done
                }) {
                    bound.succeed(port)
                }
                logger.info("Admin API listening", metadata: ["admin.host": "\(host)", "admin.port": "\(port)"])
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        do {
            try await application.run()
        } catch {
            if boundState.withLockedValue({ done in
                defer { done = true }
                return !done
            }) {
                bound.fail(error)
            }
            logger.error(
                "Admin API stopped with an error",
                metadata: ["admin.host": "\(host)", "admin.port": "\(configuration.port)", "error": "\(error)"]
            )
            throw error
        }
        if boundState.withLockedValue({ done in
            defer { done = true }
            return !done
        }) {
            bound.fail(AdminServerError.stoppedBeforeBinding)
        }
    }
}

extension AdminServer {
    /// HTTP/1.1, or HTTP/1.1 over TLS 1.2+ with the given certificate.
    static func serverBuilder(
        _ http1: HTTPServerBuilder,
        tls: (certificateChainPEM: String, privateKeyPEM: String)?
    ) throws -> HTTPServerBuilder {
        guard let tls else { return http1 }
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificateChainPEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        return try .tls(http1, tlsConfiguration: configuration)
    }
}

/// The admin server ended before it was listening.
struct AdminServerError: Error, CustomStringConvertible {
    static let stoppedBeforeBinding = AdminServerError(description: "the admin server stopped before it was listening")
    let description: String
}
