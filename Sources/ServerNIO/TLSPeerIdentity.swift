/// Who the TLS client proved to be: fired as a user inbound event once the handshake has completed (after
/// `TLSUserEvent.handshakeCompleted`), before any SCCP frame of the connection is read.
///
/// The session layer (or `TLSDeviceIdentityHandler`) compares `commonName` with the device name in Register.
public struct TLSPeerIdentity: Hashable, Sendable {
    /// The subject common name of the client certificate, which the handshake verified against the Strowger CA; nil
    /// when the client presented no certificate (or none was asked for).
    public var commonName: String?

    public init(commonName: String?) {
        self.commonName = commonName
    }
}

/// The TLS handshake of a connection did not complete: fired as a user inbound event by the handshake handler right
/// before it closes the connection, so that the connection's guard counts it against the listener.
public enum TLSHandshakeFailure: Hashable, Sendable {
    /// The handshake failed (not TLS, no common parameters, a client certificate that does not verify).
    case failed
    /// The handshake missed its deadline.
    case timedOut
}
