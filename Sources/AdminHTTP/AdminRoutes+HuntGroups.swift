import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/hunt-groups`: list, create, read, change and delete hunt groups (a pilot number over an ordered list
    /// of member lines).
    func addHuntGroupRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.huntGroupDetails().map(Self.huntGroup))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.HuntGroup.self, from: request, entity: "huntGroup")
            return try Self.json(try await Self.createHuntGroup(body, store), status: .created)
        }
        group.get(":pilot") { _, context in
            try Self.json(Self.huntGroup(try await Self.requireHuntGroup(try Self.parameter("pilot", context), store)))
        }
        group.patch(":pilot") { request, context in
            let pilot = try Self.parameter("pilot", context)
            _ = try await Self.requireHuntGroup(pilot, store)
            let patch = try await Self.decode(AdminAPI.HuntGroupPatch.self, from: request, entity: "huntGroup")
            return try Self.json(try await Self.updateHuntGroup(pilot: pilot, patch, store))
        }
        group.delete(":pilot") { _, context in
            try await Self.deleteHuntGroup(pilot: try Self.parameter("pilot", context), store)
            return Self.noContent()
        }
    }

    /// Adds a hunt group (`POST /api/hunt-groups`, the web's hunt group form).
    static func createHuntGroup(_ body: AdminAPI.HuntGroup, _ store: Store) async throws -> AdminAPI.HuntGroup {
        let record = HuntGroupRecord(
            pilot: body.pilot,
            algorithm: try Self.huntAlgorithm(body.algorithm),
            noAnswerTimeoutSeconds: body.noAnswerTimeoutSeconds,
            finalDestination: Self.nonEmpty(body.finalDestination)
        )
        return Self.huntGroup(try await store.insert(record, members: body.members))
    }

    /// Changes the fields the patch gives (`PATCH /api/hunt-groups/{pilot}`, the web's hunt group form).
    static func updateHuntGroup(
        pilot: String,
        _ patch: AdminAPI.HuntGroupPatch,
        _ store: Store
    ) async throws -> AdminAPI.HuntGroup {
        var record = try await Self.requireHuntGroup(pilot, store).group
        if let pilot = patch.pilot { record.pilot = pilot }
        if let algorithm = patch.algorithm { record.algorithm = try Self.huntAlgorithm(algorithm) }
        if let seconds = patch.noAnswerTimeoutSeconds { record.noAnswerTimeoutSeconds = seconds }
        if let destination = patch.finalDestination { record.finalDestination = Self.nonEmpty(destination) }
        return Self.huntGroup(try await store.update(record, members: patch.members))
    }

    /// Deletes the hunt group with this pilot (`DELETE /api/hunt-groups/{pilot}`, the web's delete button).
    static func deleteHuntGroup(pilot: String, _ store: Store) async throws {
        let old = try await Self.requireHuntGroup(pilot, store)
        try await store.deleteHuntGroup(pilot: old.group.pilot)
    }

    static func requireHuntGroup(_ pilot: String, _ store: Store) async throws -> HuntGroupDetails {
        guard let group = try await store.huntGroupDetails(pilot: pilot).first else {
            throw AdminAPIError.notFound("huntGroup.pilot", "no hunt group with pilot \"\(pilot)\"")
        }
        return group
    }

    /// `top-down`, `circular`, `longest-idle` or `broadcast`; 400 naming the field for anything else.
    static func huntAlgorithm(_ text: String) throws -> HuntGroupRecord.Algorithm {
        guard let algorithm = HuntGroupRecord.Algorithm(rawValue: text) else {
            throw AdminAPIError.invalidValue(
                "huntGroup.algorithm",
                "huntGroup algorithm must be one of \(HuntGroupRecord.Algorithm.spellings), not \"\(text)\""
            )
        }
        return algorithm
    }

    static func huntGroup(_ details: HuntGroupDetails) -> AdminAPI.HuntGroup {
        AdminAPI.HuntGroup(
            pilot: details.group.pilot,
            members: details.members,
            algorithm: details.group.algorithm.rawValue,
            noAnswerTimeoutSeconds: details.group.noAnswerTimeoutSeconds,
            finalDestination: details.group.finalDestination
        )
    }
}
