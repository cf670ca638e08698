/// One authenticated cluster datagram, decoded: who sent it, its place in the sender's sequence, when it was sent,
/// and what it says.
public struct ClusterMessage: Hashable, Sendable {
    /// The sending node (authenticated by the tag: only a holder of the cluster secret can name itself).
    public var sender: ClusterNodeName
    /// The sender's sequence number: one more for each datagram it sends, so that a replay is recognised.
    public var sequence: UInt64
    /// The sender's wall clock when it sent the datagram, so that an old recording is refused.
    public var timestamp: ClusterTimestamp
    /// What the datagram says.
    public var body: Body

    public init(sender: ClusterNodeName, sequence: UInt64, timestamp: ClusterTimestamp, body: Body) {
        self.sender = sender
        self.sequence = sequence
        self.timestamp = timestamp
        self.body = body
    }

    /// The kinds of datagram, by their type byte.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// "I am alive", sent to every other node each heartbeat interval.
        case heartbeat = 1
        /// Devices that registered with, or left, the sender.
        case locationUpdate = 2
    }

    /// What a datagram says.
    public enum Body: Hashable, Sendable {
        /// "I am alive", with the figures `strowger show cluster` lists.
        case heartbeat(Heartbeat)
        /// Devices that registered with, or unregistered from, the sender (at most
        /// ``ClusterLimits/maximumLocationChangesPerDatagram``).
        case locationUpdate([LocationChange])

        public var kind: Kind {
            switch self {
            case .heartbeat: .heartbeat
            case .locationUpdate: .locationUpdate
            }
        }
    }

    /// A heartbeat's payload.
    public struct Heartbeat: Hashable, Sendable {
        /// The sender's heartbeat interval: the receiver declares the sender down after
        /// ``ClusterLimits/missedHeartbeatsBeforeDown`` of these without a datagram, so that nodes configured with
        /// different intervals still judge each other fairly.
        public var interval: Duration
        /// Devices registered with the sender now.
        public var registeredDevices: UInt32
        /// Calls in progress on the sender now.
        public var activeCalls: UInt32

        public init(interval: Duration, registeredDevices: UInt32 = 0, activeCalls: UInt32 = 0) {
            self.interval = interval
            self.registeredDevices = registeredDevices
            self.activeCalls = activeCalls
        }
    }
}

/// A device that registered with, or unregistered from, a node.
public struct LocationChange: Hashable, Sendable {
    /// The device's name (1 to ``ClusterLimits/maximumDeviceNameLength`` bytes of printable ASCII).
    public let device: String
    /// Whether the device is registered with the sender now.
    public let isRegistered: Bool

    /// The change, or nil when the device name cannot travel (empty, too long, not printable ASCII).
    public init?(device: String, isRegistered: Bool) {
        guard Self.isValidDeviceName(Array(device.utf8)) else { return nil }
        self.device = device
        self.isRegistered = isRegistered
    }

    init?(deviceBytes: [UInt8], isRegistered: Bool) {
        guard Self.isValidDeviceName(deviceBytes) else { return nil }
        self.device = String(decoding: deviceBytes, as: UTF8.self)
        self.isRegistered = isRegistered
    }

    static func isValidDeviceName(_ bytes: [UInt8]) -> Bool {
        (1...ClusterLimits.maximumDeviceNameLength).contains(bytes.count)
            && bytes.allSatisfy { $0 > UInt8(ascii: " ") && $0 < 0x7F }
    }
}
