import HTTPTypes
public import Hummingbird
import Logging
import Store

/// Turns every error a route throws into an ``AdminAPIError`` with a JSON body: Store errors by their code (the
/// field renamed to the API's where they differ), Hummingbird's own (no such route, body too large) by status, and
/// anything else into a 500 that is logged, so that no response leaks an internal description.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AdminRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: AdminRequestContext,
        next: (Request, AdminRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdminAPIError {
            throw error
        } catch let error as StoreError {
            throw AdminAPIError.from(error)
        } catch let error as DirectoryBatchError {
            throw AdminAPIError.from(error.error, row: error.row)
        } catch let error as any HTTPResponseError {
            switch error.status {
            case .notFound:
                // A page address a person typed gets a page; everything else the API's JSON.
                if request.uri.path.hasPrefix(WebPaths.root + "/"), !request.uri.path.hasPrefix(WebPaths.root + "/api/")
                {
                    return try WebRenderer().problem(
                        status: .notFound,
                        title: "Not found",
                        message: "There is no page \(request.uri.path).",
                        session: nil
                    )
                }
                throw AdminAPIError.notFound(nil, "no route \(request.method) \(request.uri.path)")
            case .contentTooLarge:
                throw AdminAPIError.payloadTooLarge("the request body is too large")
            case .methodNotAllowed:
                throw error
            default:
                if error.status.kind == .clientError { throw error }
                context.logger.error("Admin request failed", metadata: ["error": "\(error)"])
                throw AdminAPIError.internal("the server failed to answer")
            }
        } catch {
            context.logger.error("Admin request failed", metadata: ["error": "\(error)"])
            throw AdminAPIError.internal("the server failed to answer")
        }
    }
}
