public import CallControl
public import CallRuntime
import NIOConcurrencyHelpers
public import NIOCore
import SkinnyWire

/// One connected SCCP phone as the runtime sees it (CallRuntime's ``CallRuntime/EndpointSession``): how to hand it
/// commands and lamp states, how to close it, and when it was last heard.
///
/// The session itself lives on its channel's event loop; this handle is the thread-safe way in from the
/// CallControl host's loop. It also keeps what the phone said in its Register, for status pages.
public final class SessionHandle: EndpointSession {
    /// Distinguishes connections that claim the same device name (take-over).
    public let id: UInt64
    /// The peer's address, for logs and status.
    public let remoteAddress: SocketAddress?
    private let lastActivity: NIOLockedValueBox<NIODeadline>
    private let registrationBox = NIOLockedValueBox<SessionRegistration?>(nil)
    private let deliverCommands: @Sendable ([CallCommand]) -> Void
    private let deliverBusyLamps: @Sendable ([BusyLampUpdate]) -> Void
    private let closeConnection: @Sendable () -> Void

    /// - Parameter deliverBusyLamps: hands presence's BLF states to the session, on its own loop, in order after the
    ///   commands delivered before.
    public init(
        id: UInt64,
        remoteAddress: SocketAddress?,
        deliver: @escaping @Sendable ([CallCommand]) -> Void,
        deliverBusyLamps: @escaping @Sendable ([BusyLampUpdate]) -> Void = { _ in },
        close: @escaping @Sendable () -> Void
    ) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.lastActivity = NIOLockedValueBox(.now())
        self.deliverCommands = deliver
        self.deliverBusyLamps = deliverBusyLamps
        self.closeConnection = close
    }

    /// What the phone said about itself in its Register (model, negotiated protocol version), once it registered:
    /// for status pages.
    public var registration: SessionRegistration? {
        self.registrationBox.withLockedValue { $0 }
    }

    func recordRegistration(_ registration: SessionRegistration) {
        self.registrationBox.withLockedValue { $0 = registration }
    }

    /// Records that the phone sent something now.
    public func touch(_ now: NIODeadline = .now()) {
        self.lastActivity.withLockedValue { $0 = now }
    }

    /// When the phone last sent something: take-over keeps a connection heard recently (``CallRuntime/TakeOverPolicy``).
    public var lastHeard: NIODeadline {
        self.lastActivity.withLockedValue { $0 }
    }

    /// Hands commands to the session on its own event loop, in order.
    public func deliver(_ commands: [CallCommand]) {
        self.deliverCommands(commands)
    }

    /// Hands new states of the phone's BLF speed dials (from presence) to the session on its own event loop, in
    /// order.
    public func deliver(_ busyLamps: [BusyLampUpdate]) {
        self.deliverBusyLamps(busyLamps)
    }

    /// Closes the connection (the session then reports its own closing).
    public func close() {
        self.closeConnection()
    }
}

/// A registered phone as its Register described it.
public struct SessionRegistration: Sendable, Hashable {
    /// The model, e.g. `7960`, or `type 12345` for a device type Strowger has no name for.
    public var model: String
    /// The SCCP protocol version the session negotiated.
    public var protocolVersion: Int
    /// When the registration was accepted (wall clock), for "registered since" in the admin pages.
    public var registeredAt: Timestamp?

    public init(model: String, protocolVersion: Int, registeredAt: Timestamp? = nil) {
        self.model = model
        self.protocolVersion = protocolVersion
        self.registeredAt = registeredAt
    }
}

extension SkinnyDeviceType {
    /// The model as people name it (`7960`, `ATA186`, `IP Communicator`).
    var modelName: String {
        switch self {
        case .station30SPPlus: "30 SP+"
        case .virtual30SPPlus: "30 VIP"
        case .ata186: "ATA186"
        case .ata188: "ATA188"
        case .ipCommunicator: "IP Communicator"
        case .station7961GE: "7961G-GE"
        default:
            Self.stationModels[self.rawValue] ?? "type \(self.rawValue)"
        }
    }

    /// `stationNNNN` device types by number.
    private static let stationModels: [UInt32: String] = [
        6: "7910", 7: "7960", 8: "7940", 9: "7935", 115: "7941", 119: "7971", 307: "7911", 348: "7931", 365: "7921",
        369: "7906", 404: "7962", 434: "7942", 435: "7945", 436: "7965", 437: "7975", 484: "7925", 495: "6921",
        496: "6941", 497: "6961", 547: "6901", 548: "6911", 564: "6945", 585: "8945", 586: "8941", 20000: "7905",
        30002: "7920", 30006: "7970", 30007: "7912", 30008: "7902", 30018: "7961", 30019: "7936",
    ]
}
