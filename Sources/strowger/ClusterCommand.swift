import ArgumentParser
import Foundation
import Store
import StrowgerApp

/// `strowger cluster init`: the first step from one node to a cluster (issue 19, item 5; README "Run a cluster").
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Prepare the PostgreSQL database a cluster's nodes share.",
        subcommands: [Init.self]
    )

    /// Copies a stopped node's SQLite store into a new PostgreSQL database (StoreCopy in the Store).
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Copy a stopped node's whole database into a new PostgreSQL database for the cluster.",
            discussion: """
                Every device, line, user, group, route pattern, trunk, setting, token, web account, node and call \
                record is copied with its id, in one transaction: all of it or nothing. Each table's rows are then \
                counted on both sides; if any count differs, nothing is copied. The database must hold no \
                configuration yet (the schema is created if it is missing). Signed-in web sessions and the change \
                log are not copied. The node's server must be stopped. The password comes from \
                --database-password-file (its first line) or PGPASSWORD.
                """
        )

        @Option(name: .customLong("data-dir"), help: "The stopped node's data directory (its strowger.db is copied).")
        var dataDirectory: String = ServerConfiguration().dataDirectory
        @Option(
            name: .customLong("database"),
            help: "The cluster's database: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=verify-full&sslrootcert=F]."
        )
        var database: String
        @Option(
            name: .customLong("database-password-file"),
            help: "A file whose first line is the database password (else PGPASSWORD; none for trust)."
        )
        var passwordFile: String?
        @Flag(name: .customLong("json"), help: "Print JSON (for scripts).")
        var json = false

        func run() async throws {
            let url: PostgresURL
            do {
                url = try PostgresURL(parsing: database)
            } catch let error as StoreError {
                throw ValidationError("--database: \(error.message)")
            }
            let password: String?
            do {
                password = try StrowgerDatabase.postgresPassword(file: passwordFile)
            } catch let error as StoreError {
                throw Failure(error.message)
            }
            let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
            let file = directory.appendingPathComponent(StrowgerDatabase.fileName)
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw Failure(
                    "there is no Strowger database in \(directory.path) (no \(StrowgerDatabase.fileName)); give"
                        + " --data-dir of the node whose configuration the cluster starts from"
                )
            }
            // The node's server must not write while its database is read (and a node must not start on it before
            // the copy is known to be complete).
            let lock = try DataDirectoryLock.acquire(in: directory, purpose: "copy its database into the cluster's")
            defer { lock.release() }

            let target: StrowgerDatabase
            do {
                target = try await StrowgerDatabase.postgres(url: url, password: password)
            } catch let error as StoreError {
                throw Failure("cannot open the cluster database: \(error.message)")
            }
            let source: StrowgerDatabase
            do {
                // Brought to this version's schema first, as strowger serve would: the target has that schema.
                source = try StrowgerDatabase(directory: directory)
            } catch {
                throw Failure("cannot open \(file.path): \(error)")
            }
            let counts: [StoreCopy.TableCount]
            do {
                counts = try await StoreCopy.copy(from: source, to: target)
            } catch let error as StoreError {
                throw Failure("nothing was copied to \(url): \(error.message)")
            }
            let rows = counts.reduce(0) { $0 + $1.target }
            if json {
                return try Output.json(Report(database: url.description, source: file.path, rows: rows, tables: counts))
            }
            Output.table(
                ["Table", "SQLite", "PostgreSQL"],
                counts.map { [$0.table, String($0.source), String($0.target)] },
                empty: "No tables."
            )
            print(
                "Copied \(rows) rows in \(counts.count) tables from \(file.path) to \(url); every table's count matches."
            )
            let skipped = StoreCopy.skippedTables.map { "\($0.name) (\($0.reason))" }
            print("Not copied: \(skipped.joined(separator: "; ")).")
            print("Next: start each node with strowger serve --node NAME --database URL (README, \"Run a cluster\").")
        }

        struct Report: Encodable {
            var database: String
            var source: String
            var rows: Int
            var tables: [StoreCopy.TableCount]
        }
    }

    /// Why `strowger cluster init` copied nothing, printed as `Error: <description>`.
    struct Failure: Error, CustomStringConvertible {
        let description: String

        init(_ description: String) {
            self.description = description
        }
    }
}
