public import CallControl
public import SkinnyWire

/// What the host must do after an input to ``DeviceSessionStateMachine``, in order.
///
/// Actions are plain data (`Equatable`, `Sendable`): the machine never performs I/O, so it can be tested by comparing
/// transcripts.
public enum SessionAction: Hashable, Sendable {
    /// Send this message to the phone, encoded at ``DeviceSessionStateMachine/protocolVersion``.
    case send(CallManagerMessage)
    /// Hand this event to the CallControl core. `deviceRegistered` goes through the host's registry, which decides
    /// what to do about another session with the same name.
    case forward(CallEvent)
    /// Close the connection once everything sent before it has been flushed. The machine is finished: later inputs
    /// do nothing, and ``DeviceSessionStateMachine/connectionClosed()`` forwards nothing more.
    case close(SessionCloseReason)
}

/// Why the session closed the connection, for logs and metrics.
public enum SessionCloseReason: Hashable, Sendable, CustomStringConvertible {
    /// The core refused the registration; the phone was sent RegisterReject.
    case registrationRejected(RegistrationRejection)
    /// The phone unregistered (Unregister, answered with UnregisterAck).
    case unregistered
    /// Nothing arrived from the phone for two keepalive intervals.
    case keepAliveExpired
    /// A frame from the phone could not be decoded; bad input costs the sender its connection (design.md).
    case malformedFrame(SkinnyError)
    /// The phone sent a message the session cannot accept in its state, e.g. a call message before Register or a
    /// second Register.
    case protocolViolation(SkinnyMessageID)
    /// The server ended the session: the device was removed from the directory (the phone was sent Reset).
    case resetByServer

    public var description: String {
        switch self {
        case .registrationRejected(let rejection): "registration rejected: \(rejection)"
        case .unregistered: "unregistered by the phone"
        case .keepAliveExpired: "keepalive expired"
        case .malformedFrame(let error): "malformed frame: \(error)"
        case .protocolViolation(let id): "protocol violation: unexpected \(id)"
        case .resetByServer: "reset by the server"
        }
    }
}
