extension Store {
    /// All users, by name.
    public func users() async throws -> [UserRecord] {
        try await read { db in try db.fetchAll(UserRecord.self, orderBy: "name") }
    }

    public func user(id: Int64) async throws -> UserRecord? {
        try await read { db in try db.find(UserRecord.self, key: id) }
    }

    /// The user with this name, compared without regard to case.
    public func user(named name: String) async throws -> UserRecord? {
        try await read { db in try db.fetchOne(UserRecord.self, "SELECT * FROM \"user\" WHERE name = ?", name) }
    }

    /// Inserts a user and returns it with its id. Users do not affect routing: no directory change, but a presence
    /// change.
    @discardableResult
    public func insert(_ user: UserRecord) async throws -> UserRecord {
        try user.validate()
        return try await writeWithPresence { db, _, presence in
            try Self.ensureUnique(
                db,
                table: UserRecord.tableName,
                column: "name",
                user.name,
                excluding: nil,
                field: "user.name",
                "a user named \(Validation.quoted(user.name)) already exists"
            )
            var user = user
            try db.insert(&user)
            presence.append(.upsertUser(user))
            return user
        }
    }

    /// Replaces the user with the same id.
    @discardableResult
    public func update(_ user: UserRecord) async throws -> UserRecord {
        try user.validate()
        let id = try Self.requireID(user.id, "user")
        return try await writeWithPresence { db, _, presence in
            guard let old = try db.find(UserRecord.self, key: id) else {
                throw StoreError.notFound("user.id", "no user with id \(id)")
            }
            try Self.ensureUnique(
                db,
                table: UserRecord.tableName,
                column: "name",
                user.name,
                excluding: id,
                field: "user.name",
                "a user named \(Validation.quoted(user.name)) already exists"
            )
            try db.update(user)
            presence.append(.upsertUser(user))
            if old.name != user.name {
                // A rename: the user's devices follow the new name, and the old name is gone.
                for device in try Self.deviceNames(ownedBy: id, db) {
                    presence.append(.deviceOwner(device, owner: user.name))
                }
                presence.append(.removeUser(old.name))
            }
            return user
        }
    }

    /// Deletes the user; devices it owned keep existing with no owner.
    public func deleteUser(id: Int64) async throws {
        try await writeWithPresence { db, _, presence in
            guard let user = try db.find(UserRecord.self, key: id) else {
                throw StoreError.notFound("user.id", "no user with id \(id)")
            }
            // The foreign key leaves the user's devices without an owner.
            for device in try Self.deviceNames(ownedBy: id, db) {
                presence.append(.deviceOwner(device, owner: nil))
            }
            try db.delete(UserRecord.self, key: id)
            presence.append(.removeUser(user.name))
        }
    }
}
