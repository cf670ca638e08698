import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import AdminHTTP

/// Signing in and out of the web administration, the session cookie, CSRF tokens, expiry, and the accounts API.
@Suite struct WebSessionTests {
    @Test func theAdminTokenSignsInAsAdminWithAStrictHttpOnlyCookie() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let (response, session) = try await client.signIn("admin", client.token)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/web/")
            let cookie = try #require(WebClient.setCookie(WebSessions.cookieName, in: response))
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
                #expect(cookie.contains(attribute), "\(cookie)")
            }
            #expect(!cookie.contains("Secure"), "plain HTTP cannot carry a Secure cookie: \(cookie)")
            let page = try await client.get("/web/", as: try #require(session))
            #expect(page.status == .ok)
            #expect(page.html.contains("<span class=\"who\">admin</span>"))
        }
    }

    @Test func overTLSTheCookieIsSecure() async throws {
        let harness = try await WebHarness.make { $0.secureCookies = true }
        try await harness.test { client in
            let (response, _) = try await client.signIn("admin", client.token)
            #expect(WebClient.setCookie(WebSessions.cookieName, in: response)?.hasSuffix("; Secure") == true)
        }
    }

    @Test(arguments: [("admin", "0123"), ("admin", ""), ("nobody", "a password"), ("carol", "wrong password")])
    func wrongCredentialsAreRefused(name: String, password: String) async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            #expect(
                try await client.api(.post, "/api/accounts", json: #"{"name":"carol","password":"right password"}"#)
                    .status == .created
            )
            let (response, session) = try await client.signIn(name, password)
            #expect(response.status == .unauthorized)
            #expect(session == nil)
            #expect(response.html.contains("The name or the password is not right."))
            #expect(response.html.contains("value=\"\(escaped(name))\""), "the name typed is kept")
        }
    }

    @Test func anAccountSignsInWithItsPasswordWhichIsStoredOnlyAsAScryptHash() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let created = try await client.api(
                .post,
                "/api/accounts",
                json: #"{"name":"carol","password":"correct horse"}"#
            )
            #expect(created.status == .created)
            let stored = try #require(try await harness.store.webAccount(named: "carol"))
            #expect(stored.passwordHash.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
            #expect(!stored.passwordHash.contains("correct horse"))
            let (response, session) = try await client.signIn("CAROL", "correct horse")
            #expect(response.status == .seeOther)
            let page = try await client.get("/web/", as: try #require(session))
            #expect(page.html.contains("<span class=\"who\">carol</span>"))
        }
    }

    @Test func theSignInFormNeedsTheTokenOfItsCookie() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let form = try await client.get("/web/signin")
            let token = try #require(WebClient.cookie(WebSessions.signInCookieName, in: form))
            #expect(form.html.contains("name=\"_csrf\" value=\"\(token)\""))
            // The right credentials, but a token that is not the cookie's (a form posted from another site).
            let forged = try await client.post(
                "/web/signin",
                [("name", "admin"), ("password", client.token)],
                as: nil,
                csrf: String(repeating: "a", count: 64)
            )
            #expect(forged.status == .forbidden)
            #expect(WebClient.cookie(WebSessions.cookieName, in: forged) == nil)
        }
    }

    @Test func withoutASessionPagesRedirectToSignInAndEverythingElseIsRefused() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let page = try await client.get("/web/phones")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/web/signin?next=%2Fweb%2Fphones")
            // The API's bearer token is not a session.
            let bearer = try await client.get("/web/phones", headers: [.authorization: "Bearer \(client.token)"])
            #expect(bearer.status == .seeOther)
            let post = try await client.post("/web/lines", [("number", "1001")], as: nil, csrf: "x")
            #expect(post.status == .unauthorized)
            let stream = try await client.get("/web/events", headers: [.accept: "text/event-stream"])
            #expect(stream.status == .unauthorized)
            let forged = try await client.get(
                "/web/phones",
                cookie: "\(WebSessions.cookieName)=\(String(repeating: "0", count: 64))"
            )
            #expect(forged.status == .seeOther)
            #expect(try await harness.store.lineDetails().isEmpty)
        }
    }

    @Test func aWrongOrMissingCSRFTokenIsRefusedAndChangesNothing() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let wrong = try await client.post(
                "/web/lines",
                [("number", "1001")],
                as: session,
                csrf: String(repeating: "f", count: 64)
            )
            #expect(wrong.status == .forbidden)
            #expect(wrong.html.contains("security token does not match"))
            var headers: HTTPFields = [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
            let missing = try await client.client.execute(
                uri: "/web/lines",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "number=1001")
            )
            #expect(missing.status == .forbidden)
            headers = [.cookie: session.cookie, .contentType: "text/csv", WebSessions.csrfHeader: "nope"]
            let script = try await client.client.execute(
                uri: "/web/api/import",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "DIRECTORY NUMBER 1\n1001\n")
            )
            #expect(script.status == .forbidden)
            #expect(try await harness.store.lineDetails().isEmpty)

            let right = try await client.post("/web/lines", [("number", "1001")], as: session)
            #expect(right.status == .seeOther)
            #expect(try await harness.store.lineDetails().map(\.line.number) == ["1001"])
        }
    }

    @Test func aSessionEndsWhenIdle() async throws {
        let harness = try await WebHarness.make {
            $0.sessionIdleTimeout = .seconds(600)
            $0.sessionLifetime = .seconds(3600)
        }
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            harness.clock.advance(seconds: 500)
            #expect(try await client.get("/web/", as: session).status == .ok)
            harness.clock.advance(seconds: 500)
            #expect(try await client.get("/web/", as: session).status == .ok, "use keeps a session alive")
            harness.clock.advance(seconds: 601)
            let idle = try await client.get("/web/", as: session)
            #expect(idle.status == .seeOther)
            #expect(idle.headers[.location] == "/web/signin")
            #expect(try await client.get("/web/", as: session).status == .seeOther, "an ended session stays ended")
        }
    }

    @Test func aSessionEndsAtItsLifetimeHoweverBusy() async throws {
        let harness = try await WebHarness.make {
            $0.sessionIdleTimeout = .seconds(600)
            $0.sessionLifetime = .seconds(1800)
        }
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            for _ in 0..<5 {
                harness.clock.advance(seconds: 300)
                #expect(try await client.get("/web/", as: session).status == .ok)
            }
            harness.clock.advance(seconds: 300)
            #expect(try await client.get("/web/", as: session).status == .seeOther)
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let out = try await client.post("/web/signout", [], as: session)
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/web/signin?done=signedOut")
            #expect(WebClient.setCookie(WebSessions.cookieName, in: out)?.contains("Max-Age=0") == true)
            #expect(try await client.get("/web/", as: session).status == .seeOther)
            let signInPage = try await client.get("/web/signin?done=signedOut")
            #expect(signInPage.html.contains("You have signed out."))
        }
    }

    @Test(arguments: [
        ("/web/lines", "/web/lines"), ("//evil.example/web/", "/web/"), ("https://evil.example/", "/web/"),
        ("/api/devices", "/web/"),
    ])
    func afterSignInOnlyPagesOfThisServerAreFollowed(next: String, location: String) async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let (response, _) = try await client.signIn("admin", client.token, next: next)
            #expect(response.headers[.location] == location)
        }
    }

    // MARK: - The accounts API

    @Test func accountsAreAddedListedRepasswordedAndRemovedThroughTheAPI() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            #expect(
                try await client.api(.post, "/api/accounts", json: #"{"name":"carol","password":"first password"}"#)
                    .status == .created
            )
            let duplicate = try await client.api(
                .post,
                "/api/accounts",
                json: #"{"name":"Carol","password":"another one"}"#
            )
            #expect(duplicate.status == .conflict)
            let list = try await client.api(.get, "/api/accounts")
            #expect(list.status == .ok)
            #expect(list.html.contains("\"name\":\"carol\""))
            #expect(!list.html.contains("scrypt"), "hashes never leave the server")

            let (_, session) = try await client.signIn("carol", "first password")
            let carol = try #require(session)
            let changed = try await client.api(
                .put,
                "/api/accounts/carol/password",
                json: #"{"password":"second password"}"#
            )
            #expect(changed.status == .noContent)
            #expect(try await client.get("/web/", as: carol).status == .seeOther, "a new password ends the sessions")
            #expect(try await client.signIn("carol", "first password").1 == nil)
            #expect(try await client.signIn("carol", "second password").1 != nil)

            #expect(try await client.api(.delete, "/api/accounts/carol").status == .noContent)
            #expect(try await client.api(.delete, "/api/accounts/carol").status == .notFound)
            #expect(try await client.signIn("carol", "second password").1 == nil)
        }
    }

    @Test(arguments: [
        (#"{"name":"carol","password":"short"}"#, "account.password", "account password must be at least 8 characters"),
        (
            #"{"name":"admin","password":"long enough"}"#, "account.name",
            "account name \"admin\" is the built-in account, which signs in with the admin token"
        ),
        (
            #"{"name":"two words","password":"long enough"}"#, "account.name",
            "account name must be 1 to 64 of letters, digits, '.', '_', '-' and '@', starting with a letter or digit,"
                + " not \"two words\""
        ),
        (#"{"name":"carol"}"#, "account.password", "account password is required"),
    ])
    func aBadAccountIsRefusedNamingTheField(json: String, field: String, message: String) async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let response = try await client.api(.post, "/api/accounts", json: json)
            #expect(response.status == .badRequest)
            let error = try response.decode(AdminAPI.ErrorBody.self).error
            #expect(error.field == field)
            #expect(error.message == message)
        }
    }

    @Test func theAccountsAPINeedsTheBearerToken() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let response = try await client.client.execute(uri: "/api/accounts", method: .get, headers: [:], body: nil)
            #expect(response.status == .unauthorized)
        }
    }
}

@Suite struct PasswordHasherTests {
    let hasher = WebHarness.cheapHashes

    @Test func aHashVerifiesItsPasswordOnly() async throws {
        let hash = try await hasher.hash("correct horse battery staple")
        #expect(try await hasher.verify("correct horse battery staple", against: hash))
        #expect(try await !hasher.verify("correct horse battery stapler", against: hash))
        #expect(try await !hasher.verify("", against: hash))
        // A fresh salt each time: the same password never hashes the same.
        #expect(try await hasher.hash("correct horse battery staple") != hash)
    }

    @Test func theEncodingNamesTheFunctionAndItsParameters() async throws {
        let hash = try await PasswordHasher(parameters: .init(logN: 11, r: 4, p: 2)).hash("pass phrase")
        let parts = hash.split(separator: "$")
        #expect(parts.count == 4)
        #expect(parts[0] == "scrypt")
        #expect(parts[1] == "ln=11,r=4,p=2")
        // 16 bytes of salt and 32 of key, unpadded base64.
        #expect(parts[2].count == 22)
        #expect(parts[3].count == 43)
        // Another hasher (other parameters for new hashes) still checks it by the parameters it carries.
        #expect(try await hasher.verify("pass phrase", against: hash))
    }

    @Test(arguments: [
        "", "plain text", "$scrypt$ln=15,r=8$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 43),
        "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 43),
        "$scrypt$ln=15,r=8,p=99$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 43),
        "$scrypt$ln=15,r=8,p=1$not base64!$" + String(repeating: "A", count: 43),
        "$bcrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 43),
    ])
    func aMalformedOrTooCostlyHashMatchesNothing(hash: String) async throws {
        #expect(PasswordHasher.decode(hash) == nil)
        #expect(try await !hasher.verify("anything", against: hash))
    }
}
