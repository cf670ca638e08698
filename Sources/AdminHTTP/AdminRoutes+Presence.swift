import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Store

extension AdminRoutes {
    /// `/api/presence`: every user's presence, one user's, setting a user's status, and the live event stream
    /// (docs/admin-api.md, docs/presence.md). `?as=USER` looks as that user (privacy applies); without it the
    /// administrator sees everyone.
    func addPresenceRoutes(to group: RouterGroup<Context>) {
        let presence = self.presence
        let heartbeat = self.presenceHeartbeat
        let queueLimit = self.presenceQueueLimit
        let streams = self.eventStreams
        let streamLimits = self.eventStreamLimits
        group.get { request, _ in
            let service = try Self.requirePresence(presence)
            return try Self.json(try await service.allPresence(as: try Self.viewer(of: request)))
        }
        // The constant path wins over ":user": a user named "events" has no GET of their own (GET /api/presence
        // lists them).
        group.get("events") { request, context in
            let service = try Self.requirePresence(presence)
            // Counted from here until the stream ends (or the ticket is dropped on an error before it starts).
            let ticket = try streams.open(client: Self.eventStreamClient(context), limits: streamLimits)
            let queue = PresenceEventQueue(limit: queueLimit)
            // A client that goes away ends its stream (and gives its place back) at once.
            context.connectionClosed?.whenComplete { _ in queue.finish() }
            let (snapshot, cancel) = try await service.subscribe(as: try Self.viewer(of: request), queue: queue)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    defer {
                        cancel()
                        queue.finish()
                        ticket.release()
                    }
                    var initial = ByteBuffer(string: "retry: 2000\n\n")
                    for event in snapshot { try Self.appendEvent(event, to: &initial) }
                    try await writer.write(initial)
                    // The server's graceful shutdown ends the stream (a stream never ends by itself, and the server
                    // waits for open responses).
                    try await withGracefulShutdownHandler {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                while !Task.isCancelled {
                                    try await Task.sleep(for: heartbeat)
                                    guard queue.pushHeartbeat() else { return }
                                }
                            }
                            for await item in queue.items {
                                var buffer = ByteBuffer()
                                switch item {
                                case .event(let event): try Self.appendEvent(event, to: &buffer)
                                case .heartbeat: buffer.writeString(": heartbeat\n\n")
                                }
                                try await writer.write(buffer)
                            }
                            group.cancelAll()
                        }
                    } onGracefulShutdown: {
                        queue.finish()
                    }
                    if queue.hasOverflowed {
                        // Cut off: the client fell too far behind. Throwing closes the connection.
                        try await writer.write(ByteBuffer(string: ": too slow, disconnected\n\n"))
                        throw PresenceStreamOverflow()
                    }
                    try await writer.finish(nil)
                }
            )
        }
        group.get(":user") { request, context in
            let service = try Self.requirePresence(presence)
            let user = try Self.parameter("user", context)
            guard let found = try await service.presence(of: user, as: try Self.viewer(of: request)) else {
                throw AdminAPIError.notFound("user", "presence knows no user named \"\(user)\"")
            }
            return try Self.json(found)
        }
        group.put(":user/status") { request, context in
            let service = try Self.requirePresence(presence)
            let user = try Self.parameter("user", context)
            let body = try await Self.decode(AdminAPI.PresenceStatusUpdate.self, from: request, entity: "presence")
            guard let status = UserRecord.PresenceStatus(rawValue: body.status) else {
                throw AdminAPIError.invalidValue(
                    "presence.status",
                    "presence status must be available, away, busy or dnd, not \"\(body.status)\""
                )
            }
            let note = body.note ?? ""
            try Self.checkNote(note)
            guard let updated = try await service.setStatus(of: user, status, note: note) else {
                throw AdminAPIError.notFound("user", "presence knows no user named \"\(user)\"")
            }
            return try Self.json(updated)
        }
    }

    /// The longest note: the presence service's limit.
    static let maximumPresenceNote = UserRecord.maximumPresenceNoteLength

    static func checkNote(_ note: String) throws {
        if note.count > maximumPresenceNote {
            throw AdminAPIError.invalidValue(
                "presence.note",
                "presence note must be at most \(maximumPresenceNote) characters, not \(note.count)"
            )
        }
        if note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw AdminAPIError.invalidValue(
                "presence.note",
                "presence note must not contain control characters (newlines, tabs)"
            )
        }
    }

    static func requirePresence(_ presence: (any AdminPresence)?) throws -> any AdminPresence {
        guard let presence else { throw AdminAPIError.unavailable("presence is not running") }
        return presence
    }

    /// `?as=USER`: the user the request looks as; nil (absent) is the administrator.
    static func viewer(of request: Request) throws -> String? {
        guard let value = request.uri.queryParameters.get("as") else { return nil }
        let name = value.removingPercentEncoding ?? value
        guard !name.isEmpty else { throw AdminAPIError.invalidValue("as", "as must name a user, not be empty") }
        return name
    }

    /// One Server-Sent Event: `id: SEQUENCE`, `event: presence`, `data: JSON` (one line: JSON escapes newlines,
    /// and notes have no control characters).
    static func appendEvent(_ event: AdminAPI.PresenceEvent, to buffer: inout ByteBuffer) throws {
        let data = try AdminAPI.makeEncoder().encode(event.presence)
        buffer.writeString("id: \(event.sequence)\nevent: presence\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
    }
}

/// A presence event stream's client fell behind; its connection is closed.
struct PresenceStreamOverflow: Error {}
