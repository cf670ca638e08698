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
