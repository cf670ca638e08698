import Foundation

/// The change log (issue 19, item 1): one row per committed write that changed what the call core, presence or the
/// SIP trunks see, written in the same transaction as the change, so that nodes sharing a PostgreSQL database learn
/// of each other's writes (``ChangeFollower``). On SQLite, one node's own database, the log is written the same way and
/// its changes reach subscribers in-process, after commit.
extension Store {
    /// The PostgreSQL notification channel a write announces itself on.
    static let changeChannel = "strowger_change"

    /// How many entries the log keeps: a follower checks at least every second, and one that falls further behind
    /// (or starts) reads the whole directory, so old entries serve nobody.
    static let changeLogRetention: Int64 = 4096

    /// Appends this transaction's entry, wakes the other nodes (on PostgreSQL, delivered when it commits), and every
    /// so often drops entries older than the retention.
    static func appendToChangeLog(_ db: any SQLConnection, node: String) throws {
        let now = Date()
        guard
            let sequence = try db.fetchValue(
                Int64.self,
                "INSERT INTO changeLog (node, at) VALUES (?, ?) RETURNING seq",
                node,
                now
            )
        else { throw SQLError(.other, "INSERT INTO changeLog returned no sequence number") }
        if db.dialect == .postgres {
            _ = try db.fetchAll("SELECT pg_notify(?, ?)", changeChannel, node)
        }
        if sequence % 256 == 0 {
            try db.execute("DELETE FROM changeLog WHERE seq <= ?", sequence - changeLogRetention)
        }
    }

    /// The last entry's sequence number, 0 for an empty log.
    static func lastChangeSequence(_ db: any SQLConnection) throws -> Int64 {
        try db.fetchValue(Int64.self, "SELECT COALESCE(MAX(seq), 0) FROM changeLog") ?? 0
    }

    /// The last entry in the change log: (sequence number, node), or nil if it is empty. For `strowger show cluster`
    /// and tests.
    public func lastChange() async throws -> (sequence: Int64, node: String)? {
        try await read { db in
            try db.fetchOne("SELECT seq, node FROM changeLog ORDER BY seq DESC LIMIT 1").map {
                (try $0.get(0, as: Int64.self), try $0.get(1, as: String.self))
            }
        }
    }

    /// Reads the snapshots that other nodes' writes are compared with. Call it before this node's call core,
    /// presence and SIP service take their own snapshots (``directoryAndChanges()`` and the like), and then run
    /// ``followOtherNodes(every:)``: a write by another node in between is then published, not lost.
    public func prepareToFollowOtherNodes() async throws {
        try await follower.start(self)
    }

    /// Publishes other nodes' writes to this node's subscribers until the task is cancelled: checks the change log on
    /// every notification from the database (PostgreSQL's LISTEN) and at least every `interval`. A failed check
    /// (the database unreachable) is retried at the next one.
    public func followOtherNodes(every interval: Duration = .seconds(1)) async throws {
        if follower.sequence == nil { try await follower.start(self) }
        let notifications = try await backend.notifications(channel: Self.changeChannel)
        let (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield()
                }
            }
            if let notifications {
                group.addTask {
                    for await _ in notifications { continuation.yield() }
                }
            }
            for await _ in wakeups {
                if Task.isCancelled { break }
                _ = try? await follower.check(self)
            }
            group.cancelAll()
        }
    }
}
