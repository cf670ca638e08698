import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store

/// Who is signed in on a web request: set by ``WebSessionMiddleware`` on ``AdminRequestContext/webSession``.
public struct WebSessionInfo: Sendable, Hashable {
    /// The hashed cookie token: the session's row.
    public var id: String
    /// The account (`admin` for the admin token).
    public var account: String
    /// The token every form and script request carries back.
    public var csrfToken: String
}

/// Sign-in, the session cookie and CSRF tokens of the web administration.
///
/// - A session is a random 256-bit token in a cookie (`HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` when the
///   admin port serves HTTPS); the Store keeps only its SHA-256. It ends after ``WebOptions/sessionLifetime``, after
///   ``WebOptions/sessionIdleTimeout`` without a request, or at sign-out.
/// - Every form carries the session's CSRF token in `_csrf`, and every script request in `X-CSRF-Token`; a POST,
///   PUT, PATCH or DELETE without the right one is refused (403) before any handler runs. The sign-in form, which
///   has no session yet, carries a token that must match a short-lived cookie set with the form (double submit).
/// - The admin token signs in as the built-in account `admin`; other accounts have a scrypt password hash
///   (``PasswordHasher``).
struct WebSessions: Sendable {
    static let cookieName = "strowger_session"
    static let signInCookieName = "strowger_signin"
    /// The form field and header that carry the CSRF token.
    static let csrfField = "_csrf"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    /// The largest form body read (to find its CSRF token); a form of this API is a few kilobytes.
    static let maximumFormBody = 64 << 10
    /// `lastSeenAt` is written at most this often per session, so that browsing is not a database write per page.
    static let touchInterval: TimeInterval = 60

    let store: Store
    let options: WebOptions

    // MARK: - Signing in and out

    /// The outcome of checking a name and password.
    enum SignInResult {
        case signedIn(token: String, session: WebSessionRecord)
        case refused
    }

    /// Checks the credentials and, if they are right, opens a session. `admin` with the admin token as password is
    /// the built-in account; any other name is looked up among the accounts. A name without an account costs the
    /// same time as a wrong password.
    func signIn(name: String, password: String) async throws -> SignInResult {
        let account: String
        if name.lowercased() == WebAccountRecord.builtInName {
            guard password.utf8.count <= BearerTokenMiddleware.maximumTokenLength,
                try await store.adminToken(matching: password) != nil
            else { return .refused }
            account = WebAccountRecord.builtInName
        } else {
            guard password.utf8.count <= PasswordHasher.maximumPasswordLength,
                let record = try await store.webAccount(named: name)
            else {
                try await options.passwordHasher.waste(password)
                return .refused
            }
            guard try await options.passwordHasher.verify(password, against: record.passwordHash) else {
                return .refused
            }
            account = record.name
        }
        let token = Self.randomHex()
        let now = options.now()
        let session = WebSessionRecord(
            id: Self.hash(token),
            account: account,
            csrfToken: Self.randomHex(),
            createdAt: now,
            lastSeenAt: now,
            expiresAt: now.addingTimeInterval(Self.seconds(options.sessionLifetime))
        )
        // Sign-in is a good moment to clear sessions that ended: the table stays as small as the live sessions.
        try await store.deleteExpiredWebSessions(now: now, idleSince: idleCutoff(now))
        try await store.insertWebSession(session)
        return .signedIn(token: token, session: session)
    }

    /// The session the request's cookie names, if it is live; touches it at most once a minute.
    func session(for request: Request) async throws -> WebSessionInfo? {
        guard let token = request.cookies[Self.cookieName]?.value, Self.isToken(token),
            let record = try await store.webSession(id: Self.hash(token))
        else { return nil }
        let now = options.now()
        guard record.expiresAt > now, record.lastSeenAt >= idleCutoff(now) else {
            try await store.deleteWebSession(id: record.id)
            return nil
        }
        if now.timeIntervalSince(record.lastSeenAt) >= Self.touchInterval {
            try await store.touchWebSession(id: record.id, at: now)
        }
        return WebSessionInfo(id: record.id, account: record.account, csrfToken: record.csrfToken)
    }

    func signOut(_ session: WebSessionInfo) async throws {
        try await store.deleteWebSession(id: session.id)
    }

    private func idleCutoff(_ now: Date) -> Date {
        now.addingTimeInterval(-Self.seconds(options.sessionIdleTimeout))
    }

    // MARK: - Cookies

    /// `Set-Cookie` for a new session.
    func sessionCookie(_ token: String) -> String {
        cookie(Self.cookieName, token, maxAge: Int(Self.seconds(options.sessionLifetime)))
    }

    /// `Set-Cookie` that removes the session cookie.
    func clearedSessionCookie() -> String {
        cookie(Self.cookieName, "", maxAge: 0)
    }

    /// `Set-Cookie` for the sign-in form's CSRF token (ten minutes to fill the form in).
    func signInCookie(_ token: String) -> String {
        cookie(Self.signInCookieName, token, maxAge: 600)
    }

    func clearedSignInCookie() -> String {
        cookie(Self.signInCookieName, "", maxAge: 0)
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        var text = "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
        if options.secureCookies { text += "; Secure" }
        return text
    }

    // MARK: - CSRF

    /// Whether an unsafe request carries `expected`: in the `X-CSRF-Token` header, or as `_csrf` in a form body
    /// (which is then buffered on the request for the handler to read).
    static func carriesToken(_ expected: String, _ request: inout Request) async throws -> Bool {
        if let header = request.headers[csrfHeader] {
            return constantTimeEqual(header, expected)
        }
        guard let type = request.headers[.contentType]?.lowercased(),
            type.hasPrefix("application/x-www-form-urlencoded")
        else { return false }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumFormBody)
        } catch {
            throw AdminAPIError.payloadTooLarge("the form is larger than \(maximumFormBody) bytes")
        }
        guard let form = WebForm(body), let token = form[csrfField] else { return false }
        return constantTimeEqual(token, expected)
    }

    static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        switch method {
        case .get, .head, .options: false
        default: true
        }
    }

    // MARK: - Tokens

    /// 256 random bits as 64 hex digits.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    /// Hex SHA-256 of a token: the key a session is stored under.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// 64 lower-case hex digits: anything else is not a token this server made, and is not looked up.
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Lets a web request through only with a live session (setting ``AdminRequestContext/webSession``) and, for a
/// POST, PUT, PATCH or DELETE, the session's CSRF token. Without a session a page is redirected to the sign-in form
/// (303) and anything else is 401; a wrong or missing CSRF token is 403.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let sessions: WebSessions
    let renderer: WebRenderer

    func handle(
        _ request: Request,
        context: AdminRequestContext,
        next: (Request, AdminRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let session = try await sessions.session(for: request) else {
            // The API routes mounted for the pages' scripts answer as the API does.
            if request.uri.path.hasPrefix(WebPaths.root + "/api/") {
                throw AdminAPIError.unauthorized("this needs a signed-in web session")
            }
            if request.method == .get || request.method == .head, !Self.wantsData(request) {
                return WebRenderer.redirect(to: WebPaths.signIn(next: request.uri.path))
            }
            return try renderer.problem(
                status: .unauthorized,
                title: "Signed out",
                message: "This needs a signed-in session: sign in again.",
                session: nil,
                extraHeaders: [.setCookie: sessions.clearedSessionCookie()]
            )
        }
        var context = context
        context.webSession = session
        context.logger[metadataKey: "web.account"] = .string(session.account)
        var request = request
        if WebSessions.isUnsafe(request.method) {
            guard try await WebSessions.carriesToken(session.csrfToken, &request) else {
                context.logger.notice("Web request refused: CSRF token missing or wrong")
                return try renderer.problem(
                    status: .forbidden,
                    title: "Form expired",
                    message:
                        "The form's security token does not match this session. Go back, reload the page and try again.",
                    session: session
                )
            }
        }
        return try await next(request, context)
    }

    /// An event stream or a script asking for JSON: answered 401 rather than redirected to a page.
    static func wantsData(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.contains("text/event-stream") || accept.contains("application/json")
    }
}
