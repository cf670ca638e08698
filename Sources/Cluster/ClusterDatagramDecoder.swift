public import NIOCore

/// Turns datagrams from the cluster port into messages from peers, or tells why each one is dropped: the tag
/// (``ClusterDatagram/open(_:secret:)``), then the sender (one of ``peers``), the timestamp (within
/// ``timestampTolerance`` of the receiver's wall clock) and the sequence number (each peer's ``ReplayWindow``).
///
/// Sans-I/O: the receiver's wall clock comes in with each datagram. A replay window moves only when a datagram
/// passes every check, so a forgery cannot move it.
public struct ClusterDatagramDecoder: Sendable {
    private let secret: ClusterSecret
    /// The nodes datagrams are accepted from: every node in the node table but this one.
    public private(set) var peers: Set<ClusterNodeName>
    /// How far a datagram's timestamp may be from the receiver's clock, either way.
    public let timestampTolerance: Duration
    private var windows: [ClusterNodeName: ReplayWindow] = [:]

    public init(
        secret: ClusterSecret,
        peers: Set<ClusterNodeName>,
        timestampTolerance: Duration = ClusterLimits.defaultTimestampTolerance
    ) {
        self.secret = secret
        self.peers = peers
        self.timestampTolerance = timestampTolerance
    }

    /// Replaces the peer list (the node table changed). A removed peer's replay window is forgotten; a peer that is
    /// kept keeps its window.
    public mutating func setPeers(_ peers: Set<ClusterNodeName>) {
        self.peers = peers
        self.windows = self.windows.filter { peers.contains($0.key) }
    }

    /// The message in `datagram`, received when the receiver's wall clock read `now`, or why it is dropped.
    /// - Parameter expectedSender: the node whose address the datagram came from, when the host knows it: a
    ///   datagram naming another node is refused (`wrong_sender`) before it can touch that node's replay window.
    public mutating func decode(
        _ datagram: ByteBuffer,
        now: ClusterTimestamp,
        expectedSender: ClusterNodeName? = nil
    ) -> Result<ClusterMessage, ClusterDatagramRejection> {
        let message: ClusterMessage
        switch ClusterDatagram.open(datagram, secret: self.secret) {
        case .success(let opened): message = opened
        case .failure(let rejection): return .failure(rejection)
        }
        guard self.peers.contains(message.sender) else { return .failure(.unknownNode) }
        if let expectedSender, message.sender != expectedSender { return .failure(.wrongSender) }
        let skew = now.distance(to: message.timestamp)
        guard skew <= self.timestampTolerance, skew >= .zero - self.timestampTolerance else {
            return .failure(.timestampOutsideWindow)
        }
        var window = self.windows[message.sender] ?? ReplayWindow()
        switch window.check(message.sequence) {
        case .fresh: break
        case .replayed: return .failure(.replayed)
        case .tooOld: return .failure(.sequenceTooOld)
        }
        window.record(message.sequence)
        self.windows[message.sender] = window
        return .success(message)
    }
}

/// Writes this node's datagrams: its name, the next sequence number, the wall clock's time, the tag.
///
/// The first sequence number is the sender's wall clock in microseconds when it starts, and each datagram adds
/// one: a node that restarts thus continues above every number it used before (it would have to send more than a
/// million datagrams a second to catch up with its own clock), so its peers' replay windows accept it at once.
public struct ClusterDatagramEncoder: Sendable {
    private let secret: ClusterSecret
    /// This node's name, the sender of every datagram.
    public let sender: ClusterNodeName
    /// The sequence number of the next datagram.
    public private(set) var nextSequence: UInt64

    public init(secret: ClusterSecret, sender: ClusterNodeName, startedAt: ClusterTimestamp) {
        self.secret = secret
        self.sender = sender
        let (microseconds, overflow) = UInt64(clamping: max(0, startedAt.milliseconds)).multipliedReportingOverflow(
            by: 1_000
        )
        self.nextSequence = overflow ? 0 : microseconds
    }

    /// The datagram carrying `body`, sent when the wall clock read `now`.
    public mutating func encode(
        _ body: ClusterMessage.Body,
        now: ClusterTimestamp
    ) throws(ClusterDatagram.EncodingError) -> ByteBuffer {
        let message = ClusterMessage(sender: self.sender, sequence: self.nextSequence, timestamp: now, body: body)
        let datagram = try ClusterDatagram.encode(message, secret: self.secret)
        self.nextSequence &+= 1
        return datagram
    }
}
