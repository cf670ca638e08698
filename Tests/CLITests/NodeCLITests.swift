import AdminHTTP
import Foundation
import Store
import Testing

/// `strowger node add|list|remove`, run as the built binary against a live admin API (`/api/nodes`).
@Suite(.serialized) struct NodeCLITests {
    @Test func addListAndRemoveNodes() async throws {
        try await CLIHarness.withServer { harness in
            #expect(
                try await harness.succeed(["node", "list"]) == "No nodes are configured (this server runs alone).\n"
            )
            #expect(
                try await harness.succeed(["node", "add", "cm1", "192.0.2.11"]) == "Added node cm1 at 192.0.2.11.\n"
            )
            _ = try await harness.succeed(["node", "add", "cm2", "[2001:db8::12]:8501"])
            #expect(try await harness.store.nodes().map(\.address) == ["192.0.2.11", "[2001:db8::12]:8501"])
            let output = try await harness.succeed(["node", "list"])
            #expect(output.contains("cm1") && output.contains("[2001:db8::12]:8501"), "\(output)")
            let json = try await harness.succeed(["node", "list", "--json"])
            let nodes = try AdminAPI.makeDecoder().decode([AdminAPI.Node].self, from: Data(json.utf8))
            #expect(
                nodes == [
                    .init(name: "cm1", address: "192.0.2.11"), .init(name: "cm2", address: "[2001:db8::12]:8501"),
                ]
            )

            // Bad input names what was wrong.
            var error = try await harness.fail(["node", "add", "cm3", "cm3.example.net"])
            #expect(error.contains("node address must be an IP address"), "\(error)")
            error = try await harness.fail(["node", "add", "cm 3", "192.0.2.13"])
            #expect(error.contains("node name must be"), "\(error)")
            error = try await harness.fail(["node", "add", "CM1", "192.0.2.13"])
            #expect(error.contains("a node named"), "\(error)")
            error = try await harness.fail(["node", "add", "cm3", "192.0.2.11"])
            #expect(error.contains("already has address"), "\(error)")

            #expect(try await harness.succeed(["node", "remove", "cm1"]) == "Removed node cm1.\n")
            error = try await harness.fail(["node", "remove", "cm1"])
            #expect(error.contains("no node named"), "\(error)")
            #expect(try await harness.store.nodes().map(\.name) == ["cm2"])
        }
    }
}
