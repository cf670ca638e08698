import NIOConcurrencyHelpers
public import Store

/// What the admin API needs from the running presence service (docs/presence.md). The composition root implements
/// it on top of the CallControl host's presence engine.
///
/// `viewer` is the user a request looks as (`?as=USER`): users who hide from them are shown hidden. nil is the
/// administrator's own view, which sees everyone. An unknown viewer throws ``AdminAPIError`` `invalidValue` naming
/// the `as` field.
public protocol AdminPresence: Sendable {
    /// Every user's presence, by name.
    func allPresence(as viewer: String?) async throws -> [AdminAPI.Presence]
    /// One user's presence; nil when presence does not know the name.
    func presence(of user: String, as viewer: String?) async throws -> AdminAPI.Presence?
    /// Sets a user's status (kept in the Store for a user with a record) and returns the presence as the
    /// administrator sees it; nil when presence does not know the name. `note` is already checked.
    func setStatus(
        of user: String,
        _ status: UserRecord.PresenceStatus,
        note: String
    ) async throws
        -> AdminAPI.Presence?
    /// Subscribes `queue` to every change after the returned snapshot (every user's presence now). `cancel` ends the
    /// subscription.
    func subscribe(
        as viewer: String?,
        queue: PresenceEventQueue
    ) async throws -> (
        snapshot: [AdminAPI.PresenceEvent], cancel: @Sendable () -> Void
    )
}

/// The bounded queue between the presence service and one event-stream connection.
///
/// The service pushes without waiting; the connection takes items as fast as its client reads. A client that falls
/// ``limit`` items behind is cut off: the queue finishes, ``hasOverflowed`` is true, and further pushes fail, so that
/// a slow client never makes the server buffer without bound (design.md: every queue a peer can grow has a bound).
public final class PresenceEventQueue: Sendable {
    /// What the connection writes.
    public enum Item: Hashable, Sendable {
        case event(AdminAPI.PresenceEvent)
        /// A comment line that keeps proxies and clients from timing the stream out.
        case heartbeat
    }

    /// How many items may wait for the client.
    public let limit: Int
    /// The items, in the order pushed. Ends at overflow or ``finish()``.
    public let items: AsyncStream<Item>
    private let continuation: AsyncStream<Item>.Continuation
    private let overflowed = NIOLockedValueBox(false)

    public init(limit: Int) {
        self.limit = max(1, limit)
        (self.items, self.continuation) = AsyncStream.makeStream(
            of: Item.self,
            bufferingPolicy: .bufferingOldest(max(1, limit))
        )
    }

    /// Queues an event; false if the queue is finished (now, because the client is `limit` items behind, or
    /// before).
    @discardableResult
    public func push(_ event: AdminAPI.PresenceEvent) -> Bool {
        self.push(.event(event))
    }

    /// Queues a heartbeat; it counts against the limit like an event (a client that reads nothing overflows).
    @discardableResult
    public func pushHeartbeat() -> Bool {
        self.push(.heartbeat)
    }

    private func push(_ item: Item) -> Bool {
        switch self.continuation.yield(item) {
        case .enqueued:
            return true
        case .dropped:
            self.overflowed.withLockedValue { $0 = true }
            self.continuation.finish()
            return false
        case .terminated:
            return false
        @unknown default:
            return false
        }
    }

    /// Whether the queue ended because the client fell behind.
    public var hasOverflowed: Bool {
        self.overflowed.withLockedValue { $0 }
    }

    /// Ends the items (the connection closed).
    public func finish() {
        self.continuation.finish()
    }
}
