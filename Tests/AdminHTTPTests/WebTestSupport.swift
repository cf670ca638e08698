import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Store
import Testing

@testable import AdminHTTP

/// A clock the web sessions read, moved by the test.
final class TestClock: Sendable {
    private let date = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))

    var now: Date { date.withLockedValue { $0 } }

    func advance(seconds: TimeInterval) {
        date.withLockedValue { $0 += seconds }
    }
}

/// The admin server's routes, web pages included, on an in-memory Store with one admin token, a fake live status,
/// a clock the test moves and cheap password hashes (scrypt with N = 2^10: the cost is not what these tests check).
struct WebHarness {
    let store: Store
    let live = FakeLiveStatus()
    let metrics = AdminMetrics()
    let token: String
    let clock = TestClock()
    var options = WebOptions()
    var presence: (any AdminPresence)?
    var trunkStatus: (any AdminTrunkStatus)?
    var music: (any AdminMusicLibrary)?

    /// A hasher of its own per harness: tests run in parallel, and one shared hasher's two slots would be busy.
    static var cheapHashes: PasswordHasher { PasswordHasher(parameters: .init(logN: 10, r: 8, p: 1)) }

    static func make(_ configure: (inout WebOptions) -> Void = { _ in }) async throws -> WebHarness {
        let store = Store(database: try StrowgerDatabase.inMemory())
        let token = try await store.createAdminToken(name: "test").secret
        var harness = WebHarness(store: store, token: token)
        let clock = harness.clock
        harness.options.now = { clock.now }
        harness.options.passwordHasher = cheapHashes
        configure(&harness.options)
        return harness
    }

    var routes: AdminRoutes {
        var routes = AdminRoutes(
            store: store,
            live: live,
            metrics: metrics,
            version: "test",
            presence: presence,
            music: music
        )
        routes.web = options
        routes.trunkStatus = trunkStatus
        return routes
    }

    func test(_ body: @Sendable (WebClient) async throws -> Void) async throws {
        let application = Application(router: routes.makeRouter())
        let token = self.token
        try await application.test(.router) { client in
            try await body(WebClient(client: client, token: token))
        }
    }
}

/// A signed-in browser: its session cookie and the CSRF token its pages carry.
struct SignedIn: Sendable {
    var cookie: String
    var csrf: String
}

/// Requests as a browser makes them: forms, cookies, no redirects followed.
struct WebClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    func get(_ uri: String, cookie: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    func get(_ uri: String, as session: SignedIn) async throws -> TestResponse {
        try await get(uri, cookie: session.cookie)
    }

    /// A form post (`application/x-www-form-urlencoded`), with the session's cookie and CSRF token unless told.
    func post(
        _ uri: String,
        _ fields: [(String, String)],
        as session: SignedIn?,
        csrf: String? = nil
    ) async throws -> TestResponse {
        var all = fields
        if let token = csrf ?? session?.csrf { all.append(("_csrf", token)) }
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let session { headers[.cookie] = session.cookie }
        return try await client.execute(
            uri: uri,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: Self.encode(all))
        )
    }

    /// A request to the JSON API with the bearer token.
    func api(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: json.map { ByteBuffer(string: $0) }
        )
    }

    /// The sign-in form, then the post; returns the answer and, when it signed in, the session.
    func signIn(_ name: String, _ password: String, next: String? = nil) async throws -> (TestResponse, SignedIn?) {
        let form = try await get("/web/signin")
        let token = try #require(Self.cookie(WebSessions.signInCookieName, in: form))
        var fields = [("_csrf", token), ("name", name), ("password", password)]
        if let next { fields.append(("next", next)) }
        let response = try await client.execute(
            uri: "/web/signin",
            method: .post,
            headers: [
                .contentType: "application/x-www-form-urlencoded", .cookie: "\(WebSessions.signInCookieName)=\(token)",
            ],
            body: ByteBuffer(string: Self.encode(fields))
        )
        guard let session = Self.cookie(WebSessions.cookieName, in: response), !session.isEmpty else {
            return (response, nil)
        }
        let cookie = "\(WebSessions.cookieName)=\(session)"
        let page = try await get("/web/", cookie: cookie)
        let csrf = try #require(Self.meta("csrf-token", in: String(buffer: page.body)))
        return (response, SignedIn(cookie: cookie, csrf: csrf))
    }

    /// Signs in as admin with the token.
    func signInAsAdmin() async throws -> SignedIn {
        let (response, session) = try await signIn("admin", token)
        #expect(response.status == .seeOther)
        return try #require(session)
    }

    /// The value a `Set-Cookie` of the response gives `name`.
    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            return String(value)
        }
        return nil
    }

    /// The whole `Set-Cookie` line for `name`.
    static func setCookie(_ name: String, in response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }

    static func meta(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "<meta name=\"\(name)\" content=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }
}

/// Text as the templates escape it.
func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}

/// Trunk states the test sets.
struct FixedTrunkStatus: AdminTrunkStatus {
    var statuses: [AdminAPI.TrunkStatus]

    func trunkStatuses() async -> [AdminAPI.TrunkStatus] { statuses }
}

/// A music library that keeps what it is given as it is: a "file" that starts with RIFF is accepted (its length in
/// bytes taken as samples), anything else refused the way the server's library refuses a file it cannot read.
struct FakeMusicLibrary: AdminMusicLibrary {
    let store: Store

    func add(name: String, fileName: String, file: ByteBuffer, replacing: Bool) async throws -> MusicSourceRecord {
        guard String(buffer: file).hasPrefix("RIFF") else {
            throw AdminAPIError.unprocessable(nil, "\(fileName): not a WAV file (no RIFF/WAVE header)")
        }
        let record = MusicSourceRecord(
            name: name,
            fileName: fileName,
            sampleCount: file.readableBytes,
            createdAt: 1_800_000_000_000
        )
        try await store.saveMusicSource(record, replacing: replacing)
        return record
    }

    func remove(name: String) async throws {
        try await store.removeMusicSource(named: name)
    }
}
