public import Cluster
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `strowger serve --node NAME --cluster-secret-file F` makes of the cluster port (docs/cluster.md).
public struct ClusterNodeSettings: Sendable {
    /// This node's name (its row in the node table).
    public var name: ClusterNodeName
    /// The key of every datagram's tag.
    public var secret: ClusterSecret
    /// How often this node sends heartbeats and reads the node table again.
    public var heartbeatInterval: Duration
    /// How far a datagram's timestamp may be from this node's clock.
    public var timestampTolerance: Duration
    /// The node table: each node's name and the host and port of its cluster port. Read at start and every
    /// heartbeat interval, so that `strowger node add` takes effect without a restart.
    public var nodeTable: @Sendable () async throws -> [ClusterPeer]
    /// Devices registered and calls in progress here now, for the heartbeats.
    public var figures: @Sendable () async -> (registeredDevices: Int, activeCalls: Int)
    /// This node's registrations, sent to the other nodes as location updates.
    public var locations: ClusterLocationFeed

    public init(
        name: ClusterNodeName,
        secret: ClusterSecret,
        heartbeatInterval: Duration = .seconds(2),
        timestampTolerance: Duration = ClusterLimits.defaultTimestampTolerance,
        nodeTable: @escaping @Sendable () async throws -> [ClusterPeer],
        figures: @escaping @Sendable () async -> (registeredDevices: Int, activeCalls: Int) = { (0, 0) },
        locations: ClusterLocationFeed = ClusterLocationFeed()
    ) {
        self.name = name
        self.secret = secret
        self.heartbeatInterval = heartbeatInterval
        self.timestampTolerance = timestampTolerance
        self.nodeTable = nodeTable
        self.figures = figures
        self.locations = locations
    }
}

/// One row of the node table, as the cluster port needs it.
public struct ClusterPeer: Hashable, Sendable {
    public var name: String
    public var host: String
    public var port: Int

    public init(name: String, host: String, port: Int) {
        self.name = name
        self.host = host
        self.port = port
    }
}

/// A node of the cluster as `strowger show cluster` lists it.
public struct ClusterNodeStatus: Hashable, Sendable {
    public var name: String
    /// `host:port` (`[host]:port` for IPv6).
    public var address: String
    /// `self`, `unknown`, `up` or `down`.
    public var state: String
    /// Seconds since its last accepted datagram; nil if none.
    public var secondsSinceHeard: Double?
    public var registeredDevices: Int
    public var activeCalls: Int
}

/// The cluster protocol's state on one node: the decoder, the encoder, the membership machine and the node
/// table's addresses, behind one lock that the datagram handler (on the event loop) and the heartbeat task share.
/// Every operation is short and does no I/O under the lock; the caller sends what it returns.
final class ClusterNodeEngine: Sendable {
    /// An address as the guard compares it: the IP address's canonical text and the port.
    struct AddressKey: Hashable, Sendable {
        var host: String
        var port: Int

        init?(_ address: SocketAddress?) {
            guard let address, let host = address.ipAddress, let port = address.port else { return nil }
            self.host = host
            self.port = port
        }
    }

    private struct State {
        var decoder: ClusterDatagramDecoder
        var encoder: ClusterDatagramEncoder
        var membership: ClusterMembership
        var nameByAddress: [AddressKey: ClusterNodeName] = [:]
        var addressByName: [ClusterNodeName: SocketAddress] = [:]
        var selfAddress: String?
    }

    let settings: ClusterNodeSettings
    private let state: NIOLockedValueBox<State>

    init(settings: ClusterNodeSettings) {
        self.settings = settings
        self.state = NIOLockedValueBox(
            State(
                decoder: ClusterDatagramDecoder(
                    secret: settings.secret,
                    peers: [],
                    timestampTolerance: settings.timestampTolerance
                ),
                encoder: ClusterDatagramEncoder(
                    secret: settings.secret,
                    sender: settings.name,
                    startedAt: Self.wallClock()
                ),
                membership: ClusterMembership(selfName: settings.name, heartbeatInterval: settings.heartbeatInterval)
            )
        )
    }

    /// What became of one datagram.
    enum Verdict: Equatable {
        case accepted(ClusterMessage, [ClusterMembership.Action])
        case rejected(GuardRejectionReason)
    }

    /// Judges a datagram from `source`: the source must be a node's address, the size at most `maximumSize` (a
    /// datagram that filled the receive buffer may have been cut short), then the decoder's checks.
    func receive(_ datagram: ByteBuffer, from source: SocketAddress?, maximumSize: Int) -> Verdict {
        guard let key = AddressKey(source) else { return .rejected(.sourceNotAllowed) }
        let wall = Self.wallClock()
        let now = Self.monotonicClock()
        return self.state.withLockedValue { state in
            guard let addressOwner = state.nameByAddress[key] else { return .rejected(.sourceNotAllowed) }
            guard datagram.readableBytes <= maximumSize else { return .rejected(.oversizedDatagram) }
            switch state.decoder.decode(datagram, now: wall, expectedSender: addressOwner) {
            case .failure(let rejection):
                return .rejected(Self.reason(rejection))
            case .success(let message):
                return .accepted(message, state.membership.messageReceived(message, at: now))
            }
        }
    }

    /// The node table was read: peers are every node but this one, keyed by their addresses. Returns the actions
    /// (a greeting heartbeat for new peers).
    func nodeTableRead(_ rows: [ClusterPeer]) -> [ClusterMembership.Action] {
        var names: Set<ClusterNodeName> = []
        var nameByAddress: [AddressKey: ClusterNodeName] = [:]
        var addressByName: [ClusterNodeName: SocketAddress] = [:]
        var selfAddress: String?
        for row in rows {
            guard let name = ClusterNodeName(row.name),
                let address = try? SocketAddress(ipAddress: row.host, port: row.port),
                let key = AddressKey(address)
            else { continue }
            if name == self.settings.name {
                selfAddress = Self.text(address)
                continue
            }
            names.insert(name)
            nameByAddress[key] = name
            addressByName[name] = address
        }
        let now = Self.monotonicClock()
        return self.state.withLockedValue { state in
            state.nameByAddress = nameByAddress
            state.addressByName = addressByName
            state.selfAddress = selfAddress
            state.decoder.setPeers(names)
            return state.membership.nodesChanged(names.union([self.settings.name]), at: now)
        }
    }

    func started() -> [ClusterMembership.Action] {
        let now = Self.monotonicClock()
        return self.state.withLockedValue { $0.membership.started(at: now) }
    }

    /// The timer fired: silent peers, the heartbeat if due, and this node's registration changes since the last.
    func timerFired() -> [ClusterMembership.Action] {
        let now = Self.monotonicClock()
        let changes = self.settings.locations.take()
        return self.state.withLockedValue { state in
            state.membership.timerFired(at: now)
                + (changes.isEmpty ? [] : state.membership.localLocationsChanged(changes))
        }
    }

    /// How long until the membership machine needs the timer, at most one heartbeat interval.
    func delayUntilNextDeadline() -> Duration {
        let now = Self.monotonicClock()
        let deadline = self.state.withLockedValue { $0.membership.nextDeadline }
        guard let deadline else { return self.settings.heartbeatInterval }
        return max(.milliseconds(10), min(deadline - now, self.settings.heartbeatInterval))
    }

    /// The datagrams an action sends, with their destinations.
    func datagrams(
        for action: ClusterMembership.Action,
        figures: (registeredDevices: Int, activeCalls: Int)
    ) -> [AddressedEnvelope<ByteBuffer>] {
        let wall = Self.wallClock()
        return self.state.withLockedValue { state in
            let body: ClusterMessage.Body
            let names: [ClusterNodeName]
            switch action {
            case .sendHeartbeat(let to):
                body = .heartbeat(
                    .init(
                        interval: self.settings.heartbeatInterval,
                        registeredDevices: UInt32(clamping: figures.registeredDevices),
                        activeCalls: UInt32(clamping: figures.activeCalls)
                    )
                )
                names = to
            case .sendLocationUpdate(let changes, let to):
                body = .locationUpdate(changes)
                names = to
            case .nodeUp, .nodeDown:
                return []
            }
            return names.compactMap { name in
                guard let address = state.addressByName[name],
                    let datagram = try? state.encoder.encode(body, now: wall)
                else { return nil }
                return AddressedEnvelope(remoteAddress: address, data: datagram)
            }
        }
    }

    /// This node and its peers, for `strowger show cluster`.
    func status(figures: (registeredDevices: Int, activeCalls: Int)) -> [ClusterNodeStatus] {
        let now = Self.monotonicClock()
        return self.state.withLockedValue { state in
            var rows = [
                ClusterNodeStatus(
                    name: self.settings.name.value,
                    address: state.selfAddress ?? "-",
                    state: "self",
                    secondsSinceHeard: nil,
                    registeredDevices: figures.registeredDevices,
                    activeCalls: figures.activeCalls
                )
            ]
            for node in state.membership.nodes {
                rows.append(
                    ClusterNodeStatus(
                        name: node.name.value,
                        address: state.addressByName[node.name].map(Self.text) ?? "-",
                        state: node.state.rawValue,
                        secondsSinceHeard: node.lastHeard.map {
                            Double((now - $0).clusterMillisecondsForStatus) / 1000
                        },
                        registeredDevices: Int(node.registeredDevices),
                        activeCalls: Int(node.activeCalls)
                    )
                )
            }
            return rows
        }
    }

    /// Where each device is registered, as the location updates said (not used by the call core yet).
    var locations: RegistrationLocationTable { self.state.withLockedValue { $0.membership.locations } }

    static func reason(_ rejection: ClusterDatagramRejection) -> GuardRejectionReason {
        switch rejection {
        case .tooShort: .undersizedDatagram
        case .tooLong: .oversizedDatagram
        case .badVersion: .badVersion
        case .badTag: .badTag
        case .malformed: .malformedDatagram
        case .unknownType: .unknownMessageType
        case .unknownNode: .unknownNode
        case .wrongSender: .nodeAddressMismatch
        case .timestampOutsideWindow: .timestampOutsideWindow
        case .replayed: .replayedDatagram
        case .sequenceTooOld: .sequenceTooOld
        }
    }

    private static func text(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port ?? 0
        return address.protocol == .inet6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The wall clock, for datagram timestamps.
    static func wallClock() -> ClusterTimestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return ClusterTimestamp(milliseconds: Int64(time.tv_sec) * 1_000 + Int64(time.tv_nsec) / 1_000_000)
    }

    /// The monotonic clock, for heartbeats and silences.
    static func monotonicClock() -> ClusterInstant {
        ClusterInstant(nanoseconds: Int64(clamping: NIODeadline.now().uptimeNanoseconds))
    }
}

extension Duration {
    fileprivate var clusterMillisecondsForStatus: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
