public import Foundation
public import Hummingbird
public import NIOCore

/// The request context of the admin API: Hummingbird's core storage, the API's JSON coders, the name of the token
/// that authenticated the request (for logs), and for web pages the signed-in session.
public struct AdminRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BearerTokenMiddleware``.
    public var tokenName: String?
    /// The peer's address: event streams are counted per client (address and token).
    public var remoteAddress: SocketAddress?
    /// Completes when the connection closes: an event stream ends as soon as its client goes away, rather than at
    /// its next write.
    public var connectionClosed: EventLoopFuture<Void>?
    /// Set by the web pages' session middleware: who is signed in, and the session's CSRF token.
    public var webSession: WebSessionInfo?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.tokenName = nil
        self.remoteAddress = source.channel.remoteAddress
        self.connectionClosed = source.channel.closeFuture
        self.webSession = nil
    }

    public var requestDecoder: JSONDecoder { AdminAPI.makeDecoder() }
    public var responseEncoder: JSONEncoder { AdminAPI.makeEncoder() }
}
