import Cluster
import Testing

@Suite("Cluster membership: heartbeats, up and down, registration locations")
struct ClusterMembershipTests {
    private let interval: Duration = .seconds(2)

    private func membership(peers: Set<ClusterNodeName> = [Fixtures.beta, Fixtures.gamma]) -> ClusterMembership {
        var membership = ClusterMembership(selfName: Fixtures.alpha, heartbeatInterval: self.interval)
        _ = membership.nodesChanged(peers.union([Fixtures.alpha]), at: .zero)
        return membership
    }

    private func heartbeat(from sender: ClusterNodeName, interval: Duration = .seconds(2)) -> ClusterMessage {
        ClusterMessage(
            sender: sender,
            sequence: 1,
            timestamp: Fixtures.now,
            body: .heartbeat(.init(interval: interval, registeredDevices: 4, activeCalls: 1))
        )
    }

    private func at(_ seconds: Int64) -> ClusterInstant { .zero + .seconds(seconds) }

    @Test("Starting sends a heartbeat to every peer, and peers start unknown")
    func start() {
        var membership = self.membership()
        #expect(membership.started(at: .zero) == [.sendHeartbeat(to: [Fixtures.beta, Fixtures.gamma])])
        #expect(membership.nodes.map(\.state) == [.unknown, .unknown])
        #expect(membership.nodes.map(\.name) == [Fixtures.beta, Fixtures.gamma])
    }

    @Test("A heartbeat goes out every interval, without drifting when the timer is late")
    func heartbeatSchedule() {
        var membership = self.membership()
        _ = membership.started(at: .zero)
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.beta), at: .zero)
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.gamma), at: .zero)
        #expect(membership.timerFired(at: self.at(1)) == [])
        #expect(membership.timerFired(at: self.at(2)) == [.sendHeartbeat(to: [Fixtures.beta, Fixtures.gamma])])
        #expect(membership.nextDeadline == self.at(4))
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.beta), at: self.at(4))
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.gamma), at: self.at(4))
        #expect(
            membership.timerFired(at: .zero + .milliseconds(4_500)) == [
                .sendHeartbeat(to: [Fixtures.beta, Fixtures.gamma])
            ]
        )
        #expect(membership.nextDeadline == self.at(6))
    }

    @Test("A datagram brings a peer up; three silent intervals take it down; another brings it back")
    func upDownUp() {
        var membership = self.membership()
        _ = membership.started(at: .zero)
        #expect(
            membership.messageReceived(self.heartbeat(from: Fixtures.beta), at: self.at(1)) == [.nodeUp(Fixtures.beta)]
        )
        #expect(membership.messageReceived(self.heartbeat(from: Fixtures.beta), at: self.at(2)) == [])
        #expect(membership.nodes.first?.state == .up)
        #expect(membership.nodes.first?.registeredDevices == 4)
        // Heard at 2 s; down at 2 + 3 × 2 = 8 s, not before.
        #expect(!membership.timerFired(at: .zero + .milliseconds(7_999)).contains(.nodeDown(Fixtures.beta)))
        #expect(membership.timerFired(at: self.at(8)).contains(.nodeDown(Fixtures.beta)))
        #expect(membership.nodes.first?.state == .down)
        #expect(!membership.timerFired(at: self.at(20)).contains(.nodeDown(Fixtures.beta)))
        #expect(
            membership.messageReceived(self.heartbeat(from: Fixtures.beta), at: self.at(21)) == [.nodeUp(Fixtures.beta)]
        )
        #expect(membership.nodes.first?.state == .up)
    }

    @Test("A peer never heard from is down after three intervals from the start")
    func neverHeard() {
        var membership = self.membership(peers: [Fixtures.beta])
        _ = membership.started(at: .zero)
        #expect(membership.nextDeadline == self.at(2))
        #expect(membership.timerFired(at: self.at(2)) == [.sendHeartbeat(to: [Fixtures.beta])])
        #expect(
            membership.timerFired(at: self.at(6)) == [.nodeDown(Fixtures.beta), .sendHeartbeat(to: [Fixtures.beta])]
        )
    }

    @Test("A peer's announced interval sets its own timeout")
    func announcedInterval() {
        var membership = self.membership(peers: [Fixtures.beta])
        _ = membership.started(at: .zero)
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.beta, interval: .seconds(10)), at: .zero)
        #expect(!membership.timerFired(at: self.at(29)).contains(.nodeDown(Fixtures.beta)))
        #expect(membership.timerFired(at: self.at(30)).contains(.nodeDown(Fixtures.beta)))
        // An absurd interval falls back to this node's own.
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.beta, interval: .zero), at: self.at(31))
        #expect(membership.timerFired(at: self.at(37)).contains(.nodeDown(Fixtures.beta)))
    }

    @Test("Messages from nodes that are not peers change nothing")
    func strangersIgnored() {
        var membership = self.membership(peers: [Fixtures.beta])
        _ = membership.started(at: .zero)
        let stranger = ClusterNodeName("stranger")!
        #expect(membership.messageReceived(self.heartbeat(from: stranger), at: .zero) == [])
        #expect(membership.messageReceived(self.heartbeat(from: Fixtures.alpha), at: .zero) == [])
        #expect(membership.nodes.map(\.name) == [Fixtures.beta])
    }

    @Test("Adding a node greets it at once; removing one forgets it and its devices")
    func nodeTableChanges() {
        var membership = self.membership(peers: [Fixtures.beta])
        _ = membership.started(at: .zero)
        #expect(
            membership.nodesChanged([Fixtures.alpha, Fixtures.beta, Fixtures.gamma], at: self.at(1)) == [
                .sendHeartbeat(to: [Fixtures.gamma])
            ]
        )
        let update = ClusterMessage(
            sender: Fixtures.gamma,
            sequence: 2,
            timestamp: Fixtures.now,
            body: .locationUpdate([LocationChange(device: "SEP000000000001", isRegistered: true)!])
        )
        _ = membership.messageReceived(update, at: self.at(1))
        #expect(membership.locations.node(of: "SEP000000000001") == Fixtures.gamma)
        #expect(membership.nodesChanged([Fixtures.alpha, Fixtures.beta], at: self.at(2)) == [])
        #expect(membership.nodes.map(\.name) == [Fixtures.beta])
        #expect(membership.locations.node(of: "SEP000000000001") == nil)
    }

    @Test("Location updates table devices by node; a node going down loses its devices")
    func locations() {
        var membership = self.membership()
        _ = membership.started(at: .zero)
        func update(_ sender: ClusterNodeName, _ device: String, _ registered: Bool) -> ClusterMessage {
            ClusterMessage(
                sender: sender,
                sequence: 1,
                timestamp: Fixtures.now,
                body: .locationUpdate([LocationChange(device: device, isRegistered: registered)!])
            )
        }
        _ = membership.messageReceived(update(Fixtures.beta, "SEP0000000000B1", true), at: self.at(1))
        _ = membership.messageReceived(update(Fixtures.beta, "SEP0000000000B2", true), at: self.at(1))
        _ = membership.messageReceived(update(Fixtures.gamma, "SEP0000000000C1", true), at: self.at(1))
        #expect(membership.locations.devices(on: Fixtures.beta) == ["SEP0000000000B1", "SEP0000000000B2"])
        // B2 fails over to gamma; beta's late unregistration must not remove it.
        _ = membership.messageReceived(update(Fixtures.gamma, "SEP0000000000B2", true), at: self.at(2))
        _ = membership.messageReceived(update(Fixtures.beta, "SEP0000000000B2", false), at: self.at(2))
        #expect(membership.locations.node(of: "SEP0000000000B2") == Fixtures.gamma)
        // Beta stays silent past 2 + 6 s; gamma keeps talking.
        _ = membership.messageReceived(self.heartbeat(from: Fixtures.gamma), at: self.at(7))
        #expect(membership.timerFired(at: self.at(8)).contains(.nodeDown(Fixtures.beta)))
        #expect(membership.locations.node(of: "SEP0000000000B1") == nil)
        #expect(membership.locations.devices(on: Fixtures.gamma) == ["SEP0000000000B2", "SEP0000000000C1"])
    }

    @Test("Local registrations are tabled and sent to every peer in datagram-sized batches")
    func localChanges() {
        var membership = self.membership()
        _ = membership.started(at: .zero)
        let changes = (0..<20).map { LocationChange(device: "SEP\(100_000_000_000 + $0)", isRegistered: true)! }
        let actions = membership.localLocationsChanged(changes)
        #expect(
            actions == [
                .sendLocationUpdate(Array(changes[0..<16]), to: [Fixtures.beta, Fixtures.gamma]),
                .sendLocationUpdate(Array(changes[16..<20]), to: [Fixtures.beta, Fixtures.gamma]),
            ]
        )
        #expect(membership.locations.devices(on: Fixtures.alpha).count == 20)
    }
}

@Suite("Replay window")
struct ReplayWindowTests {
    @Test("A jump beyond the window forgets everything below it")
    func jump() {
        var window = ReplayWindow()
        window.record(10)
        window.record(10 + 200)
        #expect(window.check(10) == .tooOld)
        #expect(window.check(210) == .replayed)
        #expect(window.check(209) == .fresh)
        #expect(window.check(210 - 63) == .fresh)
        #expect(window.check(210 - 64) == .tooOld)
    }

    @Test("Sequence numbers at the top of UInt64 do not trap")
    func topOfRange() {
        var window = ReplayWindow()
        window.record(.max)
        #expect(window.check(.max) == .replayed)
        #expect(window.check(.max - 1) == .fresh)
        #expect(window.check(0) == .tooOld)
    }
}
