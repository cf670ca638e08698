import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct DialPlanRouteTests {
    @Test func routePatterns() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let route = try await client.value(
                AdminAPI.RoutePattern.self,
                .post,
                "/api/routes",
                json: #"{"pattern":"9.1XXX","targetNumber":"1001","description":"outside"}"#,
                status: .created
            )
            #expect(route.pattern == "9.1XXX")
            #expect(route.targetNumber == "1001")
            #expect(!route.isBlocked)
            let id = try #require(route.id)

            let blocked = try await client.value(
                AdminAPI.RoutePattern.self,
                .post,
                "/api/routes",
                json: #"{"pattern":"900!","isBlocked":true}"#,
                status: .created
            )
            #expect(blocked.isBlocked)
            #expect(blocked.targetNumber == nil)

            #expect(try await client.value([AdminAPI.RoutePattern].self, .get, "/api/routes").count == 2)
            #expect(try await client.value(AdminAPI.RoutePattern.self, .get, "/api/routes/\(id)") == route)

            var changed = try await client.value(
                AdminAPI.RoutePattern.self,
                .patch,
                "/api/routes/\(id)",
                json: #"{"isBlocked":true}"#
            )
            #expect(changed.isBlocked)
            changed = try await client.value(
                AdminAPI.RoutePattern.self,
                .patch,
                "/api/routes/\(id)",
                json: #"{"targetNumber":"1002","sortOrder":5}"#
            )
            #expect(changed.targetNumber == "1002")
            #expect(changed.sortOrder == 5)

            let replaced = try await client.value(
                [AdminAPI.RoutePattern].self,
                .put,
                "/api/routes",
                json: #"[{"pattern":"0!","targetNumber":"1001"},{"pattern":"00!#","isBlocked":true}]"#
            )
            #expect(replaced.map(\.pattern) == ["0!", "00!#"])
            _ = try await client.error(.get, "/api/routes/\(id)", status: .notFound)

            let newID = try #require(replaced.first?.id)
            #expect(try await client.request(.delete, "/api/routes/\(newID)").status == .noContent)
            _ = try await client.error(.delete, "/api/routes/\(newID)", status: .notFound)
        }
        #expect(try await harness.store.directory().routePatterns.map(\.text) == ["00!#"])
    }

    @Test func invalidInputNamesTheField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var error = try await client.error(
                .post,
                "/api/routes",
                json: #"{"pattern":"9[12","targetNumber":"1001"}"#,
                status: .badRequest
            )
            #expect(error.field == "routePattern.pattern")
            #expect(error.message.contains("[ without ]"))

            error = try await client.error(.post, "/api/routes", json: #"{"pattern":"9X"}"#, status: .badRequest)
            #expect(error.field == "routePattern.targetNumber")

            error = try await client.error(
                .post,
                "/api/routes",
                json: #"{"pattern":"9X","targetNumber":"1001","isBlocked":true}"#,
                status: .badRequest
            )
            #expect(error.field == "routePattern.targetNumber")

            error = try await client.error(
                .put,
                "/api/routes",
                json: #"[{"pattern":"9X","targetNumber":"1001"},{"pattern":"9X","targetNumber":"1002"}]"#,
                status: .badRequest
            )
            #expect(error.field == "routePattern.pattern")

            error = try await client.error(.get, "/api/routes/abc", status: .badRequest)
            #expect(error.field == "routePattern.id")

            try await client.request(.post, "/api/routes", json: #"{"pattern":"9X","targetNumber":"1001"}"#)
            error = try await client.error(
                .post,
                "/api/routes",
                json: #"{"pattern":"9X","targetNumber":"1001"}"#,
                status: .conflict
            )
            #expect(error.field == "routePattern.pattern")
        }
    }

    @Test func settings() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var settings = try await client.value(AdminAPI.Settings.self, .get, "/api/settings")
            #expect(settings.autoRegistrationEnabled == true)
            #expect(settings.keepAliveSeconds == 30)

            settings = try await client.value(
                AdminAPI.Settings.self,
                .patch,
                "/api/settings",
                json:
                    #"{"autoRegistrationEnabled":false,"autoRegistrationFirstNumber":2000,"autoRegistrationLastNumber":2099}"#
            )
            #expect(settings.autoRegistrationEnabled == false)
            #expect(settings.autoRegistrationFirstNumber == 2000)
            #expect(settings.keepAliveSeconds == 30)

            var error = try await client.error(
                .patch,
                "/api/settings",
                json: #"{"keepAliveSeconds":5}"#,
                status: .badRequest
            )
            #expect(error.field == "settings.keepAliveSeconds")
            error = try await client.error(
                .patch,
                "/api/settings",
                json: #"{"autoRegistrationEnabled":"yes"}"#,
                status: .badRequest
            )
            #expect(error.field == "settings.autoRegistrationEnabled")
            #expect(error.message == "settings autoRegistrationEnabled must be true or false")
        }
        #expect(try await harness.store.settings().autoRegistrationLastNumber == 2099)
    }
}
