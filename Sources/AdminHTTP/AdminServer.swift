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
public final class AdminServer: Service, Sendable {
    public struct Configuration: Sendable {
        /// The address to bind; loopback by default, because the token is the only lock on the door.
        public var host: String
        public var port: Int
        /// HTTPS with this certificate chain and key (PEM, leaf first), or nil for plain HTTP (`--admin-tls`).
        public var tls: (certificateChainPEM: String, privateKeyPEM: String)?

        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            tls: (certificateChainPEM: String, privateKeyPEM: String)? = nil
        ) {
            self.host = host
            self.port = port
            self.tls = tls
        }
    }

    private let configuration: Configuration
    private let routes: AdminRoutes
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<Int>
    private let boundState = NIOLockedValueBox(false)

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
        let server: HTTPServerBuilder
        do {
            server = try Self.serverBuilder(configuration.tls)
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
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
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
        _ tls: (certificateChainPEM: String, privateKeyPEM: String)?
    ) throws -> HTTPServerBuilder {
        guard let tls else { return .http1() }
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificateChainPEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        return try .tls(.http1(), tlsConfiguration: configuration)
    }
}

/// The admin server ended before it was listening.
struct AdminServerError: Error, CustomStringConvertible {
    static let stoppedBeforeBinding = AdminServerError(description: "the admin server stopped before it was listening")
    let description: String
}
