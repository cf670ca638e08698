public import Foundation
import Hummingbird
import Store

extension AdminAPI {
    /// A web sign-in account (`GET /api/accounts`); the password hash is never sent.
    public struct Account: Codable, Hashable, Sendable {
        public var name: String
        public var createdAt: Date

        public init(name: String, createdAt: Date) {
            self.name = name
            self.createdAt = createdAt
        }
    }

    /// `POST /api/accounts`: a new account and its password.
    public struct NewAccount: Codable, Hashable, Sendable {
        public var name: String
        public var password: String

        public init(name: String, password: String) {
            self.name = name
            self.password = password
        }
    }

    /// `PUT /api/accounts/{name}/password`.
    public struct AccountPassword: Codable, Hashable, Sendable {
        public var password: String

        public init(password: String) {
            self.password = password
        }
    }
}

extension AdminRoutes {
    /// `/api/accounts`: the web administration's accounts (`strowger admin add|list|remove|password`). Passwords are
    /// hashed with scrypt (``PasswordHasher``) before they reach the Store. The built-in `admin` is not listed: it
    /// signs in with the admin token.
    func addAccountRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        let hasher = self.web.passwordHasher
        group.get { _, _ in
            try Self.json(
                try await store.webAccounts().map { AdminAPI.Account(name: $0.name, createdAt: $0.createdAt) }
            )
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.NewAccount.self, from: request, entity: "account")
            try Self.checkAccountName(body.name)
            try Self.checkPassword(body.password)
            if try await store.webAccount(named: body.name) != nil {
                throw AdminAPIError.conflict("account.name", "an account named \"\(body.name)\" already exists")
            }
            let hash = try await Self.hashing { try await hasher.hash(body.password) }
            let account = try await store.insertWebAccount(name: body.name, passwordHash: hash)
            return try Self.json(AdminAPI.Account(name: account.name, createdAt: account.createdAt), status: .created)
        }
        group.put(":name/password") { request, context in
            let name = try Self.parameter("name", context)
            guard let account = try await store.webAccount(named: name) else {
                throw AdminAPIError.notFound("account.name", "no account named \"\(name)\"")
            }
            let body = try await Self.decode(AdminAPI.AccountPassword.self, from: request, entity: "account")
            try Self.checkPassword(body.password)
            let hash = try await Self.hashing { try await hasher.hash(body.password) }
            try await store.updateWebAccountPassword(named: account.name, passwordHash: hash)
            return Self.noContent()
        }
        group.delete(":name") { _, context in
            let name = try Self.parameter("name", context)
            guard try await store.webAccount(named: name) != nil else {
                throw AdminAPIError.notFound("account.name", "no account named \"\(name)\"")
            }
            try await store.deleteWebAccount(named: name)
            return Self.noContent()
        }
    }

    /// The Store's name rule, checked before the password is hashed (a quarter of a second of work).
    static func checkAccountName(_ name: String) throws {
        do {
            try WebAccountRecord(name: name, passwordHash: "-", createdAt: Date()).validate()
        } catch {
            throw AdminAPIError.from(error)
        }
    }

    /// 8 to 1,024 bytes, no control characters.
    static func checkPassword(_ password: String) throws {
        guard password.count >= PasswordHasher.minimumPasswordLength else {
            throw AdminAPIError.invalidValue(
                "account.password",
                "account password must be at least \(PasswordHasher.minimumPasswordLength) characters"
            )
        }
        guard password.utf8.count <= PasswordHasher.maximumPasswordLength else {
            throw AdminAPIError.invalidValue(
                "account.password",
                "account password must be at most \(PasswordHasher.maximumPasswordLength) bytes"
            )
        }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AdminAPIError.invalidValue("account.password", "account password must not contain control characters")
        }
    }

    /// A hash, or 503 when every hashing slot is busy.
    static func hashing(_ body: () async throws -> String) async throws -> String {
        do {
            return try await body()
        } catch let busy as PasswordHasherBusy {
            throw AdminAPIError.unavailable(busy.description)
        }
    }
}
