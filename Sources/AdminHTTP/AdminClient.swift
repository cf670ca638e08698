public import Foundation
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small client of the admin API for the CLI: one HTTP/1.1 request per connection over NIO (no HTTP client
/// library), JSON in and out with the API's own types (``AdminAPI``).
public struct AdminClient: Sendable {
    /// The server, e.g. `http://127.0.0.1:8080`.
    public let server: URL
    /// The bearer token, if any (`/health` needs none).
    public let token: String?
    /// The methods the admin API uses.
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case patch = "PATCH"
        case delete = "DELETE"

        var http: HTTPMethod {
            switch self {
            case .get: .GET
            case .post: .POST
            case .put: .PUT
            case .patch: .PATCH
            case .delete: .DELETE
            }
        }
    }

    /// How long one request may take, connection included.
    public var timeout: Duration = .seconds(30)

    private let host: String
    private let port: Int
    private let basePath: String

    /// For an `https://` server: the CA certificates (PEM file) the server's certificate must chain to.
    private let trustRootsPath: String?

    /// - Parameters:
    ///   - trustRootsPath: for `https://`, a PEM file of the CA certificates to trust (the Strowger CA for
    ///     `strowger serve --admin-tls`); nil trusts the system's.
    /// - Throws: ``AdminClientError`` if `server` is not an `http://` or `https://host[:port][/path]` URL.
    public init(server: String, token: String?, trustRootsPath: String? = nil) throws {
        let scheme = URL(string: server)?.scheme?.lowercased()
        guard let url = URL(string: server), scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw AdminClientError(
                status: nil,
                code: "invalidServer",
                field: "--server",
                message: "--server must be an http:// or https:// URL such as http://127.0.0.1:8080, not \"\(server)\""
            )
        }
        self.server = url
        self.token = token
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
        self.trustRootsPath = scheme == "https" ? (trustRootsPath ?? "") : nil
        let path = url.path
        self.basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    // MARK: - JSON requests

    /// `GET path`, decoded as `T`.
    public func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try decode(T.self, from: try await request(.get, path))
    }

    /// `method path` with `body` as JSON, the answer decoded as `T`.
    public func send<T: Decodable>(
        _ method: Method,
        _ path: String,
        json body: some Encodable,
        as type: T.Type = T.self
    ) async throws -> T {
        let data = try AdminAPI.makeEncoder().encode(body)
        return try decode(
            T.self,
            from: try await request(method, path, body: ByteBuffer(bytes: data), contentType: "application/json")
        )
    }

    /// `method path` with no body, the answer decoded as `T`.
    public func send<T: Decodable>(_ method: Method, _ path: String, as type: T.Type = T.self) async throws -> T {
        try decode(T.self, from: try await request(method, path))
    }

    /// `DELETE path`, expecting no content.
    public func delete(_ path: String) async throws {
        _ = try await request(.delete, path)
    }

    /// `POST /api/import` with a CSV file.
    public func importCSV(_ data: Data) async throws -> AdminAPI.ImportResult {
        try decode(
            AdminAPI.ImportResult.self,
            from: try await request(.post, "/api/import", body: ByteBuffer(bytes: data), contentType: "text/csv")
        )
    }

    /// `GET path` as bytes (a backup).
    public func bytes(_ path: String) async throws -> ByteBuffer {
        try await request(.get, path)
    }

    /// `GET /metrics` as text.
    public func metrics() async throws -> String {
        String(buffer: try await request(.get, "/metrics"))
    }

    private func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        do {
            return try AdminAPI.makeDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw AdminClientError(
                status: nil,
                code: "badResponse",
                field: nil,
                message: "the server's answer is not what this strowger expects (\(error)); are both the same version?"
            )
        }
    }

    // MARK: - Paths

    /// `value` escaped for use as one path segment (`/`, `?`, `#`, `%` … percent-encoded).
    public static func segment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~+*!$'()")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A query string (`?a=1&b=2`) of the items that have a value, or "" if none has.
    public static func query(_ items: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        let parts = items.compactMap { name, value -> String? in
            guard let value else { return nil }
            return "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    // MARK: - HTTP/1.1

    /// Sends one request and returns the body of a 2xx answer; any other status throws the API's error.
    func request(
        _ method: Method,
        _ path: String,
        body: ByteBuffer? = nil,
        contentType: String? = nil
    ) async throws -> ByteBuffer {
        let (status, responseBody) = try await exchange(method, basePath + path, body: body, contentType: contentType)
        guard (200..<300).contains(status.code) else {
            if let error = try? AdminAPI.makeDecoder().decode(
                AdminAPI.ErrorBody.self,
                from: Data(responseBody.readableBytesView)
            ) {
                throw AdminClientError(
                    status: Int(status.code),
                    code: error.error.code,
                    field: error.error.field,
                    row: error.error.row,
                    message: error.error.message
                )
            }
            throw AdminClientError(
                status: Int(status.code),
                code: "http\(status.code)",
                field: nil,
                message: "the server answered \(status.code) \(status.reasonPhrase)"
            )
        }
        return responseBody
    }

    private func exchange(
        _ method: Method,
        _ target: String,
        body: ByteBuffer?,
        contentType: String?
    ) async throws -> (HTTPResponseStatus, ByteBuffer) {
        let host = self.host
        let port = self.port
        let timeout = self.timeout
        var head = HTTPRequestHead(version: .http1_1, method: method.http, uri: target)
        head.headers.add(name: "Host", value: port == 80 ? host : "\(host):\(port)")
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "Accept", value: "application/json")
        head.headers.add(name: "User-Agent", value: "strowger-cli")
        if let token { head.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let contentType { head.headers.add(name: "Content-Type", value: contentType) }
        head.headers.add(name: "Content-Length", value: "\(body?.readableBytes ?? 0)")
        let requestHead = head

        let tls = try self.tlsContext()
        let serverHostname = Self.isIPAddress(host) ? nil : host
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                            )
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel
                        )
                    }
                }
        } catch {
            throw AdminClientError(
                status: nil,
                code: "unreachable",
                field: nil,
                message:
                    "cannot reach the Strowger admin API at \(server.absoluteString) (\(error)); is `strowger serve`"
                    + " running? --server points elsewhere"
            )
        }

        return try await withThrowingTaskGroup(of: (HTTPResponseStatus, ByteBuffer)?.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(.head(requestHead))
                    if let body { try await outbound.write(.body(.byteBuffer(body))) }
                    try await outbound.write(.end(nil))
                    var status: HTTPResponseStatus?
                    var collected = ByteBuffer()
                    for try await part in inbound {
                        switch part {
                        case .head(let response):
                            status = response.status
                        case .body(var chunk):
                            collected.writeBuffer(&chunk)
                        case .end:
                            guard let status else { break }
                            return (status, collected)
                        }
                    }
                    throw AdminClientError(
                        status: nil,
                        code: "closed",
                        field: nil,
                        message: "the server closed the connection before it answered"
                    )
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                channel.channel.close(promise: nil)
                throw AdminClientError(
                    status: nil,
                    code: "timeout",
                    field: nil,
                    message: "the server at \(server.absoluteString) did not answer within \(timeout)"
                )
            }
            return result
        }
    }
}

extension AdminClient {
    /// The TLS context of an `https://` server (the certificate must chain to the trust roots and name the host),
    /// or nil for `http://`.
    fileprivate func tlsContext() throws -> NIOSSLContext? {
        guard let trustRootsPath else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if !trustRootsPath.isEmpty {
            configuration.trustRoots = .file(trustRootsPath)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw AdminClientError(
                status: nil,
                code: "tls",
                field: nil,
                message: "cannot use \(trustRootsPath) as the CA for \(server.absoluteString): \(error)"
            )
        }
    }

    fileprivate static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// A failed admin API call: the server's error (status, code, field, row and message) or a transport problem
/// (no status).
public struct AdminClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status, or nil when no answer came.
    public let status: Int?
    /// The API's error code (`invalidValue`, `notFound` …) or the client's own (`unreachable`, `timeout`).
    public let code: String
    public let field: String?
    /// The CSV line, for an import.
    public let row: Int?
    public let message: String

    public init(status: Int?, code: String, field: String?, row: Int? = nil, message: String) {
        self.status = status
        self.code = code
        self.field = field
        self.row = row
        self.message = message
    }

    public var description: String { message }
}
