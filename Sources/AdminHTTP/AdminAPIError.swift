import Foundation
public import HTTPTypes
public import Hummingbird
import Store

/// An error the admin API answers with: a 4xx or 5xx status and a JSON body `{"error": {"code", "field", "row",
/// "message"}}` whose message names the field at fault (style.md §6: HTTP errors conform to `HTTPResponseError`).
///
/// Compare errors by ``code`` only.
public struct AdminAPIError: HTTPResponseError, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes, each with its HTTP status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidValue, unauthorized, notFound, conflict, unprocessable, payloadTooLarge, unsupportedMediaType
            case tooManyRequests, unavailable, `internal`
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// 400: the body or a query parameter is malformed or out of range.
        public static let invalidValue = Code(.invalidValue)
        /// 401: no bearer token, or one the server does not know.
        public static let unauthorized = Code(.unauthorized)
        /// 404: the resource the path names does not exist.
        public static let notFound = Code(.notFound)
        /// 409: the write would break a uniqueness rule (a second line with the same number).
        public static let conflict = Code(.conflict)
        /// 422: the body refers to something that does not exist (a line number, an owner).
        public static let unprocessable = Code(.unprocessable)
        /// 413: the body is larger than the route accepts.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// 415: the body is not in a format the route reads.
        public static let unsupportedMediaType = Code(.unsupportedMediaType)
        /// 429: the client already holds as many of something (event streams) as one client may.
        public static let tooManyRequests = Code(.tooManyRequests)
        /// 503: the live status is not available (the call-control core did not answer), or the server holds as
        /// many of something (event streams) as it serves at once.
        public static let unavailable = Code(.unavailable)
        /// 500: the database failed.
        public static let `internal` = Code(.internal)

        /// The name used in the JSON body.
        public var description: String { base.rawValue }

        var status: HTTPResponse.Status {
            switch base {
            case .invalidValue: .badRequest
            case .unauthorized: .unauthorized
            case .notFound: .notFound
            case .conflict: .conflict
            case .unprocessable: .unprocessableContent
            case .payloadTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .tooManyRequests: .tooManyRequests
            case .unavailable: .serviceUnavailable
            case .internal: .internalServerError
            }
        }
    }

    public let code: Code
    /// The field at fault as `entity.field` (`line.number`), a query parameter, or a CSV column.
    public let field: String?
    /// The CSV line number, for an import.
    public let row: Int?
    public let message: String

    private init(code: Code, field: String?, row: Int?, message: String) {
        self.code = code
        self.field = field
        self.row = row
        self.message = message
    }

    public var status: HTTPResponse.Status { code.status }
    public var description: String { message }

    @inline(never)
    public static func invalidValue(_ field: String?, _ message: String, row: Int? = nil) -> AdminAPIError {
        AdminAPIError(code: .invalidValue, field: field, row: row, message: message)
    }

    @inline(never)
    public static func unauthorized(_ message: String) -> AdminAPIError {
        AdminAPIError(code: .unauthorized, field: nil, row: nil, message: message)
    }

    @inline(never)
    public static func notFound(_ field: String?, _ message: String) -> AdminAPIError {
        AdminAPIError(code: .notFound, field: field, row: nil, message: message)
    }

    @inline(never)
    public static func conflict(_ field: String?, _ message: String, row: Int? = nil) -> AdminAPIError {
        AdminAPIError(code: .conflict, field: field, row: row, message: message)
    }

    @inline(never)
    public static func unprocessable(_ field: String?, _ message: String, row: Int? = nil) -> AdminAPIError {
        AdminAPIError(code: .unprocessable, field: field, row: row, message: message)
    }

    @inline(never)
    public static func payloadTooLarge(_ message: String) -> AdminAPIError {
        AdminAPIError(code: .payloadTooLarge, field: nil, row: nil, message: message)
    }

    @inline(never)
    public static func tooManyRequests(_ message: String) -> AdminAPIError {
        AdminAPIError(code: .tooManyRequests, field: nil, row: nil, message: message)
    }

    @inline(never)
    public static func unsupportedMediaType(_ message: String) -> AdminAPIError {
        AdminAPIError(code: .unsupportedMediaType, field: nil, row: nil, message: message)
    }

    @inline(never)
    public static func unavailable(_ message: String) -> AdminAPIError {
        AdminAPIError(code: .unavailable, field: nil, row: nil, message: message)
    }

    @inline(never)
    public static func `internal`(_ message: String) -> AdminAPIError {
        AdminAPIError(code: .internal, field: nil, row: nil, message: message)
    }

    /// The API's answer to a Store error. `fields` renames Store fields to the API's (`device.ownerId` →
    /// `device.owner`). A row the request refers to but that does not exist is 422: the path's own resource was
    /// looked up before the write, so a `notFound` from the Store is about something the body named.
    static func from(_ error: StoreError, fields: [String: String] = [:], row: Int? = nil) -> AdminAPIError {
        let field = error.field.map { fields[$0] ?? $0 }
        switch error.code {
        case .invalidValue: return .invalidValue(field, error.message, row: row)
        case .notFound: return .unprocessable(field, error.message, row: row)
        case .conflict: return .conflict(field, error.message, row: row)
        default: return .internal("the database failed: \(error.message)")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = AdminAPI.ErrorBody(
            error: .init(code: code.description, field: field, row: row, message: message)
        )
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if code == .unauthorized {
            headers[.wwwAuthenticate] = "Bearer realm=\"strowger\""
        }
        let data = try AdminAPI.makeEncoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
