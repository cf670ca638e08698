/// Which nodes of the cluster are up, as this node sees them: a sans-I/O state machine fed the messages the
/// ``ClusterDatagramDecoder`` accepts, the timer and the node table, that returns what to send and what changed.
///
/// Every peer starts `.unknown`. A datagram from it makes it `.up`; silence for
/// ``ClusterLimits/missedHeartbeatsBeforeDown`` of its heartbeat intervals makes it `.down`, and a datagram brings
/// it back up. This node sends a heartbeat to every peer each interval, up or not, so that a peer coming back
/// hears it at once.
public struct ClusterMembership: Sendable {
    /// A peer's state.
    public enum NodeState: String, Hashable, Sendable {
        /// Not heard from since this node started (and not yet silent long enough to be down).
        case unknown
        /// Heard from within the last ``ClusterLimits/missedHeartbeatsBeforeDown`` heartbeat intervals.
        case up
        /// Silent for ``ClusterLimits/missedHeartbeatsBeforeDown`` heartbeat intervals.
        case down
    }

    /// What this node knows of a peer.
    public struct Node: Hashable, Sendable {
        public let name: ClusterNodeName
        public internal(set) var state: NodeState
        /// When the last accepted datagram from it arrived (monotonic).
        public internal(set) var lastHeard: ClusterInstant?
        /// Its heartbeat interval, as its last heartbeat said (this node's own until then).
        public internal(set) var heartbeatInterval: Duration
        /// Devices registered with it, as its last heartbeat said.
        public internal(set) var registeredDevices: UInt32
        /// Calls in progress on it, as its last heartbeat said.
        public internal(set) var activeCalls: UInt32
        /// Since when it has been in `state` (monotonic).
        public internal(set) var since: ClusterInstant
    }

    /// What the host must do.
    public enum Action: Hashable, Sendable {
        /// Send a heartbeat to each of these peers.
        case sendHeartbeat(to: [ClusterNodeName])
        /// Send these changes of this node's registrations (at most
        /// ``ClusterLimits/maximumLocationChangesPerDatagram``) to each of these peers.
        case sendLocationUpdate([LocationChange], to: [ClusterNodeName])
        /// The peer is up (it was unknown or down).
        case nodeUp(ClusterNodeName)
        /// The peer is down (silent too long, or it was unknown and never spoke).
        case nodeDown(ClusterNodeName)
    }

    /// This node's name.
    public let selfName: ClusterNodeName
    /// How often this node sends heartbeats.
    public let heartbeatInterval: Duration
    private var peers: [ClusterNodeName: Node] = [:]
    private var nextHeartbeat: ClusterInstant?
    /// Where each device is registered, from the peers' location updates and this node's own registrations.
    public private(set) var locations = RegistrationLocationTable()

    public init(selfName: ClusterNodeName, heartbeatInterval: Duration) {
        self.selfName = selfName
        self.heartbeatInterval = heartbeatInterval
    }

    /// The peers, sorted by name.
    public var nodes: [Node] { self.peers.values.sorted { $0.name < $1.name } }

    /// When the host must call ``timerFired(at:)`` next: the next heartbeat, or the earliest moment a peer can go
    /// down, whichever is sooner. Nil before ``started(at:)``.
    public var nextDeadline: ClusterInstant? {
        guard var deadline = self.nextHeartbeat else { return nil }
        for node in self.peers.values where node.state != .down {
            deadline = min(deadline, self.downDeadline(of: node))
        }
        return deadline
    }

    /// The host started: send the first heartbeat now.
    public mutating func started(at now: ClusterInstant) -> [Action] {
        self.nextHeartbeat = now + self.heartbeatInterval
        for name in self.peers.keys { self.peers[name]?.since = now }
        let names = self.peerNames
        return names.isEmpty ? [] : [.sendHeartbeat(to: names)]
    }

    /// The node table changed: `names` are the nodes now (this node's own name among them or not). New peers start
    /// `.unknown`; removed ones are forgotten with their devices (no action: they are not down, just gone).
    public mutating func nodesChanged(_ names: Set<ClusterNodeName>, at now: ClusterInstant) -> [Action] {
        let wanted = names.subtracting([self.selfName])
        for removed in Set(self.peers.keys).subtracting(wanted) {
            self.peers[removed] = nil
            self.locations.removeAll(on: removed)
        }
        var added: [ClusterNodeName] = []
        for name in wanted.sorted() where self.peers[name] == nil {
            self.peers[name] = Node(
                name: name,
                state: .unknown,
                lastHeard: nil,
                heartbeatInterval: self.heartbeatInterval,
                registeredDevices: 0,
                activeCalls: 0,
                since: now
            )
            added.append(name)
        }
        // A new peer hears from this node at once rather than at the next heartbeat.
        return self.nextHeartbeat != nil && !added.isEmpty ? [.sendHeartbeat(to: added)] : []
    }

    /// The timer fired: send the heartbeat if it is due, and mark down the peers silent for too long.
    public mutating func timerFired(at now: ClusterInstant) -> [Action] {
        guard let nextHeartbeat = self.nextHeartbeat else { return [] }
        var actions: [Action] = []
        for name in self.peers.keys.sorted() {
            guard let node = self.peers[name], node.state != .down, now >= self.downDeadline(of: node) else {
                continue
            }
            self.peers[name]?.state = .down
            self.peers[name]?.since = now
            self.locations.removeAll(on: name)
            actions.append(.nodeDown(name))
        }
        if now >= nextHeartbeat {
            // The next one an interval after this one was due, not after now: a late timer does not drift.
            var next = nextHeartbeat + self.heartbeatInterval
            if next <= now { next = now + self.heartbeatInterval }
            self.nextHeartbeat = next
            let names = self.peerNames
            if !names.isEmpty { actions.append(.sendHeartbeat(to: names)) }
        }
        return actions
    }

    /// A datagram from a peer passed the decoder. Anything from a node that is not a peer is ignored (the decoder
    /// refuses those; this is the second line).
    public mutating func messageReceived(_ message: ClusterMessage, at now: ClusterInstant) -> [Action] {
        guard var node = self.peers[message.sender] else { return [] }
        var actions: [Action] = []
        node.lastHeard = now
        if node.state != .up {
            node.state = .up
            node.since = now
            actions.append(.nodeUp(node.name))
        }
        switch message.body {
        case .heartbeat(let heartbeat):
            // A peer that claims no interval (or an absurd one) is judged by this node's own.
            let reasonable: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3_600)
            node.heartbeatInterval =
                reasonable.contains(heartbeat.interval) ? heartbeat.interval : self.heartbeatInterval
            node.registeredDevices = heartbeat.registeredDevices
            node.activeCalls = heartbeat.activeCalls
        case .locationUpdate(let changes):
            self.locations.apply(changes, from: node.name)
        }
        self.peers[node.name] = node
        return actions
    }

    /// Devices registered with, or left, this node: table them and tell every peer, in datagrams of at most
    /// ``ClusterLimits/maximumLocationChangesPerDatagram`` changes.
    public mutating func localLocationsChanged(_ changes: [LocationChange]) -> [Action] {
        self.locations.apply(changes, from: self.selfName)
        let names = self.peerNames
        guard !names.isEmpty else { return [] }
        var actions: [Action] = []
        var start = changes.startIndex
        while start < changes.endIndex {
            let end = min(start + ClusterLimits.maximumLocationChangesPerDatagram, changes.endIndex)
            actions.append(.sendLocationUpdate(Array(changes[start..<end]), to: names))
            start = end
        }
        return actions
    }

    private var peerNames: [ClusterNodeName] { self.peers.keys.sorted() }

    /// When `node` goes down if nothing more is heard: missed heartbeats after it was last heard, or after it was
    /// added (or this node started) if never.
    private func downDeadline(of node: Node) -> ClusterInstant {
        let silence = node.heartbeatInterval * ClusterLimits.missedHeartbeatsBeforeDown
        return (node.lastHeard ?? node.since) + silence
    }
}
