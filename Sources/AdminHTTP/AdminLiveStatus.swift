/// What the admin API needs to know about the running server beyond the Store: which phones are registered, which
/// calls are up, and a way to reset a phone. The composition root implements it on top of the CallControl host;
/// tests inject a fake.
public protocol AdminLiveStatus: Sendable {
    /// The counts `GET /api/status` and `/metrics` report; should be O(1).
    func counts() async throws -> AdminLiveCounts
    /// Every phone registered now, by name.
    func registeredDevices() async throws -> [AdminAPI.RegisteredDevice]
    /// Every call alive now.
    func activeCalls() async throws -> [AdminAPI.ActiveCall]
    /// Tells a registered phone to restart (it re-registers and picks up its configuration). Returns false when the
    /// phone is not registered.
    func resetDevice(named name: String) async throws -> Bool
    /// The registrations of those of `names` that are registered now, by name: what a page of the phone list shows.
    /// The default reads every registration; a host that can look names up directly should.
    func registrations(of names: [String]) async throws -> [String: AdminAPI.RegisteredDevice]
}

extension AdminLiveStatus {
    public func registrations(of names: [String]) async throws -> [String: AdminAPI.RegisteredDevice] {
        let wanted = Set(names.map { $0.uppercased() })
        var found: [String: AdminAPI.RegisteredDevice] = [:]
        for device in try await registeredDevices() where wanted.contains(device.name.uppercased()) {
            found[device.name.uppercased()] = device
        }
        return found
    }
}

/// Registered phones and live calls, counted.
public struct AdminLiveCounts: Sendable, Hashable {
    public var registeredDevices: Int
    public var activeCalls: Int

    public init(registeredDevices: Int, activeCalls: Int) {
        self.registeredDevices = registeredDevices
        self.activeCalls = activeCalls
    }
}
