extension AdminClient {
    /// `/api/callmanager-groups/{name}`, the name escaped.
    static func callManagerGroupPath(_ name: String) -> String {
        "/api/callmanager-groups/" + segment(name)
    }

    /// `GET /api/callmanager-groups`: every group, by name.
    public func callManagerGroups() async throws -> [AdminAPI.CallManagerGroup] {
        try await get("/api/callmanager-groups")
    }

    /// `GET /api/callmanager-groups/{name}`.
    public func callManagerGroup(named name: String) async throws -> AdminAPI.CallManagerGroup {
        try await get(Self.callManagerGroupPath(name))
    }

    /// `PUT /api/callmanager-groups/{name}`: creates the group, or replaces its members.
    @discardableResult
    public func setCallManagerGroup(
        named name: String,
        members: [AdminAPI.CallManagerGroupMember]
    ) async throws -> AdminAPI.CallManagerGroup {
        try await send(.put, Self.callManagerGroupPath(name), json: AdminAPI.CallManagerGroupPatch(members: members))
    }

    /// `PATCH /api/callmanager-groups/{name}`.
    @discardableResult
    public func updateCallManagerGroup(
        named name: String,
        _ patch: AdminAPI.CallManagerGroupPatch
    ) async throws -> AdminAPI.CallManagerGroup {
        try await send(.patch, Self.callManagerGroupPath(name), json: patch)
    }

    /// `DELETE /api/callmanager-groups/{name}`; refused (409) while devices name the group.
    public func deleteCallManagerGroup(named name: String) async throws {
        try await delete(Self.callManagerGroupPath(name))
    }
}
