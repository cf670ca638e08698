import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/users`: list, create, read, change and delete users.
    func addUserRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.userDetails().map(Self.user))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.User.self, from: request, entity: "user")
            return try Self.json(try await Self.createUser(body, store), status: .created)
        }
        group.get(":name") { _, context in
            try Self.json(Self.user(try await Self.requireUser(try Self.parameter("name", context), store)))
        }
        group.patch(":name") { request, context in
            let name = try Self.parameter("name", context)
            _ = try await Self.requireUser(name, store)
            let patch = try await Self.decode(AdminAPI.UserPatch.self, from: request, entity: "user")
            return try Self.json(try await Self.updateUser(named: name, patch, store))
        }
        group.delete(":name") { _, context in
            try await Self.deleteUser(named: try Self.parameter("name", context), store)
            return Self.noContent()
        }
    }

    /// Creates a user (`POST /api/users`, the web's Add user).
    static func createUser(_ body: AdminAPI.User, _ store: Store) async throws -> AdminAPI.User {
        let record = UserRecord(
            name: body.name,
            displayName: body.displayName,
            capabilities: try Self.capabilities(body.capabilities),
            presenceVisibility: try Self.presenceVisibility(body.presenceVisibility),
            presenceAllowList: body.presenceAllowList
        )
        let stored = try await store.insert(record)
        return Self.user(UserDetails(user: stored, devices: []))
    }

    /// Changes the user named `name` (`PATCH /api/users/{name}`); 404 if there is none.
    static func updateUser(
        named name: String,
        _ patch: AdminAPI.UserPatch,
        _ store: Store
    ) async throws -> AdminAPI.User {
        var record = try await Self.requireUser(name, store).user
        if let name = patch.name { record.name = name }
        if let displayName = patch.displayName { record.displayName = displayName }
        if let capabilities = patch.capabilities { record.capabilities = try Self.capabilities(capabilities) }
        if let visibility = patch.presenceVisibility {
            record.presenceVisibility = try Self.presenceVisibility(visibility)
        }
        if let allowList = patch.presenceAllowList { record.presenceAllowList = allowList }
        let stored = try await store.update(record)
        return Self.user(try await Self.requireUser(stored.name, store))
    }

    /// Deletes the user named `name` (their phones stay, unowned); 404 if there is none.
    static func deleteUser(named name: String, _ store: Store) async throws {
        let user = try await Self.requireUser(name, store).user
        try await store.deleteUser(id: try Self.id(of: user.id))
    }

    static func requireUser(_ name: String, _ store: Store) async throws -> UserDetails {
        guard let user = try await store.userDetails(named: name).first else {
            throw AdminAPIError.notFound("user.name", "no user named \"\(name)\"")
        }
        return user
    }

    static func id(of id: Int64?) throws -> Int64 {
        guard let id else { throw AdminAPIError.internal("a stored row has no id") }
        return id
    }

    static func user(_ details: UserDetails) -> AdminAPI.User {
        var capabilities: [String] = []
        if details.user.capabilities.contains(.voice) { capabilities.append("voice") }
        if details.user.capabilities.contains(.video) { capabilities.append("video") }
        if details.user.capabilities.contains(.web) { capabilities.append("web") }
        return AdminAPI.User(
            name: details.user.name,
            displayName: details.user.displayName,
            capabilities: capabilities,
            devices: details.devices,
            presenceVisibility: details.user.presenceVisibility.rawValue,
            presenceAllowList: details.user.presenceAllowList
        )
    }

    static func presenceVisibility(_ name: String) throws -> UserRecord.PresenceVisibility {
        guard let visibility = UserRecord.PresenceVisibility(rawValue: name) else {
            throw AdminAPIError.invalidValue(
                "user.presenceVisibility",
                "user presenceVisibility must be everyone, nobody or allowList, not \"\(name)\""
            )
        }
        return visibility
    }

    static func capabilities(_ names: [String]) throws -> UserRecord.Capabilities {
        var capabilities: UserRecord.Capabilities = []
        for name in names {
            switch name.lowercased() {
            case "voice": capabilities.insert(.voice)
            case "video": capabilities.insert(.video)
            case "web": capabilities.insert(.web)
            default:
                throw AdminAPIError.invalidValue(
                    "user.capabilities",
                    "user capabilities must be voice, video or web, not \"\(name)\""
                )
            }
        }
        return capabilities
    }
}
