import Crypto
public import Foundation

/// A token just created: the only time its secret is available.
public struct NewAdminToken: Sendable {
    /// What is stored (name, salt, hash).
    public let record: AdminTokenRecord
    /// The token to hand to the administrator: 64 hex digits (256 random bits). Not stored anywhere.
    public let secret: String
}

extension Store {
    /// Creates a token named `name` and returns it with its secret, which is not stored: only a salted SHA-256 hash
    /// is.
    public func createAdminToken(name: String, now: Date = Date()) async throws -> NewAdminToken {
        try await self.createAdminToken(name: name, secret: Self.newAdminTokenSecret(), now: now)
    }

    /// A new token's secret: 64 hex digits (256 random bits). Made before the token is stored, so that the server can
    /// write it to its file first (an admin token that is stored but written nowhere locks the administrator out).
    public static func newAdminTokenSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.randomBytes(32, using: &generator).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Stores a token named `name` for `secret` (from ``newAdminTokenSecret()``); only a salted hash is kept. With
    /// `replacing`, a token of that name is replaced in the same transaction (the server's own `default` token,
    /// when its file was lost).
    public func createAdminToken(
        name: String,
        secret: String,
        replacing: Bool = false,
        now: Date = Date()
    ) async throws -> NewAdminToken {
        var generator = SystemRandomNumberGenerator()
        let salt = Data(Self.randomBytes(16, using: &generator))
        let candidate = AdminTokenRecord(
            name: name,
            salt: salt,
            hash: Self.adminTokenHash(secret, salt: salt),
            createdAt: StoreTime.normalized(now)
        )
        try candidate.validate()
        let record = try await write { db, _ in
            if replacing {
                try db.execute("DELETE FROM adminToken WHERE name = ?", name)
            }
            try Self.ensureUnique(
                db,
                table: AdminTokenRecord.tableName,
                column: "name",
                name,
                excluding: nil,
                field: "adminToken.name",
                "an admin token named \(Validation.quoted(name)) already exists"
            )
            var record = candidate
            try db.insert(&record)
            return record
        }
        return NewAdminToken(record: record, secret: secret)
    }

    /// All tokens (names, salts, hashes; never secrets), by name.
    public func adminTokens() async throws -> [AdminTokenRecord] {
        try await read { db in try db.fetchAll(AdminTokenRecord.self, orderBy: "name") }
    }

    /// Revokes the token named `name`.
    public func deleteAdminToken(named name: String) async throws {
        try await write { db, _ in
            guard
                try !db.fetchAll("DELETE FROM adminToken WHERE name = ? RETURNING id", name).isEmpty
            else {
                throw StoreError.notFound("adminToken.name", "no admin token named \(Validation.quoted(name))")
            }
        }
    }

    /// The token whose secret is `secret`, or nil. Every stored hash is compared in constant time, so the time
    /// taken does not tell how much of a guess was right.
    public func adminToken(matching secret: String) async throws -> AdminTokenRecord? {
        let tokens = try await adminTokens()
        var match: AdminTokenRecord?
        for token in tokens where Self.constantTimeEqual(Self.adminTokenHash(secret, salt: token.salt), token.hash) {
            match = token
        }
        return match
    }

    /// SHA-256 of the salt followed by the secret's UTF-8 bytes.
    static func adminTokenHash(_ secret: String, salt: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Data(secret.utf8))
        return Data(hasher.finalize())
    }

    static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    /// `SystemRandomNumberGenerator` is cryptographically secure on every platform Swift supports (getrandom on
    /// Linux).
    private static func randomBytes(_ count: Int, using generator: inout SystemRandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
