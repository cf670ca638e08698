import Foundation
import Logging
import ServiceLifecycle
import Store

extension StrowgerApplication {
    /// Opens the Store: the SQLite database in the data directory, or the PostgreSQL database a cluster's nodes
    /// share (`--database`, docs/store.md). On PostgreSQL the Store is also made ready to follow the other nodes'
    /// writes (``ChangeLogFollower``) before anything takes its snapshot of the configuration, so that a write made
    /// elsewhere in between is not missed.
    static func openStore(
        _ configuration: ServerConfiguration,
        dataDirectory: URL,
        logger: Logger
    ) async throws -> Store {
        let node = configuration.clusterNode?.name ?? "local"
        guard let url = configuration.database else {
            do {
                return Store(
                    database: try await offThePool { try StrowgerDatabase(directory: dataDirectory) },
                    node: node
                )
            } catch {
                throw StrowgerConfigurationError(
                    "cannot open the database in \(configuration.dataDirectory): \(error)"
                )
            }
        }
        let store: Store
        do {
            store = Store(
                database: try await StrowgerDatabase.postgres(url: url, password: configuration.databasePassword),
                node: node
            )
            try await store.prepareToFollowOtherNodes()
        } catch {
            throw StrowgerConfigurationError("cannot open the database \(url): \(error)")
        }
        logger.notice("Opened the shared database", metadata: ["database": "\(url)", "node": "\(node)"])
        return store
    }
}

/// Publishes other nodes' writes to a shared PostgreSQL database to this node's call core, presence and SIP service
/// (`Store.followOtherNodes`): on each NOTIFY and at least every second. Not run on SQLite, where this node is the
/// only writer.
final class ChangeLogFollower: Service, Sendable {
    private let store: Store

    init(store: Store) {
        self.store = store
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.store.followOtherNodes(every: .seconds(1))
        }
    }
}
