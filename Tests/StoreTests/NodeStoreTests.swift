import Testing

@testable import Store

@Suite("Cluster nodes in the Store")
struct NodeStoreTests {
    @Test("Nodes are added, listed by name, found without regard to case and removed")
    func addListRemove() async throws {
        let store = try makeStore()
        try await store.add(NodeRecord(name: "beta", address: "192.0.2.12"))
        try await store.add(NodeRecord(name: "alpha", address: "[2001:db8::11]:8501"))
        #expect(try await store.nodes().map(\.name) == ["alpha", "beta"])
        #expect(try await store.node(named: "BETA")?.address == "192.0.2.12")
        try await store.deleteNode(named: "Alpha")
        #expect(try await store.nodes().map(\.name) == ["beta"])
        let missing = await #expect(throws: StoreError.self) { try await store.deleteNode(named: "alpha") }
        #expect(missing?.code == .notFound && missing?.field == "node.name")
    }

    @Test("A second node of the same name or at the same address is a conflict")
    func conflicts() async throws {
        let store = try makeStore()
        try await store.add(NodeRecord(name: "alpha", address: "192.0.2.11:8500"))
        let sameName = await #expect(throws: StoreError.self) {
            try await store.add(NodeRecord(name: "ALPHA", address: "192.0.2.99"))
        }
        #expect(sameName?.code == .conflict && sameName?.field == "node.name")
        let sameAddress = await #expect(throws: StoreError.self) {
            try await store.add(NodeRecord(name: "beta", address: "192.0.2.11:8500"))
        }
        #expect(sameAddress?.code == .conflict && sameAddress?.field == "node.address")
    }

    @Test(
        "Addresses: IP literals with an optional port",
        arguments: [
            ("192.0.2.11", "192.0.2.11", 8500), ("192.0.2.11:8501", "192.0.2.11", 8501), ("::1", "::1", 8500),
            ("2001:db8::11", "2001:db8::11", 8500), ("[2001:db8::11]:9000", "2001:db8::11", 9000),
            ("[::ffff:192.0.2.1]", "::ffff:192.0.2.1", 8500),
        ]
    )
    func validAddresses(address: String, host: String, port: Int) throws {
        let record = NodeRecord(name: "n", address: address)
        try record.validate()
        #expect(record.endpoint?.host == host)
        #expect(record.endpoint?.port == port)
    }

    @Test(
        "Invalid addresses and names are refused with the field named",
        arguments: [
            "", "node.example.com", "192.0.2", "192.0.2.256", "192.0.2.011", "192.0.2.1:", "192.0.2.1:0",
            "192.0.2.1:65536", "192.0.2.1:80a", "[::1", "[::1]8500", "[192.0.2.1]:8500", ":::", "1.2.3.4 ",
        ]
    )
    func invalidAddresses(address: String) {
        let error = #expect(throws: StoreError.self) { try NodeRecord(name: "n", address: address).validate() }
        #expect(error?.code == .invalidValue && error?.field == "node.address")
    }

    @Test("Invalid names", arguments: ["", "has space", "nodé", String(repeating: "x", count: 64), "a/b"])
    func invalidNames(name: String) {
        let error = #expect(throws: StoreError.self) { try NodeRecord(name: name, address: "192.0.2.1").validate() }
        #expect(error?.code == .invalidValue && error?.field == "node.name")
    }
}
