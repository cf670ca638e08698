import CallControl
import CallRuntime
import NIOCore

/// One SIP trunk as the call runtime sees it (CallRuntime's ``CallRuntime/EndpointSession``): the session that claims
/// `EndpointOwner.trunk(name)` with `trunkAttached` and carries the core's commands for the trunk's calls.
///
/// It holds no state of its own: every command hops to the SIP core's loop, where the endpoint's call machines
/// (SIPSession's `SIPTrunkCall`) run; the core checks that this session still speaks for the trunk.
final class SIPTrunkSession: EndpointSession {
    /// The trunk's configured name.
    let trunk: String
    private let handle: SIPCoreHandle

    init(trunk: String, handle: SIPCoreHandle) {
        self.trunk = trunk
        self.handle = handle
    }

    func deliver(_ commands: [CallCommand]) {
        handle.trunkCommands(commands, from: self)
    }

    /// A trunk has no busy lamps.
    func deliver(_ busyLamps: [BusyLampUpdate]) {}

    func close() {
        handle.trunkSessionClosed(self)
    }

    /// A trunk's session lives as long as the SIP service runs it; its peer's liveness is the keepalive's business
    /// (`trunkStatusChanged`), so take-over never finds it silent.
    var lastHeard: NIODeadline { .now() }
}
