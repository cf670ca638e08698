public import CallControl
import NIOConcurrencyHelpers
public import NIOCore

/// The host's view of one connected phone: how to hand it commands, how to close it, and when it was last heard.
///
/// The session itself lives on its channel's event loop; this handle is the thread-safe way in from the
/// CallControl host's loop.
public final class SessionHandle: Sendable {
    /// Distinguishes connections that claim the same device name (take-over).
    public let id: UInt64
    /// The peer's address, for logs and status.
    public let remoteAddress: SocketAddress?
    private let lastActivity: NIOLockedValueBox<NIODeadline>
    private let deliverCommands: @Sendable ([CallCommand]) -> Void
    private let closeConnection: @Sendable () -> Void

    public init(
        id: UInt64, remoteAddress: SocketAddress?,
        deliver: @escaping @Sendable ([CallCommand]) -> Void,
        close: @escaping @Sendable () -> Void
    ) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.lastActivity = NIOLockedValueBox(.now())
        self.deliverCommands = deliver
        self.closeConnection = close
    }

    /// Records that the phone sent something now.
    public func touch(_ now: NIODeadline = .now()) {
        self.lastActivity.withLockedValue { $0 = now }
    }

    /// Whether the phone has been heard within `window`: a phone that keeps its keepalive cadence always is.
    public func isAlive(within window: TimeAmount, now: NIODeadline = .now()) -> Bool {
        self.lastActivity.withLockedValue { now - $0 <= window }
    }

    /// Hands commands to the session on its own event loop, in order.
    public func deliver(_ commands: [CallCommand]) {
        self.deliverCommands(commands)
    }

    /// Closes the connection (the session then reports its own closing).
    public func close() {
        self.closeConnection()
    }
}
