public import SkinnyWire

/// What a session tells a phone about the server, and how long it waits for the phone. One value for every session
/// of a listener; the host may make one per connection (for example to fill in ``serverAddress``).
public struct SessionConfiguration: Hashable, Sendable {
    /// Seconds between the phone's KeepAlives, sent in RegisterAck. CUCM's default station keepalive is 30 s and
    /// CallManager 2.x was seen giving 30 s (call-flows §1).
    public var keepAliveInterval: UInt32
    /// Seconds between KeepAlives on the standby connection a phone keeps to its backup call manager (RegisterAck's
    /// secondary keepalive). 60 s, what chan-sccp uses as its keepalive.
    public var secondaryKeepAliveInterval: UInt32
    /// How the phone shows the date (RegisterAck's date template): `M/D/YA` (month/day/year, 12-hour clock, CUCM's
    /// US default), `D/M/YA`, `M/D/YY`, `D.M.Y` and so on.
    public var dateTemplate: String
    /// The name in ConfigStatRes and ServerRes.
    public var serverName: String
    /// The address given in ServerRes (the server the phone is registered to). The session does not know which of
    /// the host's addresses the phone connected to; the host may fill it in. 0.0.0.0 by default.
    public var serverAddress: SkinnyIPAddress
    /// The SCCP port given in ServerRes.
    public var serverPort: UInt32

    public init(
        keepAliveInterval: UInt32 = 30,
        secondaryKeepAliveInterval: UInt32 = 60,
        dateTemplate: String = "M/D/YA",
        serverName: String = "Strowger",
        serverAddress: SkinnyIPAddress = .unspecified,
        serverPort: UInt32 = 2000
    ) {
        self.keepAliveInterval = keepAliveInterval
        self.secondaryKeepAliveInterval = secondaryKeepAliveInterval
        self.dateTemplate = dateTemplate
        self.serverName = serverName
        self.serverAddress = serverAddress
        self.serverPort = serverPort
    }

    /// How long the host should wait for any frame before calling
    /// ``DeviceSessionStateMachine/keepAliveExpired()``: two keepalive intervals (reference §8 note 5; chan-sccp drops
    /// a session after 1.05–2 × the interval).
    public var keepAliveTimeout: Duration { .seconds(2 * Int64(keepAliveInterval)) }
}
