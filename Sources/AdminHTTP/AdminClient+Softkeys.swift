extension AdminClient {
    /// `GET /api/softkey-templates`: the built-in template, then the stored ones by name.
    public func softkeyTemplates() async throws -> [AdminAPI.SoftkeyTemplate] {
        try await get("/api/softkey-templates")
    }

    /// `GET /api/softkey-templates/{name}`.
    public func softkeyTemplate(_ name: String) async throws -> AdminAPI.SoftkeyTemplate {
        try await get("/api/softkey-templates/" + Self.segment(name))
    }

    /// `PUT /api/softkey-templates/{name}`: creates the template or replaces its sets; phones that name it restart
    /// once idle.
    @discardableResult
    public func setSoftkeyTemplate(_ name: String, sets: [String: [String]]) async throws -> AdminAPI.SoftkeyTemplate {
        try await send(
            .put,
            "/api/softkey-templates/" + Self.segment(name),
            json: AdminAPI.SoftkeyTemplateSets(sets: sets)
        )
    }

    /// `DELETE /api/softkey-templates/{name}`: 409 while devices name it.
    public func deleteSoftkeyTemplate(_ name: String) async throws {
        try await delete("/api/softkey-templates/" + Self.segment(name))
    }
}
