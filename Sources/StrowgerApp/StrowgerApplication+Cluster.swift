import AdminHTTP
import CallRuntime
import Cluster
import ServerNIO
import Store

extension StrowgerApplication {
    /// The cluster port's node settings for `configuration.clusterNode` (nil when this server is not a node): the
    /// node table comes from the Store, the heartbeat figures from the call core.
    static func clusterNodeSettings(
        _ options: ClusterNodeOptions?,
        store: Store,
        host: CallControlHost,
        locations: ClusterLocationFeed?
    ) throws -> ClusterNodeSettings? {
        guard let options, let locations else { return nil }
        guard let name = ClusterNodeName(options.name) else {
            throw ClusterNodeOptions.Failure(description: "--node \(options.name) is not a valid node name")
        }
        let secret: ClusterSecret
        do {
            secret = try ClusterSecret(bytes: options.secret)
        } catch {
            throw ClusterNodeOptions.Failure(description: "\(error)")
        }
        return ClusterNodeSettings(
            name: name,
            secret: secret,
            heartbeatInterval: .milliseconds(Int64(options.heartbeatSeconds * 1_000)),
            nodeTable: {
                try await store.nodes().compactMap { record in
                    record.endpoint.map { ClusterPeer(name: record.name, host: $0.host, port: $0.port) }
                }
            },
            figures: {
                guard let status = try? await host.status() else { return (0, 0) }
                return (status.registeredDevices, status.activeCalls)
            },
            locations: locations
        )
    }

    /// What the banner says about the cluster port.
    var clusterSummary: String {
        guard let node = self.configuration.clusterNode else {
            return "Cluster on UDP port \(configuration.clusterPort): not a cluster node (no --node); every datagram"
                + " is dropped and counted"
        }
        return "Cluster on UDP port \(configuration.clusterPort) as node \(node.name): heartbeats every"
            + " \(node.heartbeatSeconds) s to the nodes of `strowger node list`; calls across nodes, failover and a"
            + " shared store are not built yet"
    }
}

/// `GET /api/status/cluster` from the cluster listener.
struct ClusterStatusSource: AdminClusterStatus {
    let listener: ClusterListener

    func clusterStatus() async -> AdminAPI.ClusterStatus {
        guard let nodes = await self.listener.clusterStatus() else {
            return AdminAPI.ClusterStatus(node: nil, nodes: [])
        }
        return AdminAPI.ClusterStatus(
            node: nodes.first?.name,
            nodes: nodes.map { node in
                AdminAPI.ClusterNodeStatus(
                    name: node.name,
                    address: node.address,
                    state: node.state,
                    secondsSinceHeard: node.secondsSinceHeard,
                    registeredDevices: node.registeredDevices,
                    activeCalls: node.activeCalls
                )
            }
        )
    }
}
