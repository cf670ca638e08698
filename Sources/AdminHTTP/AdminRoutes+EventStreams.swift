import Hummingbird
import NIOConcurrencyHelpers

/// How many Server-Sent Event streams the admin API serves at once.
///
/// Each stream holds a connection, a task and a queue of up to ``AdminRoutes/presenceQueueLimit`` events; with no
/// cap, 1,000 streams took 190 MiB (issue 13). A stream over either cap is refused before it starts.
public struct EventStreamLimits: Hashable, Sendable {
    /// Streams open at once from everyone: room for several administrators and dashboards, a few MiB in all. Over
    /// it: 503.
    public var maximumStreams: Int
    /// Streams open at once from one client (its address and token): a couple of browser tabs, a dashboard and the
    /// CLI. Over it: 429.
    public var maximumStreamsPerClient: Int

    public init(maximumStreams: Int = 64, maximumStreamsPerClient: Int = 8) {
        self.maximumStreams = maximumStreams
        self.maximumStreamsPerClient = maximumStreamsPerClient
    }
}

/// What the event-stream caps have done, for `/metrics`.
public struct EventStreamStatistics: Hashable, Sendable {
    /// Streams open now.
    public var open = 0
    /// Streams refused because the client held its share.
    public var refusedPerClient = 0
    /// Streams refused because the server held its maximum.
    public var refusedTotal = 0

    public init() {}
}

/// The event streams open now, by client, counted against ``EventStreamLimits``.
final class EventStreamRegistry: Sendable {
    private struct State {
        var byClient: [String: Int] = [:]
        var statistics = EventStreamStatistics()
    }

    private let state = NIOLockedValueBox(State())

    var statistics: EventStreamStatistics { self.state.withLockedValue { $0.statistics } }

    /// Counts a new stream for `client`, or throws the API error that refuses it.
    func open(client: String, limits: EventStreamLimits) throws -> EventStreamTicket {
        let refusal = self.state.withLockedValue { state -> AdminAPIError? in
            guard state.statistics.open < limits.maximumStreams else {
                state.statistics.refusedTotal += 1
                return .unavailable(
                    "the server already serves \(limits.maximumStreams) event streams, its maximum; try again later"
                )
            }
            guard state.byClient[client, default: 0] < limits.maximumStreamsPerClient else {
                state.statistics.refusedPerClient += 1
                return .tooManyRequests(
                    "this client already holds \(limits.maximumStreamsPerClient) event streams, the most one client"
                        + " may; close one first"
                )
            }
            state.byClient[client, default: 0] += 1
            state.statistics.open += 1
            return nil
        }
        if let refusal { throw refusal }
        return EventStreamTicket(registry: self, client: client)
    }

    fileprivate func close(client: String) {
        self.state.withLockedValue { state in
            let remaining = state.byClient[client, default: 1] - 1
            state.byClient[client] = remaining > 0 ? remaining : nil
            state.statistics.open = max(0, state.statistics.open - 1)
        }
    }
}

/// One counted stream; released once, by ``release()`` or when it is dropped.
final class EventStreamTicket: Sendable {
    private let registry: EventStreamRegistry
    private let client: String
    private let released = NIOLockedValueBox(false)

    fileprivate init(registry: EventStreamRegistry, client: String) {
        self.registry = registry
        self.client = client
    }

    func release() {
        let first = self.released.withLockedValue { released in
            defer { released = true }
            return !released
        }
        if first { self.registry.close(client: self.client) }
    }

    deinit {
        self.release()
    }
}

extension AdminRoutes {
    /// The event streams' counts (open, refused), for `/metrics`.
    public func eventStreamStatistics() -> EventStreamStatistics {
        self.eventStreams.statistics
    }

    /// Who a stream counts against: the peer's address and the token it authenticated with.
    static func eventStreamClient(_ context: Context) -> String {
        "\(context.remoteAddress?.ipAddress ?? "unknown") \(context.tokenName ?? "-")"
    }
}
