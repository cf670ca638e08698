public import Foundation

// A cluster's shared database on PostgreSQL: opening it, and the migrations' bookkeeping there (SQLite keeps GRDB's).

extension StrowgerDatabase {
    /// The advisory lock the migrations hold: two nodes that start at once migrate one after the other, and the
    /// second finds nothing left to do. ("STROWGER" in ASCII, an arbitrary key no other program is likely to use.)
    static let migrationLockKey: Int64 = 0x5354_524F_5747_4552

    /// Opens the PostgreSQL database at `url` and brings its schema up to date.
    ///
    /// Throws ``StoreError/Code/database`` if the server cannot be reached or refuses the user, or if the database
    /// was migrated by a newer Strowger (an older binary must not write to a schema it does not know).
    ///
    /// - Parameter password: nil for a server that asks none (trust or peer authentication); see
    ///   ``postgresPassword(file:environment:)``.
    public static func postgres(url: PostgresURL, password: String?) async throws -> StrowgerDatabase {
        let backend = PostgresBackend(url: url, password: password)
        try await migrate(backend)
        return StrowgerDatabase(migratedPostgres: backend)
    }

    /// The password for ``postgres(url:password:)``: the first line of `file` if one is given, else the
    /// `PGPASSWORD` environment variable, else nil.
    public static func postgresPassword(
        file: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String? {
        if let file {
            let contents: String
            do {
                contents = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw StoreError.database(
                    "cannot read the database password file \(file): \(error.localizedDescription)"
                )
            }
            let password = contents.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
            guard let password, !password.isEmpty else {
                throw StoreError.database("the database password file \(file) is empty")
            }
            return password.hasSuffix("\r") ? String(password.dropLast()) : password
        }
        return environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Applies the pending migrations in one transaction, under ``migrationLockKey``. The identifiers applied are
    /// kept in `strowgerMigration`.
    static func migrate(_ backend: PostgresBackend) async throws {
        let url = backend.url
        do {
            try await backend.migrate(migrations(url: url))
        } catch let error as SQLError {
            throw StoreError.database("\(url): \(error.message)")
        }
    }

    /// ``migrate(_:)`` waiting on the calling thread: for tests, never on a server's event loop or cooperative thread.
    static func migrateNow(_ backend: PostgresBackend) throws {
        let url = backend.url
        do {
            try backend.migrateNow(migrations(url: url))
        } catch let error as SQLError {
            throw StoreError.database("\(url): \(error.message)")
        }
    }

    /// The migration transaction's body.
    private static func migrations(url: PostgresURL) -> @Sendable (any SQLConnection) throws -> Void {
        let migrations = Self.migrations
        return { db in
            try db.execute("SELECT pg_advisory_xact_lock(?)", Self.migrationLockKey)
            try db.executeSchema(
                """
                CREATE TABLE IF NOT EXISTS strowgerMigration (
                    identifier TEXT PRIMARY KEY NOT NULL,
                    appliedAt BIGINT NOT NULL
                )
                """
            )
            let applied = Set(try db.fetchColumn(String.self, "SELECT identifier FROM strowgerMigration"))
            let unknown = applied.subtracting(migrations.map(\.identifier))
            guard unknown.isEmpty else {
                throw StoreError.database(
                    "\(url) was migrated by a newer version of Strowger (\(unknown.sorted().joined(separator: ", ")));"
                        + " upgrade Strowger to open it"
                )
            }
            let pending = migrations.filter { !applied.contains($0.identifier) }
            guard !pending.isEmpty else { return }
            // Names compare without regard to case (CITEXT). A trusted extension: the database's owner may
            // create it.
            try db.executeSchema("CREATE EXTENSION IF NOT EXISTS citext")
            let now = StoreTime.milliseconds(since1970: Date())
            for migration in pending {
                try migration.migrate(db)
                try db.execute(
                    "INSERT INTO strowgerMigration (identifier, appliedAt) VALUES (?, ?)",
                    migration.identifier,
                    now
                )
            }
        }
    }
}
