public import Foundation
public import GRDB

/// Strowger's database, migrated when it is opened: for one node SQLite, `strowger.db` in the data directory opened as
/// a GRDB `DatabasePool` in WAL mode (one writer, concurrent readers), or an in-memory `DatabaseQueue` for tests; for
/// a cluster PostgreSQL, shared by the nodes (``postgres(url:password:)``, docs/store.md).
///
/// Durability: every connection runs with `PRAGMA synchronous = FULL`, so in WAL mode each committed transaction is
/// fsynced to the WAL before the write returns. A write that returned survives a crash of the process (`kill -9`)
/// and of the machine. Configuration writes are rare and CDRs are written in batches, so the fsync per transaction
/// costs little.
public struct StrowgerDatabase: Sendable {
    /// The database file's name in the data directory (design.md "Defaults").
    public static let fileName = "strowger.db"

    /// Where the Store's transactions run.
    let backend: any SQLBackend

    /// The SQLite connection (GRDB), nil on PostgreSQL. The running server is the only writer of its file.
    public let sqliteWriter: (any DatabaseWriter)?

    /// Which database this is.
    public var dialect: SQLDialect { backend.dialect }

    /// The SQLite connection, for what only SQLite has (backups, checkpoints, and the Store code not yet written
    /// for ``SQLConnection``); on PostgreSQL it throws ``StoreError/Code/database``.
    var writer: any DatabaseWriter {
        get throws {
            guard let sqliteWriter else {
                throw StoreError.database("this operation needs the SQLite database; this store is on PostgreSQL")
            }
            return sqliteWriter
        }
    }

    /// Read access to the SQLite file, e.g. for diagnostics; all writes go through ``Store``. Throws on PostgreSQL.
    public var reader: any DatabaseReader {
        get throws { try writer }
    }

    /// Opens (creating it if needed) `strowger.db` in `directory`, creating the directory too, and migrates it.
    ///
    /// A new database file is created with mode 0600 before SQLite opens it; SQLite gives its `-wal` and `-shm`
    /// files the database file's mode, so none of the three is ever readable by others (issue 13).
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(Self.fileName)
        if !FileManager.default.fileExists(atPath: file.path) {
            try Self.createPrivateFile(at: file)
        }
        try self.init(path: file.path)
    }

    /// Opens (creating it if needed) the database file at `path` as a WAL `DatabasePool` and migrates it.
    public init(path: String) throws {
        try self.init(DatabasePool(path: path, configuration: Self.makeConfiguration()))
    }

    /// An empty database in memory, migrated: for tests. The migrations run once per process, into a template
    /// that each new database is copied from (SQLite's backup API): hundreds of tests each running every migration
    /// kept the test process's few threads busy for tens of seconds.
    public static func inMemory() throws -> StrowgerDatabase {
        let queue = try DatabaseQueue(configuration: makeConfiguration())
        try Self.migratedTemplate.get().backup(to: queue)
        return try StrowgerDatabase(queue)
    }

    /// A database on PostgreSQL whose schema is already current (a test's copy of a migrated template).
    init(migratedPostgres backend: PostgresBackend) {
        self.backend = backend
        self.sqliteWriter = nil
    }

    /// An empty database, migrated once, that ``inMemory()`` copies.
    private static let migratedTemplate: Result<DatabaseQueue, any Error> = Result {
        let queue = try DatabaseQueue(configuration: makeConfiguration())
        try migrator.migrate(queue)
        return queue
    }

    /// Wraps a connection made with ``makeConfiguration(_:)`` and migrates it.
    ///
    /// Throws ``StoreError/Code/database`` if the file was migrated by a newer Strowger: an older binary must not
    /// write to a schema it does not know.
    public init(_ writer: any DatabaseWriter) throws {
        self.backend = GRDBBackend(writer: writer)
        self.sqliteWriter = writer
        // GRDB's DatabasePool switches its writer connection to WAL with `synchronous = NORMAL` after
        // `prepareDatabase` ran, so FULL is set here, on the one connection that writes, once it is open.
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let migrator = Self.migrator
        try migrator.migrate(writer)
        if try writer.read({ db in try migrator.hasBeenSuperseded(db) }) {
            throw StoreError.database(
                "\(writer.path) was written by a newer version of Strowger; upgrade Strowger to open it"
            )
        }
    }

    /// The connection settings the Store relies on: foreign keys on, a busy timeout for the rare second process (a
    /// backup or the CLI reading the file), a bounded WAL. (`synchronous = FULL` is set by ``init(_:)``.)
    public static func makeConfiguration(_ base: Configuration = Configuration()) -> Configuration {
        var configuration = base
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "strowger"
        configuration.prepareDatabase { db in
            // Keep the WAL from staying large after a burst (it is truncated to this at checkpoints).
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        return configuration
    }
}
