import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct AuthTests {
    @Test func healthNeedsNoToken() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let response = try await client.request(.get, "/health", authorization: .none)
            #expect(response.status == .ok)
            #expect(try response.decode(AdminAPI.Health.self).status == "ok")
        }
    }

    @Test(arguments: [
        "/metrics", "/api/status", "/api/status/devices", "/api/status/calls", "/api/status/lines", "/api/users",
        "/api/devices", "/api/lines", "/api/routes", "/api/settings", "/api/cdrs",
    ])
    func everyOtherRouteNeedsAToken(path: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let missing = try await client.request(.get, path, authorization: .none)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try missing.decode(AdminAPI.ErrorBody.self).error.code == "unauthorized")

            let wrong = try await client.request(
                .get,
                path,
                authorization: .header("Bearer " + String(repeating: "0", count: 64))
            )
            #expect(wrong.status == .unauthorized)

            let ok = try await client.request(.get, path)
            #expect(ok.status == .ok)
        }
    }

    /// Every route of docs/admin-api.md but `/health`, with every method it has.
    static let everyRoute: [(HTTPRequest.Method, String)] = [
        (.get, "/metrics"), (.get, "/api/status"), (.get, "/api/status/devices"), (.get, "/api/status/calls"),
        (.get, "/api/status/lines"),
        (.get, "/api/users"), (.post, "/api/users"), (.get, "/api/users/alice"), (.patch, "/api/users/alice"),
        (.delete, "/api/users/alice"),
        (.get, "/api/devices"), (.post, "/api/devices"), (.get, "/api/devices/SEP001122334455"),
        (.patch, "/api/devices/SEP001122334455"), (.delete, "/api/devices/SEP001122334455"),
        (.post, "/api/devices/SEP001122334455/reset"), (.put, "/api/devices/SEP001122334455/lines"),
        (.get, "/api/devices/SEP001122334455/speeddials"), (.put, "/api/devices/SEP001122334455/speeddials"),
        (.put, "/api/devices/SEP001122334455/speeddials/1"), (.delete, "/api/devices/SEP001122334455/speeddials/1"),
        (.get, "/api/lines"), (.post, "/api/lines"), (.get, "/api/lines/1001"), (.patch, "/api/lines/1001"),
        (.delete, "/api/lines/1001"),
        (.get, "/api/routes"), (.post, "/api/routes"), (.put, "/api/routes"), (.get, "/api/routes/1"),
        (.patch, "/api/routes/1"), (.delete, "/api/routes/1"),
        (.get, "/api/settings"), (.patch, "/api/settings"), (.get, "/api/cdrs"), (.post, "/api/import"),
    ]

    @Test func everyRouteRefusesARequestWithoutAToken() async throws {
        let harness = try await APIHarness.make()
        try await harness.store.insert(LineRecord(number: "1001"))
        try await harness.store.insert(UserRecord(name: "alice"))
        try await harness.test { client in
            for (method, path) in Self.everyRoute {
                let response = try await client.request(method, path, json: "{}", authorization: .none)
                #expect(response.status == .unauthorized, "\(method) \(path)")
            }
        }
        // Nothing was changed.
        #expect(try await harness.store.lines().map(\.number) == ["1001"])
        #expect(try await harness.store.users().map(\.name) == ["alice"])
        #expect(try await harness.store.devices().isEmpty)
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "token-without-scheme"])
    func malformedAuthorizationIsRefused(header: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let response = try await client.request(.get, "/api/lines", authorization: .header(header))
            #expect(response.status == .unauthorized)
        }
    }

    @Test func writesNeedATokenToo() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let response = try await client.request(
                .post,
                "/api/lines",
                json: #"{"number":"1001"}"#,
                authorization: .none
            )
            #expect(response.status == .unauthorized)
        }
        #expect(try await harness.store.lines().isEmpty)
    }

    @Test func aRevokedTokenStopsWorking() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            #expect(try await client.request(.get, "/api/lines").status == .ok)
            try await harness.store.deleteAdminToken(named: "test")
            #expect(try await client.request(.get, "/api/lines").status == .unauthorized)
        }
    }

    @Test func anotherTokenWorks() async throws {
        let harness = try await APIHarness.make()
        let second = try await harness.store.createAdminToken(name: "script").secret
        try await harness.test { client in
            let response = try await client.request(.get, "/api/lines", authorization: .header("bearer \(second)"))
            #expect(response.status == .ok)
        }
    }

    @Test func unknownRouteIsAJSON404() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let response = try await client.request(.get, "/api/nothing-here")
            #expect(response.status == .notFound)
            #expect(try response.decode(AdminAPI.ErrorBody.self).error.code == "notFound")
        }
    }
}
