import CallControl

/// Hands each committed batch of changes (``DirectoryChange`` values for CallControl, ``PresenceDirectoryChange``
/// values for presence) to every subscriber, in commit order.
///
/// ``publish(_:)`` is only called from GRDB's commit callbacks, which run one at a time on the writer's queue, so
/// subscribers see changes in the order the transactions committed. Each subscriber's stream buffers without bound:
/// a change that was dropped would leave CallControl routing on stale data, and the rate is that of administrative
/// writes (the consumer, CallControl's host, drains it as fast as it applies events).
final class ChangeBroadcaster<Change: Sendable>: Sendable {
    private struct Subscribers {
        var nextID = 0
        var continuations: [Int: AsyncStream<Change>.Continuation] = [:]
    }

    private let subscribers = LockedState(Subscribers())

    func subscribe() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .unbounded)
        let id = subscribers.withLock { subscribers in
            let id = subscribers.nextID
            subscribers.nextID += 1
            subscribers.continuations[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ changes: [Change]) {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations {
            for change in changes { continuation.yield(change) }
        }
    }

    /// Ends every subscriber's stream.
    func finish() {
        let continuations = subscribers.withLock { subscribers in
            defer { subscribers.continuations = [:] }
            return Array(subscribers.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
