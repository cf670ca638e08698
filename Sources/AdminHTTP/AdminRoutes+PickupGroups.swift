import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/pickup-groups`: list, create, read, change and delete call pickup groups.
    func addPickupGroupRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.pickupGroupDetails().map(Self.pickupGroup))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.PickupGroup.self, from: request, entity: "pickupGroup")
            return try Self.json(try await Self.createPickupGroup(body, store), status: .created)
        }
        group.get(":number") { _, context in
            try Self.json(
                Self.pickupGroup(try await Self.requirePickupGroup(try Self.parameter("number", context), store))
            )
        }
        group.patch(":number") { request, context in
            let number = try Self.parameter("number", context)
            _ = try await Self.requirePickupGroup(number, store)
            let patch = try await Self.decode(AdminAPI.PickupGroupPatch.self, from: request, entity: "pickupGroup")
            return try Self.json(try await Self.updatePickupGroup(number: number, patch, store))
        }
        group.delete(":number") { _, context in
            try await Self.deletePickupGroup(number: try Self.parameter("number", context), store)
            return Self.noContent()
        }
    }

    /// Adds a pickup group (`POST /api/pickup-groups`, the web's pickup group form).
    static func createPickupGroup(_ body: AdminAPI.PickupGroup, _ store: Store) async throws -> AdminAPI.PickupGroup {
        Self.pickupGroup(try await store.insert(PickupGroupRecord(number: body.number), members: body.members))
    }

    /// Changes the fields the patch gives (`PATCH /api/pickup-groups/{number}`, the web's pickup group form).
    static func updatePickupGroup(
        number: String,
        _ patch: AdminAPI.PickupGroupPatch,
        _ store: Store
    ) async throws -> AdminAPI.PickupGroup {
        var record = try await Self.requirePickupGroup(number, store).group
        if let number = patch.number { record.number = number }
        return Self.pickupGroup(try await store.update(record, members: patch.members))
    }

    /// Deletes the pickup group with this number (`DELETE /api/pickup-groups/{number}`, the web's delete button).
    static func deletePickupGroup(number: String, _ store: Store) async throws {
        let old = try await Self.requirePickupGroup(number, store)
        try await store.deletePickupGroup(number: old.group.number)
    }

    static func requirePickupGroup(_ number: String, _ store: Store) async throws -> PickupGroupDetails {
        guard let group = try await store.pickupGroupDetails(number: number).first else {
            throw AdminAPIError.notFound("pickupGroup.number", "no pickup group with number \"\(number)\"")
        }
        return group
    }

    static func pickupGroup(_ details: PickupGroupDetails) -> AdminAPI.PickupGroup {
        AdminAPI.PickupGroup(number: details.group.number, members: details.members)
    }
}
