import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Store

/// What the web pages' handlers share: the API's routes (their Store, live status, options and the functions the
/// JSON routes call), the renderer and the sessions.
struct WebPages: Sendable {
    let routes: AdminRoutes
    let renderer = WebRenderer()
    let sessions: WebSessions

    var store: Store { routes.store }
    var live: any AdminLiveStatus { routes.live }

    init(routes: AdminRoutes) {
        self.routes = routes
        self.sessions = WebSessions(store: routes.store, options: routes.web)
    }

    /// The session the middleware found; its absence is a wiring bug, answered as 401.
    func session(_ context: AdminRequestContext) throws -> WebSessionInfo {
        guard let session = context.webSession else {
            throw AdminAPIError.unauthorized("this page needs a signed-in session")
        }
        return session
    }

    /// The submitted form (the middleware has buffered it while checking its CSRF token).
    func form(_ request: Request) async throws -> WebForm {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: WebSessions.maximumFormBody)
        } catch {
            throw AdminAPIError.payloadTooLarge("the form is larger than \(WebSessions.maximumFormBody) bytes")
        }
        guard let form = WebForm(buffer) else {
            throw AdminAPIError.invalidValue(nil, "the form is not UTF-8, or has too many fields")
        }
        return form
    }

    /// A page for a signed-in session.
    func page(
        _ template: String,
        title: String,
        body: some Sendable,
        context: AdminRequestContext,
        section: String?,
        request: Request? = nil,
        script: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        renderer.page(
            template,
            title: title,
            body: body,
            session: try session(context),
            section: section,
            flash: WebPaths.flash(request.map { WebForm(query: $0)["done"] } ?? nil),
            script: script,
            status: status
        )
    }

    /// The API's answer to `error` when it is one a form can show next to a field (a bad value, a conflict, a
    /// missing reference); nil for anything else, which the error middleware answers.
    static func formError(_ error: any Error) -> AdminAPIError? {
        switch error {
        case let error as AdminAPIError where error.status.kind == .clientError: error
        case let error as StoreError:
            AdminAPIError.from(error).status.kind == .clientError ? AdminAPIError.from(error) : nil
        default: nil
        }
    }

    // MARK: - Reading form fields as the API reads JSON

    /// A whole number, or nil when the field is empty; otherwise the API's message for a value of the wrong type.
    static func integer(_ form: WebForm, _ name: String, entity: String) throws -> Int? {
        let text = form.text(name)
        guard !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw AdminAPIError.invalidValue("\(entity).\(name)", "\(entity) \(name) must be a whole number")
        }
        return value
    }

    /// The record version an edit form carries in its hidden `version` field; nil when it carries none.
    static func version(_ form: WebForm, entity: String) throws -> Int64? {
        let text = form.text("version")
        guard !text.isEmpty else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw AdminAPIError.invalidValue("\(entity).version", "\(entity) version must be a whole number above 0")
        }
        return value
    }

    /// A list typed as words separated by commas or spaces (`1001, 1002`).
    static func list(_ form: WebForm, _ name: String) -> [String] {
        form.text(name).split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .map(String.init)
    }

    /// nil for an empty field.
    static func optional(_ form: WebForm, _ name: String) -> String? {
        let text = form.text(name)
        return text.isEmpty ? nil : text
    }

    /// `Yes` / `No`.
    static func yesNo(_ value: Bool) -> String { value ? "Yes" : "No" }
}

/// Answers the pages' errors as HTML: a 4xx API error with its message, anything else as a logged 500.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let renderer: WebRenderer

    func handle(
        _ request: Request,
        context: AdminRequestContext,
        next: (Request, AdminRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError: AdminAPIError
            switch error {
            case let error as AdminAPIError: apiError = error
            case let error as StoreError: apiError = AdminAPIError.from(error)
            case let error as PasswordHasherBusy: apiError = AdminAPIError.unavailable(error.description)
            case let error as any HTTPResponseError where error.status == .notFound:
                apiError = AdminAPIError.notFound(nil, "There is no page \(request.uri.path).")
            default:
                context.logger.error("Web page failed", metadata: ["error": "\(error)"])
                apiError = AdminAPIError.internal("The server failed to answer; the log says why.")
            }
            if apiError.status == .internalServerError, case let store as StoreError = error {
                context.logger.error("Web page failed", metadata: ["error": "\(store)"])
            }
            return try renderer.problem(
                status: apiError.status,
                title: Self.title(apiError.status),
                message: apiError.message,
                session: context.webSession
            )
        }
    }

    static func title(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "Signed out"
        case 403: "Not allowed"
        case 404: "Not found"
        case 409: "Conflict"
        case 413: "Too large"
        case 503: "Busy"
        case 400..<500: "Not accepted"
        default: "Server error"
        }
    }
}

/// Counts the open live streams (dashboard, presence board) of the web pages.
final class LiveStreamCounter: Sendable {
    private let count = NIOLockedValueBox(0)

    /// Takes a slot; false when `limit` are open.
    func acquire(limit: Int) -> Bool {
        count.withLockedValue { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func release() {
        count.withLockedValue { $0 -= 1 }
    }
}

/// One taken ``LiveStreamCounter`` slot, given back when the stream's response is done with: when its body ends,
/// or when the response is dropped without its body ever running (the client went away first).
final class LiveStreamSlot: Sendable {
    private let counter: LiveStreamCounter

    init(_ counter: LiveStreamCounter) {
        self.counter = counter
    }

    deinit {
        counter.release()
    }
}

extension AdminRoutes {
    /// The web administration under `/web` (README "The web administration"): the sign-in form and the static
    /// assets for everyone, every other page behind ``WebSessionMiddleware``, and the API routes the pages' scripts
    /// use (import, presence events) mounted again under `/web/api` with the session in place of the bearer token.
    func addWebRoutes(to router: Router<Context>) {
        let pages = WebPages(routes: self)
        router.get("/") { _, _ in WebRenderer.redirect(to: WebPaths.dashboard) }
        let web = router.group("web")
        web.get("static/strowger.css") { _, _ in
            WebAssets.response(WebAssets.stylesheet, type: "text/css; charset=utf-8")
        }
        web.get("static/strowger.js") { _, _ in
            WebAssets.response(WebAssets.script, type: "text/javascript; charset=utf-8")
        }
        pages.addSignInRoutes(to: web)

        let protected = web.group().add(
            middleware: WebSessionMiddleware(sessions: pages.sessions, renderer: pages.renderer)
        )
        let api = protected.group("api")
        addImportRoutes(to: api.group("import"))
        addPresenceRoutes(to: api.group("presence"))
        addMusicUploadRoute(to: api)

        let html = protected.group().add(middleware: WebErrorMiddleware(renderer: pages.renderer))
        pages.addSignOutRoute(to: html)
        pages.addDashboardRoutes(to: html)
        pages.addPhoneRoutes(to: html.group("phones"))
        pages.addLineRoutes(to: html.group("lines"))
        pages.addUserRoutes(to: html.group("users"))
        pages.addRoutePatternRoutes(to: html.group("routes"))
        pages.addHuntGroupRoutes(to: html.group("hunt-groups"))
        pages.addPickupGroupRoutes(to: html.group("pickup-groups"))
        pages.addTrunkRoutes(to: html.group("trunks"))
        pages.addSoftkeyTemplateRoutes(to: html.group("softkeys"))
        pages.addMusicSourceRoutes(to: html.group("music"))
        pages.addMeetMeRoutes(to: html.group("meetme"))
        pages.addCallManagerGroupRoutes(to: html.group("cmgroups"))
        pages.addSettingsRoutes(to: html.group("settings"))
        pages.addImportRoutes(to: html)
        pages.addCallRecordRoutes(to: html)
        pages.addPresenceRoutes(to: html.group("presence"))
    }
}

extension WebPages {
    // MARK: - Sign-in and sign-out

    struct SignInView: Sendable {
        var token: String
        var next: String?
        var name: String
        var problem: String?
    }

    func addSignInRoutes(to web: RouterGroup<AdminRequestContext>) {
        let pages = self
        web.get("signin") { request, _ in
            let next = WebPaths.safeNext(WebForm(query: request)["next"])
            if try await pages.sessions.session(for: request) != nil {
                return WebRenderer.redirect(to: next ?? WebPaths.dashboard)
            }
            return pages.signInPage(next: next, name: "", problem: nil, request: request)
        }
        web.post("signin") { request, context in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: WebSessions.maximumFormBody)
            } catch {
                throw AdminAPIError.payloadTooLarge("the form is larger than \(WebSessions.maximumFormBody) bytes")
            }
            let form = WebForm(body) ?? WebForm()
            let next = WebPaths.safeNext(form["next"])
            let name = form.text("name")
            guard let expected = request.cookies[WebSessions.signInCookieName]?.value, WebSessions.isToken(expected),
                let sent = form[WebSessions.csrfField], WebSessions.constantTimeEqual(sent, expected)
            else {
                context.logger.notice("Web sign-in refused: the form's token does not match its cookie")
                return pages.signInPage(
                    next: next,
                    name: name,
                    problem: "The sign-in form had expired. It has been renewed: sign in again.",
                    request: request,
                    status: .forbidden
                )
            }
            let password = form["password"] ?? ""
            let result: WebSessions.SignInResult
            do {
                result = try await pages.sessions.signIn(name: name, password: password)
            } catch let busy as PasswordHasherBusy {
                return pages.signInPage(
                    next: next,
                    name: name,
                    problem: "The server is busy checking other sign-ins (\(busy)).",
                    request: request,
                    status: .serviceUnavailable
                )
            }
            switch result {
            case .refused:
                context.logger.notice("Web sign-in refused", metadata: ["web.account": "\(name)"])
                return pages.signInPage(
                    next: next,
                    name: name,
                    problem: "The name or the password is not right.",
                    request: request,
                    status: .unauthorized
                )
            case .signedIn(let token, let session):
                context.logger.notice("Web sign-in", metadata: ["web.account": "\(session.account)"])
                var headers = HTTPFields()
                headers.append(HTTPField(name: .setCookie, value: pages.sessions.sessionCookie(token)))
                headers.append(HTTPField(name: .setCookie, value: pages.sessions.clearedSignInCookie()))
                return WebRenderer.redirect(to: next ?? WebPaths.dashboard, headers: headers)
            }
        }
    }

    /// The sign-in form with a fresh token, set in its cookie too.
    func signInPage(
        next: String?,
        name: String,
        problem: String?,
        request: Request,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let token = WebSessions.randomHex()
        return renderer.page(
            "signin",
            title: "Sign in",
            body: SignInView(token: token, next: next, name: name, problem: problem),
            session: nil,
            flash: WebPaths.flash(WebForm(query: request)["done"]),
            status: status,
            extraHeaders: [.setCookie: sessions.signInCookie(token)]
        )
    }

    func addSignOutRoute(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.post("signout") { _, context in
            let session = try pages.session(context)
            try await pages.sessions.signOut(session)
            context.logger.notice("Web sign-out", metadata: ["web.account": "\(session.account)"])
            return WebRenderer.redirect(
                to: WebPaths.done(WebPaths.signInPath, "signedOut"),
                headers: [.setCookie: pages.sessions.clearedSessionCookie()]
            )
        }
    }
}
