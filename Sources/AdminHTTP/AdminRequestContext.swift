public import Foundation
public import Hummingbird

/// The request context of the admin API: Hummingbird's core storage, the API's JSON coders, the name of the token
/// that authenticated the request (for logs), and for web pages the signed-in session.
public struct AdminRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BearerTokenMiddleware``.
    public var tokenName: String?
    /// Set by the web pages' session middleware: who is signed in, and the session's CSRF token.
    public var webSession: WebSessionInfo?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.tokenName = nil
        self.webSession = nil
    }

    public var requestDecoder: JSONDecoder { AdminAPI.makeDecoder() }
    public var responseEncoder: JSONEncoder { AdminAPI.makeEncoder() }
}
