import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// A live status to inject: fixed registrations and calls, resets recorded, and a switch to make it fail.
actor FakeLiveStatus: AdminLiveStatus {
    var devices: [AdminAPI.RegisteredDevice] = []
    var calls: [AdminAPI.ActiveCall] = []
    var resets: [String] = []
    var failing = false

    func set(devices: [AdminAPI.RegisteredDevice], calls: [AdminAPI.ActiveCall] = []) {
        self.devices = devices
        self.calls = calls
    }

    func setFailing(_ failing: Bool) {
        self.failing = failing
    }

    func counts() async throws -> AdminLiveCounts {
        if failing { throw FakeFailure() }
        return AdminLiveCounts(registeredDevices: devices.count, activeCalls: calls.count)
    }

    func registeredDevices() async throws -> [AdminAPI.RegisteredDevice] {
        if failing { throw FakeFailure() }
        return devices
    }

    func activeCalls() async throws -> [AdminAPI.ActiveCall] {
        if failing { throw FakeFailure() }
        return calls
    }

    func resetDevice(named name: String) async throws -> Bool {
        if failing { throw FakeFailure() }
        resets.append(name)
        return devices.contains { $0.name == name }
    }

    struct FakeFailure: Error {}
}

/// An admin API on an in-memory Store with one token, tested through Hummingbird's router test client.
struct APIHarness {
    let store: Store
    let live = FakeLiveStatus()
    let metrics = AdminMetrics()
    let token: String

    static func make() async throws -> APIHarness {
        let store = Store(database: try StrowgerDatabase.inMemory())
        let token = try await store.createAdminToken(name: "test").secret
        return APIHarness(store: store, token: token)
    }

    var routes: AdminRoutes {
        AdminRoutes(store: store, live: live, metrics: metrics, version: "9.9.9-test")
    }

    /// Runs `body` with a client of the router.
    func test(_ body: @Sendable (APIClient) async throws -> Void) async throws {
        let application = Application(router: routes.makeRouter())
        let token = self.token
        try await application.test(.router) { client in
            try await body(APIClient(client: client, token: token))
        }
    }
}

/// Requests with the harness' token (or another, or none) and JSON bodies.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    enum Authorization: Sendable {
        case harness, none
        case header(String)
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        body: String? = nil,
        contentType: String? = nil,
        authorization: Authorization = .harness
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        switch authorization {
        case .harness: headers[.authorization] = "Bearer \(token)"
        case .none: break
        case .header(let value): headers[.authorization] = value
        }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(string: json)
        } else if let body {
            buffer = ByteBuffer(string: body)
        }
        if let contentType { headers[.contentType] = contentType }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer)
    }

    /// A request that must succeed with `status`, decoded as `T`.
    func value<T: Decodable>(
        _ type: T.Type,
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        status: HTTPResponse.Status = .ok,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> T {
        let response = try await request(method, uri, json: json)
        #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try response.decode(T.self)
    }

    /// A request that must fail with `status`; its error body.
    func error(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        status: HTTPResponse.Status,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> AdminAPI.ErrorBody.Detail {
        let response = try await request(method, uri, json: json)
        #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try response.decode(AdminAPI.ErrorBody.self).error
    }
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try AdminAPI.makeDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
}
