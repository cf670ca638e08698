import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct UserRouteTests {
    @Test func createReadChangeDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let created = try await client.value(
                AdminAPI.User.self,
                .post,
                "/api/users",
                json: #"{"name":"alice","displayName":"Alice Smith"}"#,
                status: .created
            )
            #expect(created == AdminAPI.User(name: "alice", displayName: "Alice Smith", capabilities: ["voice"]))

            let read = try await client.value(AdminAPI.User.self, .get, "/api/users/alice")
            #expect(read.displayName == "Alice Smith")

            let changed = try await client.value(
                AdminAPI.User.self,
                .patch,
                "/api/users/alice",
                json: #"{"displayName":"Alice Jones","capabilities":["voice","video"]}"#
            )
            #expect(changed.displayName == "Alice Jones")
            #expect(changed.capabilities == ["voice", "video"])

            let list = try await client.value([AdminAPI.User].self, .get, "/api/users")
            #expect(list.map(\.name) == ["alice"])

            #expect(try await client.request(.delete, "/api/users/alice").status == .noContent)
            _ = try await client.error(.get, "/api/users/alice", status: .notFound)
            _ = try await client.error(.delete, "/api/users/alice", status: .notFound)
        }
    }

    @Test func listsTheDevicesAUserOwns() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await client.request(.post, "/api/users", json: #"{"name":"bob"}"#)
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455","owner":"bob"}"#)
            let bob = try await client.value(AdminAPI.User.self, .get, "/api/users/bob")
            #expect(bob.devices == ["SEP001122334455"])
        }
    }

    @Test func invalidInputNamesTheField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var error = try await client.error(
                .post,
                "/api/users",
                json: #"{"name":"alice smith"}"#,
                status: .badRequest
            )
            #expect(error.field == "user.name")
            #expect(error.message.contains("user name"))

            error = try await client.error(.post, "/api/users", json: #"{"displayName":"x"}"#, status: .badRequest)
            #expect(error.field == "user.name")
            #expect(error.message == "user name is required")

            error = try await client.error(
                .post,
                "/api/users",
                json: #"{"name":"carol","capabilities":["fax"]}"#,
                status: .badRequest
            )
            #expect(error.field == "user.capabilities")
            #expect(error.message.contains("\"fax\""))

            error = try await client.error(.post, "/api/users", json: #"{"name":42}"#, status: .badRequest)
            #expect(error.field == "user.name")
            #expect(error.message == "user name must be a string")

            error = try await client.error(.post, "/api/users", json: "{not json", status: .badRequest)
            #expect(error.code == "invalidValue")

            try await client.request(.post, "/api/users", json: #"{"name":"dave"}"#)
            error = try await client.error(.post, "/api/users", json: #"{"name":"DAVE"}"#, status: .conflict)
            #expect(error.field == "user.name")
        }
    }
}
