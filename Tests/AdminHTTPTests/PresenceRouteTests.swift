import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Store
import Testing

/// A presence service with fixed answers, recording what the routes asked: the routes' own logic (parsing, checks,
/// the event-stream format) is what is under test here; the real service is tested in IntegrationTests.
final class FakePresence: AdminPresence {
    let statuses = NIOLockedValueBox<[(String, UserRecord.PresenceStatus, String)]>([])
    let events: [AdminAPI.PresenceEvent]
    let finishAfter: Duration

    init(events: [AdminAPI.PresenceEvent] = [], finishAfter: Duration = .zero) {
        self.events = events
        self.finishAfter = finishAfter
    }

    static let alice = AdminAPI.Presence(
        user: "alice",
        visible: true,
        state: "available",
        activity: "available",
        status: "available",
        note: "",
        capabilities: ["voice"],
        displayName: "Alice"
    )

    func allPresence(as viewer: String?) async throws -> [AdminAPI.Presence] {
        try Self.check(viewer)
        return [viewer == "carol" ? .hidden("alice") : Self.alice]
    }

    func presence(of user: String, as viewer: String?) async throws -> AdminAPI.Presence? {
        try Self.check(viewer)
        return user == "alice" ? (viewer == "carol" ? .hidden("alice") : Self.alice) : nil
    }

    func setStatus(
        of user: String,
        _ status: UserRecord.PresenceStatus,
        note: String
    ) async throws
        -> AdminAPI.Presence?
    {
        guard user == "alice" else { return nil }
        statuses.withLockedValue { $0.append((user, status, note)) }
        var presence = Self.alice
        presence.state = status.rawValue
        presence.status = status.rawValue
        presence.note = note
        return presence
    }

    func subscribe(
        as viewer: String?,
        queue: PresenceEventQueue
    ) async throws -> (
        snapshot: [AdminAPI.PresenceEvent], cancel: @Sendable () -> Void
    ) {
        try Self.check(viewer)
        for event in events { queue.push(event) }
        let finishAfter = self.finishAfter
        // The fake ends the stream itself after a while, so that the router test's client gets a whole response.
        Task {
            try? await Task.sleep(for: finishAfter)
            queue.finish()
        }
        return ([AdminAPI.PresenceEvent(sequence: 0, presence: Self.alice)], {})
    }

    static func check(_ viewer: String?) throws {
        if let viewer, !["bob", "carol"].contains(viewer) {
            throw AdminAPIError.invalidValue("as", "as must name a user presence knows, not \"\(viewer)\"")
        }
    }
}

@Suite struct PresenceRouteTests {
    func test(
        presence: (any AdminPresence)?,
        heartbeat: Duration = .seconds(15),
        _ body: @Sendable (APIClient) async throws -> Void
    ) async throws {
        let harness = try await APIHarness.make()
        var routes = AdminRoutes(
            store: harness.store,
            live: harness.live,
            metrics: harness.metrics,
            version: "test",
            presence: presence
        )
        routes.presenceHeartbeat = heartbeat
        let application = Application(router: routes.makeRouter())
        let token = harness.token
        try await application.test(.router) { client in
            try await body(APIClient(client: client, token: token))
        }
    }

    @Test func withoutPresenceTheRoutesAnswer503() async throws {
        try await test(presence: nil) { client in
            let response = try await client.request(.get, "/api/presence")
            #expect(response.status == .serviceUnavailable)
        }
    }

    @Test func theRoutesNeedAToken() async throws {
        try await test(presence: FakePresence()) { client in
            let response = try await client.request(.get, "/api/presence", authorization: .none)
            #expect(response.status == .unauthorized)
        }
    }

    /// `/presence/...` (the paths issue 8 names) serves the same routes as `/api/presence/...`, behind the token.
    @Test func thePresencePathsAlsoAnswerWithoutTheAPIPrefix() async throws {
        try await test(presence: FakePresence()) { client in
            #expect(try await client.value([AdminAPI.Presence].self, .get, "/presence") == [FakePresence.alice])
            #expect(try await client.value(AdminAPI.Presence.self, .get, "/presence/alice") == FakePresence.alice)
            let refused = try await client.request(.get, "/presence", authorization: .none)
            #expect(refused.status == .unauthorized)
        }
    }

    @Test func listsAndShowsPresenceAsTheViewerSeesIt() async throws {
        try await test(presence: FakePresence()) { client in
            let all = try await client.value([AdminAPI.Presence].self, .get, "/api/presence")
            #expect(all == [FakePresence.alice])
            let hidden = try await client.value(AdminAPI.Presence.self, .get, "/api/presence/alice?as=carol")
            #expect(hidden == .hidden("alice"))
            // Hidden is exactly this JSON: nothing about the user but their name.
            let raw = try await client.request(.get, "/api/presence/alice?as=carol")
            #expect(String(buffer: raw.body) == #"{"state":"unknown","user":"alice","visible":false}"#)
            let unknown = try await client.request(.get, "/api/presence/mallory")
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains(#""field":"user""#))
            let badViewer = try await client.request(.get, "/api/presence?as=mallory")
            #expect(badViewer.status == .badRequest)
            #expect(String(buffer: badViewer.body).contains(#""field":"as""#))
            let emptyViewer = try await client.request(.get, "/api/presence?as=")
            #expect(emptyViewer.status == .badRequest)
        }
    }

    @Test(arguments: [
        (#"{"status": "asleep"}"#, "presence.status"),
        (#"{"status": "away", "note": "\#(String(repeating: "x", count: 141))"}"#, "presence.note"),
        (#"{"status": "away", "note": "two\nlines"}"#, "presence.note"),
        (#"{"note": "hi"}"#, "presence.status"),
        (#"{"status": 3}"#, "presence.status"),
    ])
    func badStatusesAreRejectedNamingTheField(body: String, field: String) async throws {
        let presence = FakePresence()
        try await test(presence: presence) { client in
            let response = try await client.request(.put, "/api/presence/alice/status", json: body)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(#""field":"\#(field)""#), "\(String(buffer: response.body))")
        }
        #expect(presence.statuses.withLockedValue { $0.isEmpty })
    }

    @Test func setsAStatusWithANote() async throws {
        let presence = FakePresence()
        try await test(presence: presence) { client in
            let note = String(repeating: "é", count: 140)
            let set = try await client.value(
                AdminAPI.Presence.self,
                .put,
                "/api/presence/alice/status",
                json: #"{"status": "dnd", "note": "\#(note)"}"#
            )
            #expect(set.state == "dnd" && set.note == note)
            let unknown = try await client.request(.put, "/api/presence/mallory/status", json: #"{"status": "away"}"#)
            #expect(unknown.status == .notFound)
        }
        #expect(presence.statuses.withLockedValue { $0.map(\.1) } == [.dnd])
    }

    @Test func theEventStreamIsServerSentEvents() async throws {
        let away = {
            var away = FakePresence.alice
            away.state = "away"
            return away
        }()
        let presence = FakePresence(
            events: [AdminAPI.PresenceEvent(sequence: 7, presence: away)],
            finishAfter: .milliseconds(300)
        )
        try await test(presence: presence, heartbeat: .milliseconds(50)) { client in
            let response = try await client.request(.get, "/api/presence/events")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
            let text = String(buffer: response.body)
            let encoder = AdminAPI.makeEncoder()
            let first = String(decoding: try encoder.encode(FakePresence.alice), as: UTF8.self)
            let second = String(decoding: try encoder.encode(away), as: UTF8.self)
            #expect(
                text.hasPrefix(
                    "retry: 2000\n\nid: 0\nevent: presence\ndata: \(first)\n\nid: 7\nevent: presence\ndata: \(second)\n\n"
                ),
                "\(text)"
            )
            // Heartbeats while nothing happens.
            #expect(text.contains(": heartbeat\n\n"))
        }
    }

    @Test func aQueueThatOverflowsEndsAndRefusesMore() async throws {
        let queue = PresenceEventQueue(limit: 3)
        let event = AdminAPI.PresenceEvent(sequence: 1, presence: FakePresence.alice)
        #expect(queue.push(event))
        #expect(queue.push(event))
        #expect(queue.pushHeartbeat())
        #expect(!queue.hasOverflowed)
        #expect(!queue.push(event))
        #expect(queue.hasOverflowed)
        #expect(!queue.push(event))
        var received: [PresenceEventQueue.Item] = []
        for await item in queue.items { received.append(item) }
        #expect(received == [.event(event), .event(event), .heartbeat])
    }

    @Test func userPrivacyIsSetThroughTheUserRoutes() async throws {
        try await test(presence: FakePresence()) { client in
            let created = try await client.value(
                AdminAPI.User.self,
                .post,
                "/api/users",
                json: #"{"name": "alice", "presenceVisibility": "allowList", "presenceAllowList": ["bob"]}"#,
                status: .created
            )
            #expect(created.presenceVisibility == "allowList" && created.presenceAllowList == ["bob"])
            let bad = try await client.request(
                .patch,
                "/api/users/alice",
                json: #"{"presenceVisibility": "friends"}"#
            )
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains(#""field":"user.presenceVisibility""#))
            let badName = try await client.request(
                .patch,
                "/api/users/alice",
                json: #"{"presenceAllowList": ["bob smith"]}"#
            )
            #expect(badName.status == .badRequest)
            #expect(String(buffer: badName.body).contains(#""field":"user.presenceAllowList""#))
            let hidden = try await client.value(
                AdminAPI.User.self,
                .patch,
                "/api/users/alice",
                json: #"{"presenceVisibility": "nobody"}"#
            )
            #expect(hidden.presenceVisibility == "nobody")
        }
    }
}

/// A slow event-stream client over a real socket: the server does not buffer for it without bound.
@Suite struct PresenceStreamOverflowTests {
    @Test func aClientThatFallsBehindIsDisconnected() async throws {
        let harness = try await APIHarness.make()
        let events = (1...100).map {
            AdminAPI.PresenceEvent(sequence: UInt64($0), presence: FakePresence.alice)
        }
        var routes = AdminRoutes(
            store: harness.store,
            live: harness.live,
            metrics: harness.metrics,
            version: "test",
            presence: FakePresence(events: events, finishAfter: .seconds(60))
        )
        // The fake pushes 100 events before the connection takes any: a queue of 4 overflows at once.
        routes.presenceQueueLimit = 4
        let server = AdminServer(
            configuration: .init(host: "127.0.0.1", port: 0),
            routes: routes,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: AdminServerTests.logger
        )
        let group = ServiceGroup(services: [server], logger: AdminServerTests.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            let clock = ContinuousClock()
            let start = clock.now
            let text = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(
                    ByteBuffer(
                        string: "GET /api/presence/events HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer \(harness.token)\r\n\r\n"
                    )
                )
                var text = ""
                // Read until the server closes the connection.
                for try await buffer in inbound { text += String(buffer: buffer) }
                return text
            }
            #expect(clock.now - start < .seconds(30))
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(text.contains(": too slow, disconnected"))
            // The snapshot and the 4 events that fit; none of the rest.
            #expect(text.components(separatedBy: "event: presence").count - 1 == 5)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
