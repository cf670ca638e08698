import Foundation
import HTTPTypes
public import Hummingbird
import Logging
public import Store

/// Lets a request through only with `Authorization: Bearer <token>` for a token the Store knows
/// (``Store/adminToken(matching:)``: salted hashes compared in constant time); otherwise 401 with
/// `WWW-Authenticate: Bearer`.
public struct BearerTokenMiddleware: RouterMiddleware {
    public typealias Context = AdminRequestContext

    /// Longer headers are refused without hashing them.
    static let maximumTokenLength = 256

    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func handle(
        _ request: Request,
        context: AdminRequestContext,
        next: (Request, AdminRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw AdminAPIError.unauthorized("this route needs an admin token: send Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw AdminAPIError.unauthorized("the Authorization header must be Bearer <token>")
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard secret.utf8.count <= Self.maximumTokenLength,
            let token = try await store.adminToken(matching: String(secret))
        else {
            throw AdminAPIError.unauthorized("the admin token is not valid")
        }
        var context = context
        context.tokenName = token.name
        context.logger[metadataKey: "admin.token"] = .string(token.name)
        return try await next(request, context)
    }
}
