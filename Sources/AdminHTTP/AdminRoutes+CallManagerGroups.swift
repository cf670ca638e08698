import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/callmanager-groups`: list, create, read, replace, change and delete CallManager groups (the nodes a
    /// phone's cnf.xml names). A group that devices name cannot be deleted.
    func addCallManagerGroupRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.callManagerGroupDetails().map(Self.callManagerGroup))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.CallManagerGroup.self, from: request, entity: "callManagerGroup")
            return try Self.json(try await Self.createCallManagerGroup(body, store), status: .created)
        }
        group.get(":name") { _, context in
            try Self.json(
                Self.callManagerGroup(
                    try await Self.requireCallManagerGroup(try Self.parameter("name", context), store)
                )
            )
        }
        group.put(":name") { request, context in
            let name = try Self.parameter("name", context)
            let body = try await Self.decode(
                AdminAPI.CallManagerGroupPatch.self,
                from: request,
                entity: "callManagerGroup"
            )
            if let bodyName = body.name, bodyName.lowercased() != name.lowercased() {
                throw AdminAPIError.invalidValue(
                    "callManagerGroup.name",
                    "callManagerGroup name \"\(bodyName)\" is not the path's \"\(name)\"; rename a group with PATCH"
                )
            }
            guard let members = body.members else {
                throw AdminAPIError.invalidValue("callManagerGroup.members", "callManagerGroup members is required")
            }
            let (stored, created) = try await Self.renaming([:]) {
                try await store.upsert(Self.callManagerGroupRecord(name: name, members: members))
            }
            return try Self.json(
                Self.callManagerGroup(try await Self.requireCallManagerGroup(stored.name, store)),
                status: created ? .created : .ok
            )
        }
        group.patch(":name") { request, context in
            let name = try Self.parameter("name", context)
            _ = try await Self.requireCallManagerGroup(name, store)
            let patch = try await Self.decode(
                AdminAPI.CallManagerGroupPatch.self,
                from: request,
                entity: "callManagerGroup"
            )
            return try Self.json(try await Self.updateCallManagerGroup(named: name, patch, store))
        }
        group.delete(":name") { _, context in
            try await Self.deleteCallManagerGroup(named: try Self.parameter("name", context), store)
            return Self.noContent()
        }
    }

    /// Creates a CallManager group (`POST /api/callmanager-groups`, the web's Add group).
    static func createCallManagerGroup(
        _ body: AdminAPI.CallManagerGroup,
        _ store: Store
    ) async throws -> AdminAPI.CallManagerGroup {
        let stored = try await Self.renaming([:]) {
            try await store.insert(Self.callManagerGroupRecord(name: body.name, members: body.members))
        }
        return Self.callManagerGroup(try await Self.requireCallManagerGroup(stored.name, store))
    }

    /// Changes a group's members and/or name (`PATCH /api/callmanager-groups/{name}`); its devices follow a rename.
    static func updateCallManagerGroup(
        named name: String,
        _ patch: AdminAPI.CallManagerGroupPatch,
        _ store: Store
    ) async throws -> AdminAPI.CallManagerGroup {
        let old = try await Self.requireCallManagerGroup(name, store).group
        var record = old
        if let name = patch.name { record.name = name }
        if let members = patch.members { record.members = members.map(Self.callManagerGroupMember) }
        let stored = try await Self.renaming([:]) { try await store.update(record, named: old.name) }
        return Self.callManagerGroup(try await Self.requireCallManagerGroup(stored.name, store))
    }

    /// Deletes a group; 409 naming the devices while devices name it.
    static func deleteCallManagerGroup(named name: String, _ store: Store) async throws {
        let group = try await Self.requireCallManagerGroup(name, store).group
        try await Self.renaming([:]) { try await store.deleteCallManagerGroup(named: group.name) }
    }

    static func requireCallManagerGroup(_ name: String, _ store: Store) async throws -> CallManagerGroupDetails {
        guard let group = try await store.callManagerGroupDetails(named: name).first else {
            throw AdminAPIError.notFound("callManagerGroup.name", "no CallManager group named \"\(name)\"")
        }
        return group
    }

    static func callManagerGroupRecord(
        name: String,
        members: [AdminAPI.CallManagerGroupMember]
    ) -> CallManagerGroupRecord {
        CallManagerGroupRecord(name: name, members: members.map(Self.callManagerGroupMember))
    }

    static func callManagerGroupMember(_ member: AdminAPI.CallManagerGroupMember) -> CallManagerGroupRecord.Member {
        CallManagerGroupRecord.Member(host: member.host, sccpPort: member.sccpPort, sccpsPort: member.sccpsPort)
    }

    static func callManagerGroup(_ details: CallManagerGroupDetails) -> AdminAPI.CallManagerGroup {
        AdminAPI.CallManagerGroup(
            name: details.group.name,
            members: details.group.members.map {
                AdminAPI.CallManagerGroupMember(host: $0.host, sccpPort: $0.sccpPort, sccpsPort: $0.sccpsPort)
            },
            devices: details.devices
        )
    }
}
