public import CallControl
public import SkinnyWire

/// One phone's SCCP session, without I/O: SCCP frames from the phone in, CallControl events out; CallControl commands
/// in, SCCP messages for the phone out.
///
/// One machine per TCP connection. The host (ServerNIO's handler) calls one `mutating func` per thing that happened
/// and carries out the returned ``SessionAction``s in order. Time comes in as `now`; the keepalive deadline is the
/// host's timer, reported with ``keepAliveExpired()``.
///
/// The dialogue (call-flows.md §1–§7, docs/sccp-session.md):
/// 1. Before Register only KeepAlive, RegisterTokenReq and alarms are accepted; anything else closes the connection.
/// 2. Register fixes the device name and the protocol version and is forwarded as
///    ``CallEvent/deviceRegistered(_:_:)``. Until the core answers, the phone's other messages wait (bounded).
/// 3. ``CallCommand/registrationAccepted(_:_:)`` sends RegisterAck and CapabilitiesReq; from then on every request
///    is answered on its own, phone events become CallControl events, and commands become message bursts.
/// 4. However the session ends, a device whose registration reached the core is reported gone exactly once.
public struct DeviceSessionStateMachine: Sendable {
    private enum State: Sendable {
        /// Connected, no Register yet. KeepAlive and RegisterTokenReq are answered, alarms ignored; anything else is
        /// a protocol violation.
        case awaitingRegister
        /// Register was forwarded to the core, whose answer is pending. The core may already count the device as
        /// registered, so ending the session now reports it gone.
        case registering(RegisteringState)
        /// The core accepted the device: the normal life of a phone.
        case registered(RegisteredState)
        /// The session is over (closed by either side). Every input is ignored.
        case closed
        /// Transient, while a state's payload is being mutated in place (avoids copy-on-write).
        case modifying
    }

    /// Register arrived; the core has not answered yet.
    struct RegisteringState: Sendable {
        /// The phone's messages that arrived before the core's answer, replayed in order once it accepts. Real
        /// phones wait for RegisterAck, but a pipelining client may not (call-flows §1 notes).
        var deferred: [StationMessage] = []
    }

    /// The most messages kept while a registration is pending. A phone sends nothing but KeepAlive and perhaps
    /// IpPort or an Alarm before RegisterAck; 64 leaves room for a pipelining client and bounds what a hostile one
    /// can make the server hold.
    static let maximumDeferredMessages = 64

    /// The configuration this session was created with.
    public let configuration: SessionConfiguration
    /// The protocol version messages are encoded and decoded at: v3 until Register, then the negotiated version.
    public private(set) var protocolVersion: SkinnyProtocolVersion = .v3
    /// The device name, once Register was received.
    public private(set) var deviceName: DeviceName?
    /// The phone's Register message (device type, features, address, firmware), once received.
    public private(set) var registration: SkinnyMessage.Register?
    private var state: State = .awaitingRegister
    /// Whether a KeepAlive came before any Register: a phone's standby connection to this node, the next of its
    /// CallManager group (docs/cluster.md). Such a phone sends KeepAlives at RegisterAck's secondary interval (60 s),
    /// longer than the keepalive deadline of two primary intervals, so the deadline does not close it; the connection
    /// guard's standby timeout (or, without a standby slot, its Register deadline) closes one that falls silent.
    private var isStandby = false

    public init(configuration: SessionConfiguration = SessionConfiguration()) {
        self.configuration = configuration
    }

    /// Whether the core accepted the device and the session is still up.
    public var isRegistered: Bool {
        switch self.state {
        case .registered: true
        case .awaitingRegister, .registering, .closed: false
        case .modifying: preconditionFailure("isRegistered read while the state is being modified")
        }
    }

    /// Whether the session is over: it closed the connection itself or was told the connection is gone.
    public var isClosed: Bool {
        switch self.state {
        case .closed: true
        case .awaitingRegister, .registering, .registered: false
        case .modifying: preconditionFailure("isClosed read while the state is being modified")
        }
    }

    // MARK: - Inputs

    /// A frame from the phone. It is decoded at ``protocolVersion``; a frame that does not decode costs the phone
    /// its connection.
    public mutating func frameReceived(_ frame: SkinnyFrame, now: Timestamp) -> [SessionAction] {
        if case .closed = self.state { return [] }
        let message: StationMessage
        do {
            message = try StationMessage(frame: frame, version: self.protocolVersion)
        } catch {
            return self.closeConnection(.malformedFrame(error))
        }
        return self.messageReceived(message, now: now)
    }

    /// A decoded message from the phone (what ``frameReceived(_:now:)`` does after decoding).
    public mutating func messageReceived(_ message: StationMessage, now: Timestamp) -> [SessionAction] {
        switch self.state {
        case .awaitingRegister:
            return self.messageBeforeRegister(message)

        case .registering(var registering):
            switch message {
            case .keepAlive:
                return [.send(.keepAliveAck)]
            case .register:
                return self.closeConnection(.protocolViolation(message.id))
            case .unregister:
                return self.unregisterReceived()
            default:
                guard registering.deferred.count < Self.maximumDeferredMessages else {
                    return self.closeConnection(.protocolViolation(message.id))
                }
                self.state = .modifying
                registering.deferred.append(message)
                self.state = .registering(registering)
                return []
            }

        case .registered(var registered):
            switch message {
            case .keepAlive:
                return [.send(.keepAliveAck)]
            case .register:
                return self.closeConnection(.protocolViolation(message.id))
            case .unregister:
                return self.unregisterReceived()
            default:
                self.state = .modifying
                let actions = registered.messageReceived(message, now: now)
                self.state = .registered(registered)
                return actions
            }

        case .closed:
            return []

        case .modifying:
            preconditionFailure("message received while the state is being modified")
        }
    }

    /// A command the CallControl core addressed to this device. Commands for another device name, for a session that
    /// is not (yet, or any more) registered, and host-only commands (timers, records) are ignored.
    public mutating func commandReceived(_ command: CallCommand, now: Timestamp) -> [SessionAction] {
        guard let target = Self.device(of: command), target == self.deviceName else { return [] }

        switch self.state {
        case .registering(let registering):
            switch command {
            case .registrationAccepted(_, let profile):
                return self.registrationAccepted(profile, replaying: registering.deferred, now: now)
            case .registrationRejected(_, let rejection):
                self.state = .closed
                return [
                    .send(.registerReject(SkinnyMessage.RegisterReject(text: Self.rejectText(rejection)))),
                    .close(.registrationRejected(rejection)),
                ]
            case .unregister:
                // The core already forgot the device: nothing to report back.
                self.state = .closed
                return [.send(.reset(SkinnyMessage.Reset(.restart))), .close(.resetByServer)]
            case .configurationChanged, .indicate, .openReceiveChannel, .startMediaTransmission, .closeMedia,
                .autoRegistered, .startTimer, .cancelTimer, .callRecord, .lineStateChanged, .deviceStatusChanged,
                .doNotDisturbChanged, .messageWaiting, .notify, .trunk, .trunkAttachRefused, .media,
                .mediaServerAttachRefused:
                return []
            }

        case .registered(var registered):
            switch command {
            case .unregister:
                // Removed from the directory: the core has cleared the device's calls and forgotten it, so nothing
                // is forwarded. Reset makes the phone restart and register again (and learn its new fate).
                self.state = .closed
                return [.send(.reset(SkinnyMessage.Reset(.restart))), .close(.resetByServer)]
            case .registrationAccepted, .registrationRejected:
                // A second answer to one Register: the core never does this.
                return []
            default:
                self.state = .modifying
                let actions = registered.commandReceived(command, now: now)
                self.state = .registered(registered)
                return actions
            }

        case .awaitingRegister, .closed:
            return []

        case .modifying:
            preconditionFailure("command received while the state is being modified")
        }
    }

    /// Presence reports a new state for the BLF speed dial `index` (docs/presence.md). A v15+ phone gets
    /// FeatureStatV2Res (featureId 0x15), an older one SetLamp on the speed dial; the state is also kept to answer
    /// FeatureStatReq. Ignored unless registered, and for an index that is not a BLF speed dial of the profile.
    public mutating func busyLampFieldChanged(index: UInt32, state: BusyLampState) -> [SessionAction] {
        switch self.state {
        case .registered(var registered):
            self.state = .modifying
            let actions = registered.busyLampFieldChanged(index: index, state: state)
            self.state = .registered(registered)
            return actions
        case .awaitingRegister, .registering, .closed:
            return []
        case .modifying:
            preconditionFailure("busy lamp changed while the state is being modified")
        }
    }

    /// The keepalive deadline passed: nothing came from the phone for two keepalive intervals. Ignored on a standby
    /// connection (KeepAlives before any Register), which keeps the secondary interval.
    public mutating func keepAliveExpired() -> [SessionAction] {
        if case .closed = self.state { return [] }
        if case .awaitingRegister = self.state, self.isStandby { return [] }
        return self.closeConnection(.keepAliveExpired)
    }

    /// The TCP connection is gone, for any reason (the phone closed it, it broke, or the host closed it after a
    /// ``SessionAction/close(_:)``). Reports the device gone if that has not been done already.
    public mutating func connectionClosed() -> [SessionAction] {
        let actions = self.unregisteredEventIfNeeded()
        self.state = .closed
        return actions
    }

    // MARK: - Registration

    private mutating func messageBeforeRegister(_ message: StationMessage) -> [SessionAction] {
        switch message {
        case .keepAlive:
            // 7985 and 6911 phones send KeepAlive before Register (call-flows §1), and phones on their standby
            // connection send nothing else until they fail over.
            self.isStandby = true
            return [.send(.keepAliveAck)]
        case .registerTokenReq:
            // Strowger has no standby-server logic: the phone may register at once.
            return [.send(.registerTokenAck)]
        case .spcpRegisterTokenReq:
            return [.send(.spcpRegisterTokenAck(SkinnyMessage.SPCPRegisterTokenAck()))]
        case .alarm, .enhancedAlarm, .locationInfo:
            // Phones report why they last lost their call manager; chan-sccp accepts these without a device.
            return []
        case .unregister:
            return self.unregisterReceived()
        case .register(let register):
            return self.registerReceived(register)
        default:
            return self.closeConnection(.protocolViolation(message.id))
        }
    }

    private mutating func registerReceived(_ register: SkinnyMessage.Register) -> [SessionAction] {
        // ATA 186/188 report a bogus version (33); chan-sccp talks v3 to them (reference §2.2).
        let isATA = register.deviceType == .ata186 || register.deviceType == .ata188
        self.protocolVersion = SkinnyProtocolVersion.negotiate(offered: isATA ? 3 : register.protocolVersion)
        // One spelling per device everywhere (issue 13): SEP00aabbccddee is the device SEP00AABBCCDDEE.
        let name = DeviceName(canonicalizing: register.deviceName)
        self.deviceName = name
        self.registration = register
        self.state = .registering(RegisteringState())
        // Codecs are not known until CapabilitiesRes, which the phone sends after RegisterAck.
        return [.forward(.deviceRegistered(name, .unknown))]
    }

    private mutating func registrationAccepted(
        _ profile: DeviceProfile,
        replaying deferred: [StationMessage],
        now: Timestamp
    ) -> [SessionAction] {
        guard let name = self.deviceName, let register = self.registration else {
            preconditionFailure("registration accepted without a Register: \(self.state)")
        }
        let registered = RegisteredState(
            name: name,
            version: self.protocolVersion,
            configuration: self.configuration,
            register: register,
            profile: profile
        )
        self.state = .registered(registered)
        var actions: [SessionAction] = [
            .send(
                .registerAck(
                    SkinnyMessage.RegisterAck(
                        keepAliveInterval: self.configuration.keepAliveInterval,
                        dateTemplate: self.configuration.dateTemplate,
                        secondaryKeepAliveInterval: self.configuration.secondaryKeepAliveInterval,
                        protocolVersion: self.protocolVersion
                    )
                )
            ),
            .send(.capabilitiesReq),
        ]
        for message in deferred {
            actions += self.messageReceived(message, now: now)
            if case .closed = self.state { break }
        }
        return actions
    }

    /// Unregister: acknowledged with status OK even during a call, as CUCM does (the calls are cleared by the
    /// core), then the device is reported gone and the connection closed.
    private mutating func unregisterReceived() -> [SessionAction] {
        self.closeConnection(.unregistered, sending: [.unregisterAck(SkinnyMessage.UnregisterAck(.ok))])
    }

    // MARK: - The one cleanup path

    /// Ends the session: sends `messages`, reports the device gone if the core may count it registered, and asks
    /// the host to close the connection.
    private mutating func closeConnection(
        _ reason: SessionCloseReason,
        sending messages: [CallManagerMessage] = []
    ) -> [SessionAction] {
        var actions = messages.map(SessionAction.send)
        actions += self.unregisteredEventIfNeeded()
        actions.append(.close(reason))
        self.state = .closed
        return actions
    }

    /// `deviceUnregistered` if the core has (or may have) the device registered through this session: after
    /// Register was forwarded, unless the session already ended.
    private func unregisteredEventIfNeeded() -> [SessionAction] {
        switch self.state {
        case .registering, .registered:
            guard let name = self.deviceName else { return [] }
            return [.forward(.deviceUnregistered(name))]
        case .awaitingRegister, .closed:
            return []
        case .modifying:
            preconditionFailure("session ended while the state is being modified")
        }
    }

    // MARK: - Helpers

    /// The device a command is for, or nil for host-only commands.
    private static func device(of command: CallCommand) -> DeviceName? {
        switch command {
        case .registrationAccepted(let name, _), .registrationRejected(let name, _), .configurationChanged(let name, _),
            .unregister(let name, _), .indicate(let name, _, _, _), .openReceiveChannel(let name, _, _, _),
            .startMediaTransmission(let name, _, _, _, _), .closeMedia(let name, _, _),
            .doNotDisturbChanged(let name, _), .messageWaiting(let name, _, _), .notify(let name, _):
            name
        case .autoRegistered, .startTimer, .cancelTimer, .callRecord, .lineStateChanged, .deviceStatusChanged, .trunk,
            .trunkAttachRefused, .media, .mediaServerAttachRefused:
            // For the host, its timers, the CDR store, presence and trunks.
            nil
        }
    }

    /// RegisterReject's text: at most 32 bytes on the wire (reference §5.2), so shorter than
    /// ``RegistrationRejection/description``.
    static func rejectText(_ rejection: RegistrationRejection) -> String {
        switch rejection {
        case .unknownDevice: "Unknown device"
        case .invalidDeviceName: "Invalid device name"
        case .autoRegistrationRangeExhausted: "No free directory number"
        case .alreadyRegistered: "Device already registered"
        }
    }
}
