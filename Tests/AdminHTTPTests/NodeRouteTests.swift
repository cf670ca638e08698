import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// `/api/nodes`: the cluster's nodes; errors that name the field.
@Suite struct NodeRouteTests {
    @Test func addReadListAndDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            #expect(try await client.value([AdminAPI.Node].self, .get, "/api/nodes").isEmpty)
            let stored = try await client.value(
                AdminAPI.Node.self,
                .post,
                "/api/nodes",
                json: #"{"name":"cm1","address":"127.0.0.1:8501"}"#,
                status: .created
            )
            #expect(stored == AdminAPI.Node(name: "cm1", address: "127.0.0.1:8501"))
            #expect(try await client.value(AdminAPI.Node.self, .get, "/api/nodes/CM1") == stored)
            #expect(try await client.value([AdminAPI.Node].self, .get, "/api/nodes") == [stored])
            try await client.request(.delete, "/api/nodes/cm1")
            #expect(try await client.error(.get, "/api/nodes/cm1", status: .notFound).field == "node.name")
            #expect(try await client.error(.delete, "/api/nodes/cm1", status: .notFound).field == "node.name")
        }
    }

    @Test func badValuesNameTheirField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let address = try await client.error(
                .post,
                "/api/nodes",
                json: #"{"name":"cm1","address":"localhost"}"#,
                status: .badRequest
            )
            #expect(address.field == "node.address")
            let missing = try await client.error(.post, "/api/nodes", json: #"{"name":"cm1"}"#, status: .badRequest)
            #expect(missing.field == "node.address")
            _ = try await client.value(
                AdminAPI.Node.self,
                .post,
                "/api/nodes",
                json: #"{"name":"cm1","address":"127.0.0.1"}"#,
                status: .created
            )
            let duplicate = try await client.error(
                .post,
                "/api/nodes",
                json: #"{"name":"cm2","address":"127.0.0.1"}"#,
                status: .conflict
            )
            #expect(duplicate.field == "node.address")
        }
    }
}
