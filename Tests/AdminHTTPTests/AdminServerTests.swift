import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Store
import Testing

@Suite struct AdminServerTests {
    static let logger = Logger(label: "strowger.admin.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs a real server on a free loopback port for `body`.
    static func withServer(
        _ harness: APIHarness,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let server = AdminServer(
            configuration: .init(host: "127.0.0.1", port: 0),
            routes: harness.routes,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            #expect(port > 0)
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func theClientTalksToARealServer() async throws {
        let harness = try await APIHarness.make()
        try await Self.withServer(harness) { port in
            let client = try AdminClient(server: "http://127.0.0.1:\(port)", token: harness.token)
            let line = try await client.send(
                .post,
                "/api/lines",
                json: AdminAPI.Line(number: "1001", displayName: "Alice"),
                as: AdminAPI.Line.self
            )
            #expect(line.displayName == "Alice")
            #expect(try await client.get("/api/lines", as: [AdminAPI.Line].self).map(\.number) == ["1001"])
            let health = try await AdminClient(server: "http://127.0.0.1:\(port)", token: nil).get(
                "/health",
                as: AdminAPI.Health.self
            )
            #expect(health.status == "ok")
            #expect(try await client.metrics().contains("strowger_registered_devices"))

            // A user named with characters that need escaping in a path.
            _ = try await client.send(.post, "/api/users", json: AdminAPI.User(name: "a/b?c"), as: AdminAPI.User.self)
            let user = try await client.get("/api/users/" + AdminClient.segment("a/b?c"), as: AdminAPI.User.self)
            #expect(user.name == "a/b?c")

            do {
                _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "x"), as: AdminAPI.Line.self)
                Issue.record("an invalid line was accepted")
            } catch let error as AdminClientError {
                #expect(error.status == 400)
                #expect(error.field == "line.number")
            }
            do {
                _ = try await AdminClient(server: "http://127.0.0.1:\(port)", token: "nope").get(
                    "/api/lines",
                    as: [AdminAPI.Line].self
                )
                Issue.record("a bad token was accepted")
            } catch let error as AdminClientError {
                #expect(error.status == 401)
            }
        }
    }

    @Test func anUnreachableServerIsReported() async throws {
        // Bind and close a port so that nothing listens on it.
        let channel = try await ServerBootstrapProbe.freePort()
        let client = try AdminClient(server: "http://127.0.0.1:\(channel)", token: "x")
        do {
            _ = try await client.get("/health", as: AdminAPI.Health.self)
            Issue.record("a closed port answered")
        } catch let error as AdminClientError {
            #expect(error.code == "unreachable")
            #expect(error.status == nil)
        }
        #expect(throws: AdminClientError.self) { try AdminClient(server: "ftp://example", token: nil) }
    }

    @Test func aPortInUseFailsBoundPort() async throws {
        let harness = try await APIHarness.make()
        try await Self.withServer(harness) { port in
            let second = AdminServer(
                configuration: .init(host: "127.0.0.1", port: port),
                routes: harness.routes,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: Self.logger
            )
            async let run: Void = second.run()
            await #expect(throws: (any Error).self) { try await second.boundPort() }
            _ = try? await run
        }
    }

    @Test func theTokenFileIsWrittenOnceAndPrivate() async throws {
        let store = Store(database: try StrowgerDatabase.inMemory())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-admin-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let secret = try #require(try await AdminTokenFile.createIfNeeded(store: store, dataDirectory: directory))
        #expect(secret.count == 64)
        #expect(try AdminTokenFile.read(from: directory) == secret)
        let attributes = try FileManager.default.attributesOfItem(atPath: AdminTokenFile.url(in: directory).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try await store.adminToken(matching: secret)?.name == AdminTokenFile.defaultTokenName)

        // A second start keeps the token.
        #expect(try await AdminTokenFile.createIfNeeded(store: store, dataDirectory: directory) == nil)
        #expect(try AdminTokenFile.read(from: directory) == secret)
        #expect(try AdminTokenFile.read(from: directory.appendingPathComponent("missing")) == nil)
    }
}

/// A loopback port that nothing listens on.
enum ServerBootstrapProbe {
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}
