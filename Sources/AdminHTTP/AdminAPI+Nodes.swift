extension AdminAPI {
    // MARK: - Cluster nodes

    /// A node of the cluster (`/api/nodes`, docs/cluster.md): its name and the address of its cluster port.
    public struct Node: Codable, Hashable, Sendable {
        /// The node's name, as `strowger serve --node` gives it: 1–63 of letters, digits, `-`, `_` and `.`.
        public var name: String
        /// Its cluster port: an IP address with an optional port (8500 if none), e.g. `192.0.2.11` or
        /// `[2001:db8::11]:8501`.
        public var address: String

        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }
}

extension AdminAPI {
    /// `GET /api/status/cluster`: this node and what it knows of the others (`strowger show cluster`).
    public struct ClusterStatus: Codable, Hashable, Sendable {
        /// This server's node name; absent when it is not a cluster node (then `nodes` is empty).
        public var node: String?
        /// This node first, then its peers by name.
        public var nodes: [ClusterNodeStatus]

        public init(node: String?, nodes: [ClusterNodeStatus]) {
            self.node = node
            self.nodes = nodes
        }
    }

    /// One node as this node sees it.
    public struct ClusterNodeStatus: Codable, Hashable, Sendable {
        public var name: String
        /// Its cluster port, `host:port`.
        public var address: String
        /// `self`, `unknown` (not heard since this node started), `up` or `down` (silent for three heartbeats).
        public var state: String
        /// Seconds since its last accepted datagram; absent if none.
        public var secondsSinceHeard: Double?
        /// Devices registered with it, and calls on it, as its last heartbeat said.
        public var registeredDevices: Int
        public var activeCalls: Int

        public init(
            name: String,
            address: String,
            state: String,
            secondsSinceHeard: Double?,
            registeredDevices: Int,
            activeCalls: Int
        ) {
            self.name = name
            self.address = address
            self.state = state
            self.secondsSinceHeard = secondsSinceHeard
            self.registeredDevices = registeredDevices
            self.activeCalls = activeCalls
        }
    }
}

/// The cluster's live state, for `GET /api/status/cluster` (the composition root supplies it).
public protocol AdminClusterStatus: Sendable {
    func clusterStatus() async -> AdminAPI.ClusterStatus
}
