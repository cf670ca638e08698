import AdminHTTP
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// A Server-Sent Events client on a plain NIO HTTP/1 connection (no URLSession, which buffers): it sends one GET and
/// parses the streamed body into events as they arrive, keeping each with the time it arrived.
final class SSEClient: Sendable {
    struct Event: Sendable, Hashable {
        var id: UInt64?
        var presence: AdminAPI.Presence
        var arrived: ContinuousClock.Instant
    }

    struct Received: Sendable {
        var status: Int?
        var events: [Event] = []
        var heartbeats = 0
        var ended = false
        var text = ""
    }

    private let received = NIOLockedValueBox(Received())
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to the admin API on `port` and asks for `path` with the bearer `token`.
    static func connect(port: Int, token: String, path: String) async throws -> SSEClient {
        let box = NIOLockedValueBox<SSEClient?>(nil)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector(box: box))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let client = SSEClient(channel: channel)
        box.withLockedValue { $0 = client }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
        head.headers.add(name: "Authorization", value: "Bearer \(token)")
        head.headers.add(name: "Accept", value: "text/event-stream")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return client
    }

    var snapshot: Received { received.withLockedValue { $0 } }

    /// The events about `user`, in the order they arrived.
    func events(of user: String) -> [Event] {
        snapshot.events.filter { $0.presence.user == user }
    }

    /// Waits until `predicate` holds for what has arrived, polling every 5 ms.
    @discardableResult
    func wait<T>(
        _ what: String,
        timeout: Duration = TestServer.timeout,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: (Received) -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let current = snapshot
            if let value = predicate(current) { return value }
            guard clock.now < deadline else {
                Issue.record(
                    "The event stream never showed \(what); got \(current.events.map { "\($0.presence.user)=\($0.presence.state)" })",
                    sourceLocation: sourceLocation
                )
                throw TestServerError.statusTimedOut(what)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits for the `count`th event about `user` (1-based) and returns it.
    @discardableResult
    func waitForEvent(
        of user: String,
        count: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Event {
        try await wait("\(count) events about \(user)", sourceLocation: sourceLocation) { received in
            let mine = received.events.filter { $0.presence.user == user }
            return mine.count >= count ? mine[count - 1] : nil
        }
    }

    func close() async {
        try? await channel.close()
    }

    fileprivate func receive(_ part: HTTPClientResponsePart) {
        received.withLockedValue { received in
            switch part {
            case .head(let head):
                received.status = Int(head.status.code)
            case .body(let buffer):
                received.text += String(buffer: buffer)
                while let range = received.text.range(of: "\n\n") {
                    let block = String(received.text[..<range.lowerBound])
                    received.text.removeSubrange(..<range.upperBound)
                    Self.parse(block, into: &received)
                }
            case .end:
                received.ended = true
            }
        }
    }

    fileprivate func ended() {
        received.withLockedValue { $0.ended = true }
    }

    private static func parse(_ block: String, into received: inout Received) {
        var id: UInt64?
        var data = ""
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix(":") {
                if line.contains("heartbeat") { received.heartbeats += 1 }
            } else if line.hasPrefix("id: ") {
                id = UInt64(line.dropFirst(4))
            } else if line.hasPrefix("data: ") {
                data += line.dropFirst(6)
            }
        }
        guard !data.isEmpty,
            let presence = try? AdminAPI.makeDecoder().decode(AdminAPI.Presence.self, from: Data(data.utf8))
        else { return }
        received.events.append(Event(id: id, presence: presence, arrived: ContinuousClock.now))
    }
}

private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    let box: NIOLockedValueBox<SSEClient?>

    init(box: NIOLockedValueBox<SSEClient?>) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        box.withLockedValue { $0 }?.receive(part)
    }

    func channelInactive(context: ChannelHandlerContext) {
        box.withLockedValue { $0 }?.ended()
        context.fireChannelInactive()
    }
}
