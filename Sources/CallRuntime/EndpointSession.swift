public import CallControl
public import NIOCore

/// What the runtime needs of whatever speaks for an endpoint of calls: an SCCP connection today (ServerNIO's
/// `SessionHandle`), a SIP trunk, a link to another node or a media resource later.
///
/// A protocol layer plugs in by handing the runtime a session with each event it submits
/// (``CallControlHost/submit(_:from:)``). The session that submits an event whose ``CallControl/CallEvent/origin`` is
/// ``CallControl/CallEventOrigin/claim(_:)`` becomes the owner's session (subject to ``TakeOverPolicy``); from then
/// on every command routed to that owner (``CallControl/CallCommand/route``) reaches it through `deliver(_:)`,
/// and only its events for the owner reach the core. The runtime never imports the protocol layers, and they never
/// import each other.
///
/// Identity is the object's: two connections that claim the same name are two sessions. Every requirement is called
/// on the runtime's event loop and must not block; a session that lives on another loop hops there, keeping the order
/// of the calls.
public protocol EndpointSession: AnyObject, Sendable {
    /// Carries out the core's commands for this session's endpoint, in the order given. Each call is one batch: the
    /// commands one core event produced for this owner.
    func deliver(_ commands: [CallCommand])

    /// Shows presence's new states of the endpoint's BLF speed dials, in order, after the commands delivered before.
    /// An endpoint without busy lamps (a trunk) is never sent any.
    func deliver(_ busyLamps: [BusyLampUpdate])

    /// Ends the session (its connection) because another session took its endpoint over, or the server shuts down.
    /// The session may still report its own end afterwards; the runtime has let go of it already and drops that.
    func close()

    /// When the session last heard from its peer (a keepalive, any message): take-over keeps a session heard within
    /// ``TakeOverPolicy/aliveWindow``. On the same clock as `NIODeadline.now()`.
    var lastHeard: NIODeadline { get }
}

/// A BLF speed dial's new state, from presence (`PresenceOutput.busyLamp`): speed dial `index` of the phone shows
/// `state`.
public struct BusyLampUpdate: Sendable, Hashable {
    public var index: UInt32
    public var state: BusyLampState

    public init(index: UInt32, state: BusyLampState) {
        self.index = index
        self.state = state
    }
}
