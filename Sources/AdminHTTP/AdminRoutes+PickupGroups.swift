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
            let stored = try await store.insert(PickupGroupRecord(number: body.number), members: body.members)
            return try Self.json(Self.pickupGroup(stored), status: .created)
        }
        group.get(":number") { _, context in
            try Self.json(
                Self.pickupGroup(try await Self.requirePickupGroup(try Self.parameter("number", context), store))
            )
        }
        group.patch(":number") { request, context in
            let old = try await Self.requirePickupGroup(try Self.parameter("number", context), store)
            let patch = try await Self.decode(AdminAPI.PickupGroupPatch.self, from: request, entity: "pickupGroup")
            var record = old.group
            if let number = patch.number { record.number = number }
            return try Self.json(Self.pickupGroup(try await store.update(record, members: patch.members)))
        }
        group.delete(":number") { _, context in
            let old = try await Self.requirePickupGroup(try Self.parameter("number", context), store)
            try await store.deletePickupGroup(number: old.group.number)
            return Self.noContent()
        }
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
