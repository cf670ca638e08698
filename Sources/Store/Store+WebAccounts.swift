public import Foundation

extension Store {
    // MARK: - Accounts

    /// Creates an account. `passwordHash` is what the admin server's password hasher produced; the Store never sees
    /// a password. Throws ``StoreError/Code/conflict`` if the name is taken (without regard to case).
    @discardableResult
    public func insertWebAccount(
        name: String,
        passwordHash: String,
        now: Date = Date()
    ) async throws
        -> WebAccountRecord
    {
        let candidate = WebAccountRecord(name: name, passwordHash: passwordHash, createdAt: StoreTime.normalized(now))
        try candidate.validate()
        return try await write { db, _ in
            try Self.ensureUnique(
                db,
                table: WebAccountRecord.tableName,
                column: "name",
                name,
                excluding: nil,
                field: "account.name",
                "an account named \(Validation.quoted(name)) already exists"
            )
            var record = candidate
            try db.insert(&record)
            return record
        }
    }

    /// Every account, by name (hashes included: callers must not show them).
    public func webAccounts() async throws -> [WebAccountRecord] {
        try await read { db in try db.fetchAll(WebAccountRecord.self, orderBy: "name") }
    }

    /// The account with this name, compared without regard to case.
    public func webAccount(named name: String) async throws -> WebAccountRecord? {
        try await read { db in
            try db.fetchOne(WebAccountRecord.self, "SELECT * FROM webAccount WHERE name = ?", name)
        }
    }

    /// Replaces an account's password hash and ends its sessions (a new password signs it out everywhere).
    public func updateWebAccountPassword(named name: String, passwordHash: String) async throws {
        try await write { db, _ in
            guard var account = try db.fetchOne(WebAccountRecord.self, "SELECT * FROM webAccount WHERE name = ?", name)
            else {
                throw StoreError.notFound("account.name", "no account named \(Validation.quoted(name))")
            }
            account.passwordHash = passwordHash
            try account.validate()
            try db.update(account)
            try db.execute("DELETE FROM webSession WHERE account = ?", account.name)
        }
    }

    /// Deletes an account and its sessions.
    public func deleteWebAccount(named name: String) async throws {
        try await write { db, _ in
            guard let account = try db.fetchOne(WebAccountRecord.self, "SELECT * FROM webAccount WHERE name = ?", name)
            else {
                throw StoreError.notFound("account.name", "no account named \(Validation.quoted(name))")
            }
            try db.delete(WebAccountRecord.self, key: account.id)
            try db.execute("DELETE FROM webSession WHERE account = ?", account.name)
        }
    }

    // MARK: - Sessions

    /// Stores a new session.
    public func insertWebSession(_ session: WebSessionRecord) async throws {
        try await write { db, _ in try db.insert(session) }
    }

    /// The session whose id (the token's hash) is `id`, expired or not.
    public func webSession(id: String) async throws -> WebSessionRecord? {
        try await read { db in try db.find(WebSessionRecord.self, key: id) }
    }

    /// Records that the session was used at `date`.
    public func touchWebSession(id: String, at date: Date) async throws {
        let milliseconds = StoreTime.milliseconds(since1970: date)
        try await write { db, _ in
            try db.execute("UPDATE webSession SET lastSeenAt = ? WHERE id = ?", milliseconds, id)
        }
    }

    /// Ends one session (sign-out). Deleting one that is gone is not an error.
    public func deleteWebSession(id: String) async throws {
        try await write { db, _ in _ = try db.delete(WebSessionRecord.self, key: id) }
    }

    /// Deletes the sessions that ended before `now`: past their lifetime, or idle since before `idleSince`. Returns
    /// how many.
    @discardableResult
    public func deleteExpiredWebSessions(now: Date, idleSince: Date) async throws -> Int {
        let now = StoreTime.milliseconds(since1970: now)
        let idle = StoreTime.milliseconds(since1970: idleSince)
        return try await write { db, _ in
            try db.fetchAll(
                "DELETE FROM webSession WHERE expiresAt <= ? OR lastSeenAt < ? RETURNING id",
                now,
                idle
            ).count
        }
    }
}
