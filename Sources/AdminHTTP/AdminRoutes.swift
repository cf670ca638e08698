public import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
public import Store

/// The admin API's routes over the Store and the live status (docs/admin-api.md). Every route under `/api` and
/// `/metrics` needs a bearer token; `/health` does not. The web administration (`/web`, `Web/`) signs in with
/// accounts and sessions instead, and calls the same functions the JSON routes do.
public struct AdminRoutes: Sendable {
    public typealias Context = AdminRequestContext

    /// The largest JSON body a route reads.
    public static let maximumJSONBody = 1 << 20
    /// The largest CSV file `POST /api/import` reads: 100,000 rows of about 160 bytes.
    public static let maximumImportBody = 16 << 20

    let store: Store
    let live: any AdminLiveStatus
    let metrics: AdminMetrics
    let version: String
    let startedAt: Date
    /// Presence (issue 8); nil: the presence routes answer 503.
    let presence: (any AdminPresence)?
    /// Music on hold (issue 14); nil: adding and removing music sources answers 503.
    let music: (any AdminMusicLibrary)?
    /// The SIP trunks' live states (issue 15), for `GET /api/status/trunks`; nil answers an empty list.
    public var trunkStatus: (any AdminTrunkStatus)?
    /// The cluster's live state (issue 19), for `GET /api/status/cluster`; nil answers "not a node".
    public var clusterStatus: (any AdminClusterStatus)?
    /// How often `GET /api/presence/events` sends a heartbeat comment.
    public var presenceHeartbeat: Duration = .seconds(15)
    /// How many events may wait for one event-stream client before it is disconnected.
    public var presenceQueueLimit = 4096
    /// Event streams served at once, in all and per client (AdminRoutes+EventStreams.swift).
    public var eventStreamLimits = EventStreamLimits()
    /// One CSV import at a time (AdminRoutes+Import.swift).
    let importGate = ImportGate()
    /// The event streams open now, counted against ``eventStreamLimits``.
    let eventStreams = EventStreamRegistry()
    /// The web administration's settings (sessions, TLS cookies, what only the composition root knows).
    public var web = WebOptions()
    /// The dashboard's shared snapshots.
    let dashboardFeed = DashboardFeed()
    /// The web pages' open live streams.
    let liveStreams = LiveStreamCounter()
    /// One import check at a time.
    let importChecks = ImportCheckGate()

    /// - Parameters:
    ///   - version: the running server's version, reported by `GET /api/status`.
    ///   - startedAt: when the server started.
    ///   - presence: the presence service, for `/api/presence`.
    ///   - music: the music-on-hold library, for `/api/music-sources`.
    public init(
        store: Store,
        live: any AdminLiveStatus,
        metrics: AdminMetrics,
        version: String,
        startedAt: Date = Date(),
        presence: (any AdminPresence)? = nil,
        music: (any AdminMusicLibrary)? = nil
    ) {
        self.store = store
        self.live = live
        self.metrics = metrics
        self.version = version
        self.startedAt = startedAt
        self.presence = presence
        self.music = music
    }

    /// A router with every route, the error middleware around all of them and the token check around all but
    /// `/health`.
    public func makeRouter() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: ErrorMiddleware())
        router.get("/health") { _, _ in try Self.json(AdminAPI.Health()) }

        let authenticated = router.group().add(middleware: BearerTokenMiddleware(store: store))
        authenticated.get("/metrics") { _, _ in
            let text = await metrics.exposition(live: live)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        let api = authenticated.group("api")
        addStatusRoutes(to: api)
        addUserRoutes(to: api.group("users"))
        addDeviceRoutes(to: api.group("devices"))
        addLineRoutes(to: api.group("lines"))
        addLineFeatureRoutes(to: api.group("lines"))
        addHuntGroupRoutes(to: api.group("hunt-groups"))
        addPickupGroupRoutes(to: api.group("pickup-groups"))
        addRoutePatternRoutes(to: api.group("routes"))
        addTrunkRoutes(to: api.group("trunks"))
        let trunkStatus = self.trunkStatus
        api.get("status/trunks") { _, _ in try Self.json(await trunkStatus?.trunkStatuses() ?? []) }
        addCallManagerGroupRoutes(to: api.group("callmanager-groups"))
        addPhoneModelRoutes(to: api.group("phone-models"))
        addSoftkeyTemplateRoutes(to: api.group("softkey-templates"))
        addNodeRoutes(to: api.group("nodes"))
        let clusterStatus = self.clusterStatus
        api.get("status/cluster") { _, _ in
            try Self.json(await clusterStatus?.clusterStatus() ?? AdminAPI.ClusterStatus(node: nil, nodes: []))
        }
        addSettingsRoutes(to: api.group("settings"))
        addCallRecordRoutes(to: api.group("cdrs"))
        addImportRoutes(to: api.group("import"))
        addBackupRoutes(to: api.group("backup"))
        addPresenceRoutes(to: api.group("presence"))
        addMusicSourceRoutes(to: api.group("music-sources"))
        addMeetMeRoutes(to: api.group("meetme"))
        // Issue 8 names the presence service's paths without the /api prefix; both serve the same routes.
        addPresenceRoutes(to: authenticated.group("presence"))
        addAccountRoutes(to: api.group("accounts"))
        addExportRoutes(to: api.group("export"))
        // Issue 18: the web administration, under /web.
        addWebRoutes(to: router)
        return router
    }

    // MARK: - Helpers

    /// `value` as a JSON response.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try AdminAPI.makeEncoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// One versioned resource (a line, a device) as JSON, with its version as the `ETag` (`"7"`).
    static func json(_ value: some Encodable, version: Int64, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try json(value, status: status)
        response.headers[.eTag] = "\"\(version)\""
        return response
    }

    /// 204 No Content.
    static func noContent() -> Response {
        Response(status: .noContent)
    }

    /// Reads the body (at most `limit` bytes).
    static func body(of request: Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw AdminAPIError.payloadTooLarge("the request body is larger than \(limit) bytes")
        }
    }

    /// Decodes the JSON body as `T`; a malformed body is a 400 naming the field as `entity.path`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, entity: String) async throws -> T {
        let buffer = try await body(of: request, limit: maximumJSONBody)
        do {
            return try AdminAPI.makeDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.apiError(error, entity: entity)
        }
    }

    /// A decoding error as a 400 that names the field: `device.speedDials[0].number must be a string`.
    static func apiError(_ error: DecodingError, entity: String) -> AdminAPIError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(entity) { path, key in
                if let index = key.intValue { return "\(path)[\(index)]" }
                return "\(path).\(key.stringValue)"
            }
        }
        func label(_ field: String) -> String {
            guard let dot = field.firstIndex(of: ".") else { return field }
            return field[..<dot] + " " + field[field.index(after: dot)...]
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Bool.Type: "true or false"
            case is Int.Type, is Int64.Type, is UInt32.Type: "a whole number"
            case is Double.Type: "a number"
            case is Date.Type: "an ISO 8601 date"
            default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalidValue(field, "\(label(field)) is required")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            if context.codingPath.isEmpty {
                return .invalidValue(nil, "the body must be \(kind(type)) in JSON")
            }
            return .invalidValue(field, "\(label(field)) must be \(kind(type))")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalidValue(field, "\(label(field)) must be \(kind(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .invalidValue(nil, "the body is not valid JSON")
            }
            let field = path(context.codingPath)
            return .invalidValue(field, "\(label(field)) \(context.debugDescription)")
        @unknown default:
            return .invalidValue(nil, "the body is not valid JSON")
        }
    }

    /// Runs a Store write, renaming the Store's fields to the API's in its errors.
    static func renaming<T>(_ fields: [String: String], _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw AdminAPIError.from(error, fields: fields)
        }
    }

    /// A path parameter (always present: the route has it), percent-decoded (a user name may contain `/`).
    static func parameter(_ name: String, _ context: Context) throws -> String {
        guard let value = context.parameters.get(name) else {
            throw AdminAPIError.invalidValue(name, "the path needs a \(name)")
        }
        return value.removingPercentEncoding ?? value
    }

    /// Calls the live status, answering 503 when the call-control core does not.
    func liveValue<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AdminAPIError {
            throw error
        } catch {
            throw AdminAPIError.unavailable("the live status is not available: \(error)")
        }
    }
}
