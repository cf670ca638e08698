/// Who speaks for an endpoint of calls: the key of the runtime's endpoint-session registry (CallRuntime).
///
/// One endpoint session at a time speaks for each owner: today an SCCP connection for a phone; later a SIP trunk, a
/// link to another node, a media resource. The core addresses its commands to endpoints; ``CallCommand/route`` says
/// which owner's session carries each one out, and ``CallEvent/origin`` which owner an event speaks for. A new kind of
/// endpoint is a new case here and new lines in those two switches, not a change to the runtime.
public enum EndpointOwner: Hashable, Sendable, CustomStringConvertible {
    /// A phone, by the name it registers with (SCCP Register). The device owns all of its lines.
    case device(DeviceName)
    /// A SIP trunk, by its configured name: the SIP service's session for it owns every call on it.
    case trunk(TrunkName)
    /// The media server: conference bridges and music on hold.
    case mediaServer

    /// The device's name when the owner is a phone.
    public var deviceName: DeviceName? {
        switch self {
        case .device(let name): name
        case .trunk, .mediaServer: nil
        }
    }

    /// The event that tells the core the owner's endpoint is gone: the runtime closed its session (take-over, shutdown)
    /// or reset it, and that session's own report of its end will be dropped.
    public var unregisteredEvent: CallEvent {
        switch self {
        case .device(let name): .deviceUnregistered(name)
        case .trunk(let name): .trunkDetached(name)
        case .mediaServer: .mediaServerDetached
        }
    }

    /// What a session is told when it claims the owner while the owner's current session is alive (take-over refused):
    /// the answer the core gives to a registration of a name that is registered already.
    public var alreadyRegisteredRejection: CallCommand {
        switch self {
        case .device(let name): .registrationRejected(name, .alreadyRegistered)
        case .trunk(let name): .trunkAttachRefused(name)
        case .mediaServer: .mediaServerAttachRefused
        }
    }

    /// `device SEP001122334455`: for logs, and a stable order for sweeps over every owner.
    public var description: String {
        switch self {
        case .device(let name): "device \(name.rawValue)"
        case .trunk(let name): "trunk \(name.rawValue)"
        case .mediaServer: "media server"
        }
    }
}

/// Where the runtime takes one ``CallCommand``.
public enum CallCommandRoute: Hashable, Sendable {
    /// To the session that owns the endpoint, in one batch with the event's other commands for that owner, in the
    /// order the core gave them. A command for an owner that has no session is dropped (the device went meanwhile).
    ///
    /// With `releasesOwner` the session no longer speaks for the owner once its batch is delivered: the core refused
    /// the registration, or told the device to go (an unregister, a reset), so a later registration of the same name
    /// on any connection is a fresh one, not a take-over.
    case session(EndpointOwner, releasesOwner: Bool)
    /// To the owner's session as ``session(_:releasesOwner:)``, and to presence, which shows it too (the device's
    /// do-not-disturb).
    case sessionAndPresence(EndpointOwner)
    /// A timer for the runtime to run; when it expires the runtime hands ``CallEvent/timerFired(_:)`` to the core.
    case startTimer(TimerID, after: Duration)
    /// A timer for the runtime to cancel (if it fires anyway, the core ignores it).
    case cancelTimer(TimerID)
    /// A finished call's record, for the CDR writer.
    case callRecord(CallRecord)
    /// An auto-registration, for the Store to persist.
    case autoRegistered(DeviceName, DirectoryNumber)
    /// To presence, which runs beside the core and takes the command itself (line states, device statuses).
    case presence

    /// The owner whose session gets the command; nil for the runtime's own commands.
    public var sessionOwner: EndpointOwner? {
        switch self {
        case .session(let owner, _), .sessionAndPresence(let owner): owner
        case .startTimer, .cancelTimer, .callRecord, .autoRegistered, .presence: nil
        }
    }
}

extension CallCommand {
    /// Where the runtime takes this command. This is the one switch over every command for the runtime: a command
    /// the core adds is routed here.
    public var route: CallCommandRoute {
        switch self {
        case .registrationAccepted(let name, _), .configurationChanged(let name, _), .indicate(let name, _, _, _),
            .openReceiveChannel(let name, _, _, _), .startMediaTransmission(let name, _, _, _, _),
            .closeMedia(let name, _, _), .messageWaiting(let name, _, _), .notify(let name, _):
            .session(.device(name), releasesOwner: false)
        case .doNotDisturbChanged(let name, _):
            .sessionAndPresence(.device(name))
        case .trunk(let name, _, _):
            .session(.trunk(name), releasesOwner: false)
        case .trunkAttachRefused(let name):
            .session(.trunk(name), releasesOwner: true)
        case .media:
            .session(.mediaServer, releasesOwner: false)
        case .mediaServerAttachRefused:
            .session(.mediaServer, releasesOwner: true)
        case .registrationRejected(let name, _), .unregister(let name, _):
            .session(.device(name), releasesOwner: true)
        case .autoRegistered(let name, let number):
            .autoRegistered(name, number)
        case .startTimer(let id, let after):
            .startTimer(id, after: after)
        case .cancelTimer(let id):
            .cancelTimer(id)
        case .callRecord(let record):
            .callRecord(record)
        case .lineStateChanged, .deviceStatusChanged:
            .presence
        }
    }
}

/// Who may hand one ``CallEvent`` to the core, as the runtime checks it against its session registry.
public enum CallEventOrigin: Hashable, Sendable {
    /// A session claims the owner (a registration). When another session owns it already, the runtime's take-over
    /// policy decides between them.
    case claim(EndpointOwner)
    /// A session gives the owner up (it unregistered or its connection ended). Only the owner's current session may:
    /// the end of a connection that was taken over must not unregister its successor.
    case release(EndpointOwner)
    /// A session acts for the owner (a key, a hook, a media answer). Only the owner's current session may.
    case owner(EndpointOwner)
    /// The runtime itself (timer expiries, configuration changes); never accepted from a session.
    case runtime
}

extension CallEvent {
    /// Who may hand this event to the core. The one switch over every event for the runtime: an event the core
    /// adds is placed here.
    public var origin: CallEventOrigin {
        switch self {
        case .deviceRegistered(let name, _):
            .claim(.device(name))
        case .deviceUnregistered(let name):
            .release(.device(name))
        case .capabilitiesChanged(let name, _), .offHook(let name, _, _), .onHook(let name, _, _),
            .digit(let name, _, _, _), .enbloc(let name, _, _), .lineButton(let name, _), .speedDial(let name, _),
            .softKey(let name, _, _, _), .receiveChannelOpened(let name, _, _, _):
            .owner(.device(name))
        case .trunkAttached(let name, _):
            .claim(.trunk(name))
        case .trunkDetached(let name):
            .release(.trunk(name))
        case .trunkStatusChanged(let name, _), .trunkCallArrived(let name, _, _, _, _, _),
            .trunkCallAlerting(let name, _), .trunkCallAnswered(let name, _), .trunkMediaAddress(let name, _, _, _),
            .trunkCallEnded(let name, _, _, _), .trunkHoldChanged(let name, _, _),
            .trunkTelephoneEvents(let name, _, _), .trunkDigitStarted(let name, _, _), .trunkDigitEnded(let name, _):
            .owner(.trunk(name))
        case .mediaServerAttached:
            .claim(.mediaServer)
        case .mediaServerDetached:
            .release(.mediaServer)
        case .mediaResourceReady, .mediaResourceFailed:
            .owner(.mediaServer)
        case .timerFired, .directoryChanged:
            .runtime
        }
    }
}
