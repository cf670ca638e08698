import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the web pages: the Mustache templates of ``WebTemplates`` inside the layout, with the headers every page
/// gets (a strict Content-Security-Policy: the pages load only their own stylesheet and script, and no inline
/// script or style runs; no caching, because pages carry CSRF tokens; no framing).
struct WebRenderer: Sendable {
    /// The parsed templates. They are constants of this module, so a template that does not parse is a bug caught
    /// by the tests (`WebPageTests` renders every page), not an input error.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in WebTemplates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("web template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// The headers of every HTML answer.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    /// The page named `template` (a child of `layout`) with `body` as its values.
    func page(
        _ template: String,
        title: String,
        body: some Sendable,
        session: WebSessionInfo?,
        section: String? = nil,
        flash: String? = nil,
        script page: String? = nil,
        status: HTTPResponse.Status = .ok,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        let chrome = WebChrome(
            title: title,
            page: page,
            stylesheet: WebAssets.stylesheetPath,
            script: WebAssets.scriptPath,
            session: session.map { session in
                WebChrome.SessionView(
                    account: session.account,
                    navigation: WebPaths.navigation.map { item in
                        WebChrome.NavigationItem(href: item.href, label: item.label, current: item.section == section)
                    }
                )
            },
            flash: flash
        )
        let context = PageContext(chrome: chrome, body: body, csrf: session?.csrfToken)
        let html = Self.library.render(context, withTemplate: template) ?? "template \(template) is missing"
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// An error page: what went wrong, in a sentence.
    func problem(
        status: HTTPResponse.Status,
        title: String,
        message: String,
        session: WebSessionInfo?,
        extraHeaders: HTTPFields = [:]
    ) throws -> Response {
        struct Problem: Sendable {
            var title: String
            var message: String
            var signedIn: Bool
        }
        return page(
            "problem",
            title: title,
            body: Problem(title: title, message: message, signedIn: session != nil),
            session: session,
            status: status,
            extraHeaders: extraHeaders
        )
    }

    /// 303 See Other to `location` (a local path): after a form's POST, and to the sign-in page.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }
}
