import GRDB

/// Where the Store's transactions run: SQLite through GRDB for one node, PostgreSQL for a cluster's shared store.
///
/// A body runs synchronously on the backend's own thread (never an event loop or a cooperative thread) inside one
/// transaction, which commits if the body returns and rolls back if it throws.
protocol SQLBackend: Sendable {
    var dialect: SQLDialect { get }

    /// Runs `body` in a read-only transaction that sees one consistent state.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in a write transaction; writes are serialized.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// The notifications sent on `channel` by any connection to the database (PostgreSQL's LISTEN/NOTIFY), or nil
    /// where there are none (SQLite: one process writes its database, and publishes its changes in-process).
    func notifications(channel: String) async throws -> AsyncStream<Void>?
}

extension SQLBackend {
    func notifications(channel: String) async throws -> AsyncStream<Void>? { nil }
}

/// The SQLite backend: GRDB's writer (a WAL `DatabasePool`, or a `DatabaseQueue` in memory for tests).
struct GRDBBackend: SQLBackend {
    let writer: any DatabaseWriter

    var dialect: SQLDialect { .sqlite }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writer.read { db in try body(db) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writer.write { db in try body(db) }
    }
}
