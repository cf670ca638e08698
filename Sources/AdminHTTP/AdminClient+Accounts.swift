public import Foundation
import NIOCore

extension AdminClient {
    /// `GET /api/accounts`.
    public func accounts() async throws -> [AdminAPI.Account] {
        try await get("/api/accounts")
    }

    /// `POST /api/accounts`.
    public func addAccount(name: String, password: String) async throws -> AdminAPI.Account {
        try await send(.post, "/api/accounts", json: AdminAPI.NewAccount(name: name, password: password))
    }

    /// `PUT /api/accounts/{name}/password`.
    public func setPassword(ofAccount name: String, to password: String) async throws {
        let body = try AdminAPI.makeEncoder().encode(AdminAPI.AccountPassword(password: password))
        _ = try await request(
            .put,
            "/api/accounts/\(Self.segment(name))/password",
            body: ByteBuffer(bytes: body),
            contentType: "application/json"
        )
    }

    /// `DELETE /api/accounts/{name}`.
    public func removeAccount(named name: String) async throws {
        try await delete("/api/accounts/\(Self.segment(name))")
    }

    /// `GET /api/export`: the configuration as the import's CSV.
    public func exportCSV() async throws -> Data {
        Data(try await request(.get, "/api/export").readableBytesView)
    }
}
