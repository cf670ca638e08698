import Foundation
import Testing

@testable import Store

/// Which database the Store suite runs on: SQLite unless `STROWGER_TEST_STORE_BACKEND=postgres` (scripts/test runs
/// the suite a second time that way, against its private server at `STROWGER_TEST_POSTGRES_URL`).
enum TestStoreBackend {
    static let isPostgres = ProcessInfo.processInfo.environment["STROWGER_TEST_STORE_BACKEND"] == "postgres"
}

extension Trait where Self == ConditionTrait {
    /// For a test of SQLite itself (its file, GRDB's migrations of older files, the writer): not run on the
    /// PostgreSQL pass.
    static var sqliteOnly: Self {
        .disabled(if: TestStoreBackend.isPostgres, "tests SQLite itself (the file, GRDB, the writer)")
    }

    /// Needs the test PostgreSQL server (scripts/test-postgres).
    static var needsPostgres: Self {
        .enabled(if: TestPostgres.url != nil, "STROWGER_TEST_POSTGRES_URL is not set (scripts/test sets it)")
    }
}

/// Throwaway databases on the test PostgreSQL server: each test gets its own, copied from a template migrated once
/// per process (as SQLite's in-memory databases are), and dropped when the test's store is released.
final class TestPostgres: Sendable {
    /// The server's administration database (`postgres`), from `STROWGER_TEST_POSTGRES_URL`.
    static let url: PostgresURL? = ProcessInfo.processInfo.environment["STROWGER_TEST_POSTGRES_URL"]
        .flatMap { try? PostgresURL(parsing: $0) }

    static let shared: Result<TestPostgres, any Error> = Result { try TestPostgres() }

    let url: PostgresURL
    /// Runs CREATE and DROP DATABASE, one at a time.
    let admin: PostgresBackend
    let template: String

    private init() throws {
        guard let url = Self.url else { throw StoreError.database("STROWGER_TEST_POSTGRES_URL is not set") }
        self.url = url
        admin = PostgresBackend(url: url, password: nil)
        template = Self.uniqueName("strowger_template")
        try admin.withoutTransaction { db in try db.execute("CREATE DATABASE \(template)") }
        let backend = PostgresBackend(url: url.with(database: template), password: nil)
        try StrowgerDatabase.migrateNow(backend)
        // A template may have no connections while it is copied.
        backend.closeNow()
    }

    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// A migrated database of its own; dropped when the last copy of the returned value is released.
    func makeDatabase() throws -> StrowgerDatabase {
        let name = Self.uniqueName("strowger_test")
        try admin.withoutTransaction { db in try db.execute("CREATE DATABASE \(name) TEMPLATE \(template)") }
        let backend = PostgresBackend(url: url.with(database: name), password: nil, onClose: dropper(name))
        return StrowgerDatabase(migratedPostgres: backend)
    }

    /// An empty database (no schema): its URL. Drop it with ``drop(_:)``.
    func makeEmptyDatabase() throws -> PostgresURL {
        let name = Self.uniqueName("strowger_empty")
        try admin.withoutTransaction { db in try db.execute("CREATE DATABASE \(name)") }
        return url.with(database: name)
    }

    func drop(_ database: PostgresURL) {
        dropper(database.database)()
    }

    private func dropper(_ name: String) -> @Sendable () -> Void {
        let admin = self.admin
        return {
            _ = try? admin.withoutTransaction { db in try db.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
    }
}

/// A fresh, migrated database on the backend the suite runs on.
func makeTestDatabase() throws -> StrowgerDatabase {
    if TestStoreBackend.isPostgres {
        return try TestPostgres.shared.get().makeDatabase()
    }
    return try StrowgerDatabase.inMemory()
}

extension TestPostgres {
    /// Two nodes' views of one throwaway database: two backends with their own connections, as two servers have.
    /// The database is dropped when the first is released.
    func makeSharedDatabase() throws -> (StrowgerDatabase, StrowgerDatabase) {
        let first = try makeDatabase()
        guard let backend = first.backend as? PostgresBackend else {
            throw StoreError.database("the test database is not on PostgreSQL")
        }
        let second = PostgresBackend(url: backend.url, password: nil)
        return (first, StrowgerDatabase(migratedPostgres: second))
    }
}
