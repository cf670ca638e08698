import CallControl
public import Cluster
import NIOConcurrencyHelpers

/// This node's registrations on their way to the other nodes: the registration gate reports each RegisterAck and
/// each ended registration here (never waiting), and the cluster listener takes them each timer tick and sends them
/// as location updates (docs/cluster.md).
///
/// Bounded: at most ``capacity`` changes wait; in a registration storm past that, the oldest are dropped and
/// counted, since a later change of the same device supersedes them anyway and updates are not acknowledged.
public final class ClusterLocationFeed: Sendable {
    /// The most changes that wait: a whole cluster's worth of phones re-registering on one node (CUCM's 30,000).
    public static let capacity = 30_000
    /// The most changes taken per tick: 64 datagrams of 16 to each peer.
    public static let batch = 1_024

    private struct State {
        var pending: [LocationChange] = []
        var dropped = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// The gate's report.
    public func observe(_ observation: RegistrationGate.Observation) {
        let change: LocationChange?
        switch observation {
        case .registered(let name): change = LocationChange(device: name.rawValue, isRegistered: true)
        case .unregistered(let name): change = LocationChange(device: name.rawValue, isRegistered: false)
        }
        guard let change else { return }
        self.state.withLockedValue { state in
            if state.pending.count >= Self.capacity {
                state.pending.removeFirst(state.pending.count - Self.capacity + 1)
                state.dropped += 1
            }
            state.pending.append(change)
        }
    }

    /// Up to ``batch`` changes, oldest first, removed from the feed.
    public func take() -> [LocationChange] {
        self.state.withLockedValue { state in
            let count = min(state.pending.count, Self.batch)
            defer { state.pending.removeFirst(count) }
            return Array(state.pending.prefix(count))
        }
    }

    /// Changes dropped because the feed was full.
    public var dropped: Int { self.state.withLockedValue { $0.dropped } }
}
