import AdminHTTP
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Store
import Testing

/// Issue 13's attacks on the admin port, scaled down: the connection cap, the idle timeout, the request deadline,
/// one import at a time.
@Suite struct AdminServerLimitsTests {
    static func withServer(
        _ harness: APIHarness,
        configuration: AdminServer.Configuration,
        _ body: @Sendable (Int, AdminServer) async throws -> Void
    ) async throws {
        let server = AdminServer(
            configuration: configuration,
            routes: harness.routes,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: AdminServerTests.logger
        )
        let group = ServiceGroup(services: [server], logger: AdminServerTests.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            do {
                try await body(port, server)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A request whose head (or body) arrives a few bytes at a time, each before any idle timeout, used to keep its
    /// connection for as long as it liked. Now the whole request has a deadline.
    @Test(arguments: [
        "GET /health HTTP/1.1\r\nHost: x\r\n",
        "POST /api/lines HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{",
    ])
    func aDrippedRequestIsClosedAtTheRequestDeadline(_ start: String) async throws {
        let harness = try await APIHarness.make()
        let configuration = AdminServer.Configuration(
            host: "127.0.0.1",
            port: 0,
            idleTimeout: .seconds(10),
            requestTimeout: .seconds(1)
        )
        try await Self.withServer(harness, configuration: configuration) { port, server in
            let connection = try await RawConnection.open(port: port)
            try await connection.send(start)
            let clock = ContinuousClock()
            let started = clock.now
            while connection.isOpen, clock.now - started < .seconds(15) {
                try? await connection.send(start.hasPrefix("GET") ? "X-Drip: 1\r\n" : " ")
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(!connection.isOpen)
            // The drips keep the idle timer from ever firing: only the 1 s deadline closes it (the bound leaves room
            // for a busy test process).
            #expect(clock.now - started < .seconds(10))
            if start.hasPrefix("GET") {
                // The head never ended: only the deadline could close it.
                #expect(server.statistics().requestTimeouts == 1)
            }
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        let harness = try await APIHarness.make()
        let configuration = AdminServer.Configuration(
            host: "127.0.0.1",
            port: 0,
            idleTimeout: .milliseconds(500),
            requestTimeout: .seconds(30)
        )
        try await Self.withServer(harness, configuration: configuration) { port, _ in
            let connection = try await RawConnection.open(port: port)
            #expect(await connection.waitUntilClosed(within: .seconds(5)))
        }
    }

    /// Connections past the cap are not accepted (they wait in the kernel's backlog, holding no descriptor of the
    /// server) until one closes.
    @Test func connectionsPastTheCapWaitForAFreeOne() async throws {
        let harness = try await APIHarness.make()
        let configuration = AdminServer.Configuration(host: "127.0.0.1", port: 0, maximumConnections: 2)
        try await Self.withServer(harness, configuration: configuration) { port, _ in
            let first = try await RawConnection.open(port: port)
            let second = try await RawConnection.open(port: port)
            // Both answered, so the server holds both before the third arrives (one accept batch on a starved machine
            // could otherwise take all three before the cap is counted).
            for connection in [first, second] {
                try await connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(await connection.waitFor("200 OK", within: .seconds(10)))
            }
            let third = try await RawConnection.open(port: port)
            try await third.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            try await Task.sleep(for: .milliseconds(500))
            #expect(third.received.isEmpty)
            await first.close()
            #expect(await third.waitFor("200 OK", within: .seconds(5)))
            await second.close()
            await third.close()
        }
    }

    /// Three imports of 16 MiB at once multiplied the memory of one; now a second import while one runs is refused
    /// at once with 409.
    @Test func aSecondImportWhileOneRunsIsRefused() async throws {
        let harness = try await APIHarness.make()
        let configuration = AdminServer.Configuration(host: "127.0.0.1", port: 0)
        try await Self.withServer(harness, configuration: configuration) { port, _ in
            let body = "DEVICE NAME,DIRECTORY NUMBER 1\nSEP001122334455,1001\n"
            let slow = try await RawConnection.open(port: port)
            try await slow.send(
                "POST /api/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(harness.token)\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(10)
            )
            try await Task.sleep(for: .milliseconds(300))
            let client = try AdminClient(server: "http://127.0.0.1:\(port)", token: harness.token)
            await #expect {
                _ = try await client.importCSV(Data(body.utf8))
            } throws: { error in
                guard let error = error as? AdminClientError else { return false }
                return error.status == 409 && error.message.contains("another import is running")
            }
            try await slow.send(String(body.dropFirst(10)))
            #expect(await slow.waitFor("200 OK", within: .seconds(10)))
            await slow.close()
            // Once it is done, the next import runs.
            let result = try await client.importCSV(Data(body.utf8))
            #expect(result.devicesUpdated == 1)
        }
    }
}

/// A raw TCP connection to the admin server that records what comes back and whether it closed.
final class RawConnection: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = NIOLockedValueBox("")
        let closed = NIOLockedValueBox(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = self.unwrapInboundIn(data)
            self.text.withLockedValue { $0 += String(buffer: buffer) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.closed.withLockedValue { $0 = true }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(port: Int) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, collector: collector)
    }

    var isOpen: Bool { !self.collector.closed.withLockedValue { $0 } }
    var received: String { self.collector.text.withLockedValue { $0 } }

    func send(_ text: String) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(string: text))
    }

    func close() async {
        try? await self.channel.close()
    }

    func waitUntilClosed(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while self.isOpen, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !self.isOpen
    }

    func waitFor(_ text: String, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !self.received.contains(text), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return self.received.contains(text)
    }
}
