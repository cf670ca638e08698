/// Where each device is registered in the cluster: device name → node, kept from the location updates each node
/// sends about its own devices (and this node's own registrations).
///
/// Not used by the call core yet (issue 19, item 3 routes calls across nodes with it).
public struct RegistrationLocationTable: Hashable, Sendable {
    private var nodeByDevice: [String: ClusterNodeName] = [:]

    public init() {}

    /// The node `device` is registered with, if any known.
    public func node(of device: String) -> ClusterNodeName? { self.nodeByDevice[device] }

    /// The devices registered with `node`, sorted.
    public func devices(on node: ClusterNodeName) -> [String] {
        self.nodeByDevice.filter { $0.value == node }.map(\.key).sorted()
    }

    /// Every device → node entry.
    public var entries: [String: ClusterNodeName] { self.nodeByDevice }

    /// Applies `changes` reported by `node`. A device that registers moves to `node`, wherever it was; one that
    /// unregisters is removed only if the table has it on `node`, since a phone that fails over registers with
    /// the new node before the old one notices it gone, and the old node's late notice must not remove it.
    public mutating func apply(_ changes: [LocationChange], from node: ClusterNodeName) {
        for change in changes {
            if change.isRegistered {
                self.nodeByDevice[change.device] = node
            } else if self.nodeByDevice[change.device] == node {
                self.nodeByDevice[change.device] = nil
            }
        }
    }

    /// Forgets every device of `node` (it went down or left the cluster: its phones are registered nowhere until
    /// another node reports them).
    public mutating func removeAll(on node: ClusterNodeName) {
        self.nodeByDevice = self.nodeByDevice.filter { $0.value != node }
    }
}
