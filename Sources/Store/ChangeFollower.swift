import CallControl

/// Keeps this node's call core, presence and trunks current with writes that other nodes make to a shared
/// PostgreSQL store (issue 19, item 1).
///
/// Every write that changes what the call core, presence or the trunks see also appends a row to the change log
/// (table `changeLog`: a sequence number and the writing node), in the same transaction, and on PostgreSQL wakes the
/// other nodes with `NOTIFY strowger_change`. A node's own writes reach its own subscribers exactly, after commit, as
/// on SQLite. Another node's writes are known here only as "the log grew": the follower then re-reads the
/// directory, the presence directory and the trunks, and publishes the difference from what it last read
/// (``DirectoryDiff``).
///
/// It re-reads inside a write transaction, which the backend serializes with this node's own writes, and publishes
/// after that transaction commits, so its changes and the node's own reach subscribers in commit order. The
/// difference may repeat a change of this node's own that a subscriber already has; every change is idempotent
/// (an upsert of the same value, a removal of something absent), so repeating it is harmless.
///
/// Catching up is by sequence number: the follower remembers the last entry it has seen, so a lost notification
/// (a dropped connection, a node that was down) is made good by the next check, which runs on every notification and
/// at least every `interval`. A node that restarts reads the whole directory at start anyway.
final class ChangeFollower: Sendable {
    private struct Base: Sendable {
        var sequence: Int64
        var directory: Directory
        var presence: PresenceDirectory
        var trunks: [TrunkRecord]
    }

    let node: String
    private let base = LockedState<Base?>(nil)

    init(node: String) {
        self.node = node
    }

    /// The last change-log entry the follower has seen (nil before ``start(_:)``).
    var sequence: Int64? { base.withLock { $0?.sequence } }

    /// Reads the snapshots the first difference is taken from. Call it before subscribers take their own
    /// snapshots, so that no other node's write falls between the two unseen.
    func start(_ store: Store) async throws {
        let read = try await store.transaction { db in
            Base(
                sequence: try Store.lastChangeSequence(db),
                directory: try Store.fetchDirectory(db),
                presence: try Store.fetchPresenceDirectory(db),
                trunks: try Store.fetchTrunks(db)
            )
        }
        base.withLock { $0 = read }
    }

    /// Checks the log once. Returns whether another node had written since the last check (and so whether
    /// anything may have been published).
    @discardableResult
    func check(_ store: Store) async throws -> Bool {
        guard let sequence else { return false }
        let node = self.node
        let base = self.base
        let broadcasters = (store.broadcaster, store.presenceBroadcaster, store.trunkBroadcaster)
        return try await store.transaction { db in
            let last = try Store.lastChangeSequence(db)
            guard last > sequence else { return false }
            // Entries from other nodes since the last check; or a gap, if the log was pruned past it (then assume so).
            let others = try db.fetchCount(
                "SELECT COUNT(*) FROM changeLog WHERE seq > ? AND node <> ?",
                sequence,
                node
            )
            let first = try db.fetchValue(Int64.self, "SELECT MIN(seq) FROM changeLog") ?? 0
            guard others > 0 || first > sequence + 1 else {
                base.withLock { $0?.sequence = last }
                return false
            }
            let directory = try Store.fetchDirectory(db)
            let presence = try Store.fetchPresenceDirectory(db)
            let trunks = try Store.fetchTrunks(db)
            let (changes, presenceChanges, trunksChanged) = base.withLock { current in
                guard let old = current else { return ([DirectoryChange](), [PresenceDirectoryChange](), false) }
                current = Base(sequence: last, directory: directory, presence: presence, trunks: trunks)
                return (
                    DirectoryDiff.changes(from: old.directory, to: directory),
                    DirectoryDiff.changes(from: old.presence, to: presence),
                    old.trunks != trunks
                )
            }
            db.afterCommit {
                if !changes.isEmpty { broadcasters.0.publish(changes) }
                if !presenceChanges.isEmpty { broadcasters.1.publish(presenceChanges) }
                if trunksChanged { broadcasters.2.publish([trunks]) }
            }
            return true
        }
    }
}
