import Dispatch
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The PostgreSQL backend: the database a cluster's nodes share, through postgres-nio.
///
/// The Store's queries are synchronous closures (``SQLConnection``), so each transaction runs on a Dispatch queue of
/// this backend that waits for every statement's answer; the event loops only carry the bytes. Two connections:
///
/// - Writes go through one connection, one transaction at a time, `SERIALIZABLE`: a write sees every write committed
///   before it, whichever node made it, and a write that raced another node's is refused by PostgreSQL (SQLSTATE
///   40001, or 40P01 for a deadlock) and run again from the start, up to ``maximumAttempts`` times. The
///   `afterCommit` actions of an attempt that failed are dropped; those of the one that committed run after COMMIT,
///   on the writer queue, so in commit order.
/// - Reads go through a second connection, `REPEATABLE READ READ ONLY`: one consistent snapshot per read.
///
/// A connection that was lost (the server restarted, an administrator ended it) is replaced on the next
/// transaction; the transaction that was running when it went fails.
final class PostgresBackend: SQLBackend {
    /// How many times a write runs when PostgreSQL keeps refusing it as a serialization failure: the first time and
    /// three retries.
    static let maximumAttempts = 4

    /// How each kind of transaction begins (see the type's comment and ``migrate(_:)``).
    static let beginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    static let beginWrite = "BEGIN ISOLATION LEVEL SERIALIZABLE"
    static let beginMigration = "BEGIN ISOLATION LEVEL READ COMMITTED"

    let url: PostgresURL
    private let password: String?
    private let group: any EventLoopGroup
    private let logger: Logger
    private let writer: PostgresSession
    private let reader: PostgresSession
    /// Run once the backend is released and its connections closed (tests drop their throwaway database).
    private let onClose: (@Sendable () -> Void)?

    var dialect: SQLDialect { .postgres }

    /// Connects lazily: the first transaction opens the connection. `password` nil: none (trust or peer
    /// authentication).
    init(
        url: PostgresURL,
        password: String?,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "strowger.postgres"),
        onClose: (@Sendable () -> Void)? = nil
    ) {
        self.url = url
        self.password = password
        self.group = group
        self.logger = logger
        let connect: @Sendable () throws -> PostgresSQLConnection = {
            try PostgresSQLConnection.connect(url: url, password: password, group: group, logger: logger)
        }
        self.writer = PostgresSession(label: "strowger.postgres.writer", connect: connect)
        self.reader = PostgresSession(label: "strowger.postgres.reader", connect: connect)
        self.onClose = onClose
    }

    deinit {
        let onClose = self.onClose
        let reader = self.reader
        writer.close {
            reader.close { onClose?() }
        }
    }

    /// The notifications on `channel`, from a third connection that does nothing but LISTEN. When that connection is
    /// lost it is made again (every `retry`). The stream also yields once each time the LISTEN takes effect: a
    /// notification may have been sent before (at start) or missed meanwhile (after a reconnection), and the
    /// listener's answer to one is to look at the database anyway.
    func notifications(channel: String) async throws -> AsyncStream<Void>? {
        try notifications(channel: channel, retry: .seconds(1))
    }

    func notifications(channel: String, retry: Duration) throws -> AsyncStream<Void> {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try url.configuration(password: password)
        } catch {
            throw SQLError(.other, "TLS settings for \(url): \(error)")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let group = self.group
        let logger = self.logger
        let url = self.url
        let listener = Task {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(
                        on: group.next(),
                        configuration: configuration,
                        id: Int.random(in: 1...Int(Int32.max)),
                        logger: logger
                    )
                    // Closing the connection is what ends a wait for the next notification.
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: channel) { notifications in
                            // Once listening (the first time too): whatever was sent before LISTEN took effect is
                            // looked for now, so that nothing falls between the caller's start and this.
                            continuation.yield()
                            for try await _ in notifications { continuation.yield() }
                        }
                    } onCancel: {
                        let closed: EventLoopFuture<Void> = connection.close()
                        _ = closed
                    }
                    try? await connection.close()
                } catch {
                    if Task.isCancelled { break }
                    logger.warning(
                        "Lost the database's notifications; trying again",
                        metadata: ["database": "\(url)", "error": "\(error)"]
                    )
                }
                try? await Task.sleep(for: retry)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listener.cancel() }
        return stream
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let reader = self.reader
        return try await reader.perform {
            try Self.transaction(reader, begin: Self.beginRead, retrying: true, body)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let writer = self.writer
        return try await writer.perform {
            try Self.transaction(writer, begin: Self.beginWrite, retrying: true, body)
        }
    }

    /// ``write(_:)`` waiting on the calling thread: for tests and tools, never an event loop or a cooperative
    /// thread of a server.
    func writeNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.performNow {
            try Self.transaction(writer, begin: Self.beginWrite, retrying: true, body)
        }
    }

    /// ``read(_:)`` waiting on the calling thread (see ``writeNow(_:)``).
    func readNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try reader.performNow {
            try Self.transaction(reader, begin: Self.beginRead, retrying: true, body)
        }
    }

    /// A `READ COMMITTED` write transaction without retries, for the migrations: they take an advisory lock first
    /// and must then see what another node committed while they waited for it, which a snapshot taken at the
    /// transaction's first statement would hide.
    func migrate<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let writer = self.writer
        return try await writer.perform {
            try Self.transaction(writer, begin: Self.beginMigration, retrying: false, body)
        }
    }

    /// ``migrate(_:)`` waiting on the calling thread (see ``writeNow(_:)``).
    func migrateNow<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.performNow {
            try Self.transaction(writer, begin: Self.beginMigration, retrying: false, body)
        }
    }

    /// Closes both connections now, waiting on the calling thread; the next transaction connects again.
    func closeNow() {
        writer.closeNow()
        reader.closeNow()
    }

    /// Statements that cannot run in a transaction (`CREATE DATABASE`), on the writer connection, waiting on the
    /// calling thread (see ``writeNow(_:)``).
    func withoutTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.performNow { try body(try writer.connection()) }
    }

    /// Runs `body` in one transaction on `session`'s connection (on its queue).
    private static func transaction<T>(
        _ session: PostgresSession,
        begin: String,
        retrying: Bool,
        _ body: (any SQLConnection) throws -> T
    ) throws -> T {
        var attempt = 1
        while true {
            let connection = try session.begin(begin)
            do {
                let value: T
                do {
                    value = try body(connection)
                } catch {
                    // The statement that failed is the reason, whatever the body made of it.
                    let reason = connection.failure ?? error
                    if !connection.isClosed { try? connection.rollback() }
                    if connection.failure?.kind == .serialization { throw connection.failure ?? reason }
                    throw error
                }
                try connection.commit()
                let actions = connection.pendingActions
                for action in actions { action() }
                return value
            } catch let error as SQLError where error.kind == .serialization && retrying {
                guard attempt < maximumAttempts else {
                    throw SQLError(
                        .serialization,
                        "\(error.message); gave up after \(maximumAttempts) attempts (other nodes keep writing the same rows)"
                    )
                }
                attempt += 1
            }
        }
    }
}

/// One connection and the Dispatch queue that owns it: every use of the connection happens on the queue.
final class PostgresSession: @unchecked Sendable {
    private let queue: DispatchQueue
    private let connect: @Sendable () throws -> PostgresSQLConnection
    /// Only touched on `queue`.
    private var current: PostgresSQLConnection?

    init(label: String, connect: @escaping @Sendable () throws -> PostgresSQLConnection) {
        self.queue = DispatchQueue(label: label)
        self.connect = connect
    }

    /// Runs `work` on the queue; the caller's task is suspended, not blocked.
    func perform<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    /// Runs `work` on the queue, the calling thread waiting for it.
    func performNow<T>(_ work: () throws -> T) throws -> T {
        try queue.sync(execute: work)
    }

    /// The open connection, connecting (again) if there is none or it was closed. On the queue only.
    func connection() throws -> PostgresSQLConnection {
        if let current, !current.isClosed { return current }
        current = nil
        let fresh = try connect()
        current = fresh
        return fresh
    }

    /// Starts a transaction. If the connection turns out to be dead (the server ended it since the last use, and
    /// the client had not noticed yet), a new one is made and the transaction started on it: nothing ran yet, so
    /// nothing is lost by trying again.
    func begin(_ statement: String) throws -> PostgresSQLConnection {
        let connection = try connection()
        do {
            try connection.begin(statement)
            return connection
        } catch {
            connection.close()
            current = nil
            let fresh = try self.connection()
            try fresh.begin(statement)
            return fresh
        }
    }

    /// Closes the connection, waiting on the calling thread.
    func closeNow() {
        queue.sync {
            current?.close()
            current = nil
        }
    }

    /// Closes the connection on the queue, then calls `completion` there.
    func close(completion: @escaping @Sendable () -> Void) {
        queue.async {
            self.current?.close()
            self.current = nil
            completion()
        }
    }
}
