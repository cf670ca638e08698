extension AdminClient {
    /// `GET /api/nodes`: every node of the cluster, by name.
    public func nodes() async throws -> [AdminAPI.Node] {
        try await get("/api/nodes")
    }

    /// `POST /api/nodes`: adds a node.
    @discardableResult
    public func addNode(_ node: AdminAPI.Node) async throws -> AdminAPI.Node {
        try await send(.post, "/api/nodes", json: node)
    }

    /// `DELETE /api/nodes/{name}`.
    public func removeNode(_ name: String) async throws {
        try await delete("/api/nodes/" + Self.segment(name))
    }
}
