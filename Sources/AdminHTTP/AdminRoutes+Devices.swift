import CallControl
import Foundation
import Hummingbird
import Store

extension AdminRoutes {
    /// The Store's field names as the device routes' JSON spells them.
    static let deviceFields = [
        "device.ownerId": "device.owner",
        "lineAppearance.lineId": "device.lines",
        "speedDial.buttonIndex": "device.speedDials.buttonIndex",
        "speedDial.number": "device.speedDials.number",
        "speedDial.label": "device.speedDials.label",
    ]

    /// `/api/devices`: list, create, read, change, delete and reset phones; their lines and speed dials.
    func addDeviceRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        let live = self.live
        group.get { _, _ in
            try Self.json(try await store.deviceDetails().map(Self.device))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.Device.self, from: request, entity: "device")
            return try Self.json(try await Self.createDevice(body, store), status: .created)
        }
        group.get(":name") { _, context in
            let device = Self.device(try await Self.requireDevice(try Self.parameter("name", context), store))
            return try Self.json(device, version: device.version)
        }
        group.patch(":name") { request, context in
            let name = try Self.parameter("name", context)
            _ = try await Self.requireDevice(name, store)
            let patch = try await Self.decode(AdminAPI.DevicePatch.self, from: request, entity: "device")
            let device = try await Self.updateDevice(named: name, patch, store)
            return try Self.json(device, version: device.version)
        }
        group.delete(":name") { _, context in
            try await Self.deleteDevice(named: try Self.parameter("name", context), store)
            return Self.noContent()
        }
        // A constant path: device names are SEP + hex, never "prune".
        group.post("prune") { request, _ in
            let body = try await Self.decode(AdminAPI.PruneRequest.self, from: request, entity: "prune")
            guard body.autoRegistered else {
                throw AdminAPIError.invalidValue(
                    "prune.autoRegistered",
                    "prune removes auto-registered devices only: autoRegistered must be true"
                )
            }
            guard body.unusedForSeconds >= 3600 else {
                throw AdminAPIError.invalidValue(
                    "prune.unusedForSeconds",
                    "prune unusedForSeconds must be at least 3600 (an hour), not \(body.unusedForSeconds)"
                )
            }
            // Devices registered right now are never pruned, however long ago they registered.
            let registered = Set(try await liveValue { try await live.registeredDevices() }.map(\.name))
            let summary = try await store.pruneDevices(
                unusedSince: Date().addingTimeInterval(-Double(body.unusedForSeconds)),
                autoRegisteredOnly: true,
                keeping: registered,
                dryRun: body.dryRun
            )
            return try Self.json(
                AdminAPI.PruneResult(devices: summary.devices, lines: summary.lines, dryRun: body.dryRun)
            )
        }
        group.post(":name/reset") { _, context in
            try Self.json(try await Self.resetDevice(named: try Self.parameter("name", context), store, live))
        }
        group.put(":name/lines") { request, context in
            let device = try await Self.requireDevice(try Self.parameter("name", context), store).device
            let numbers = try await Self.decode([String].self, from: request, entity: "device.lines")
            _ = try await Self.renaming(Self.deviceFields) {
                try await store.save(device, lines: numbers, speedDials: nil)
            }
            return try Self.json(Self.device(try await Self.requireDevice(device.name, store)))
        }

        // Speed dials.
        group.get(":name/speeddials") { _, context in
            try Self.json(
                try await Self.requireDevice(try Self.parameter("name", context), store).speedDials.map(Self.speedDial)
            )
        }
        group.put(":name/speeddials") { request, context in
            let device = try await Self.requireDevice(try Self.parameter("name", context), store).device
            let dials = try await Self.decode([AdminAPI.SpeedDial].self, from: request, entity: "device.speedDials")
            _ = try await Self.renaming(Self.deviceFields) {
                try await store.save(device, lines: nil, speedDials: Self.speedDialRecords(dials))
            }
            return try Self.json(try await Self.requireDevice(device.name, store).speedDials.map(Self.speedDial))
        }
        group.put(":name/speeddials/:index") { request, context in
            let details = try await Self.requireDevice(try Self.parameter("name", context), store)
            let index = try Self.buttonIndex(context)
            let dial = try await Self.decode(SpeedDialBody.self, from: request, entity: "speedDial")
            return try Self.json(try await Self.setSpeedDial(dial, at: index, on: details, store))
        }
        group.delete(":name/speeddials/:index") { _, context in
            let details = try await Self.requireDevice(try Self.parameter("name", context), store)
            try await Self.deleteSpeedDial(at: try Self.buttonIndex(context), on: details, store)
            return Self.noContent()
        }
    }

    // MARK: - What the routes and the web pages do

    /// Creates a device (`POST /api/devices`, the web's Add phone): one transaction, a bad line leaves nothing.
    static func createDevice(_ body: AdminAPI.Device, _ store: Store) async throws -> AdminAPI.Device {
        let record = DeviceRecord(
            name: DeviceName.canonicalSpelling(of: body.name),
            model: body.model,
            description: body.description,
            ownerID: try await Self.userID(body.owner, store),
            maxProtocolVersion: body.maxProtocolVersion,
            callManagerGroup: body.callManagerGroup,
            securityMode: try Self.securityMode(body.securityMode),
            requiresClientCertificate: body.requiresClientCertificate,
            loadInformation: body.loadInformation.flatMap { $0.isEmpty ? nil : $0 },
            musicSource: try await Self.musicSourceName(body.musicSource, field: "device.musicSource", store),
            doNotDisturb: body.doNotDisturb,
            softkeyTemplate: body.softkeyTemplate.flatMap { $0.isEmpty ? nil : $0 }
        )
        let stored = try await Self.renaming(Self.deviceFields) {
            try await store.save(record, lines: body.lines, speedDials: Self.speedDialRecords(body.speedDials))
        }
        return Self.device(try await Self.requireDevice(stored.name, store))
    }

    /// Changes the device named `name` (`PATCH /api/devices/{name}`); 404 if there is none.
    static func updateDevice(
        named name: String,
        _ patch: AdminAPI.DevicePatch,
        _ store: Store
    ) async throws -> AdminAPI.Device {
        var record = try await Self.requireDevice(name, store).device
        // Without a version, the one just read: a change made meanwhile is refused (409), never overwritten.
        if let version = patch.version { record.version = version }
        if let name = patch.name { record.name = DeviceName.canonicalSpelling(of: name) }
        if let model = patch.model { record.model = model }
        if let description = patch.description { record.description = description }
        if let owner = patch.owner { record.ownerID = try await Self.userID(owner, store) }
        if let version = patch.maxProtocolVersion { record.maxProtocolVersion = version }
        if let group = patch.callManagerGroup { record.callManagerGroup = group }
        if let mode = patch.securityMode { record.securityMode = try Self.securityMode(mode) }
        if let requires = patch.requiresClientCertificate { record.requiresClientCertificate = requires }
        if let load = patch.loadInformation { record.loadInformation = load.flatMap { $0.isEmpty ? nil : $0 } }
        if let music = patch.musicSource {
            record.musicSource = try await Self.musicSourceName(music, field: "device.musicSource", store)
        }
        if let doNotDisturb = patch.doNotDisturb { record.doNotDisturb = doNotDisturb }
        if let template = patch.softkeyTemplate { record.softkeyTemplate = template.flatMap { $0.isEmpty ? nil : $0 } }
        let stored = try await Self.renaming(Self.deviceFields) {
            try await store.save(
                record,
                lines: patch.lines,
                speedDials: patch.speedDials.map(Self.speedDialRecords)
            )
        }
        return Self.device(try await Self.requireDevice(stored.name, store))
    }

    /// Deletes the device named `name`; 404 if there is none.
    static func deleteDevice(named name: String, _ store: Store) async throws {
        let device = try await Self.requireDevice(name, store).device
        try await store.deleteDevice(id: try Self.id(of: device.id))
    }

    /// CUCM's Reset of the device named `name`; 404 if there is none, 503 if the live status does not answer.
    static func resetDevice(
        named name: String,
        _ store: Store,
        _ live: any AdminLiveStatus
    ) async throws -> AdminAPI.ResetResult {
        let device = try await Self.requireDevice(name, store).device
        let wasRegistered: Bool
        do {
            wasRegistered = try await live.resetDevice(named: device.name)
        } catch let error as AdminAPIError {
            throw error
        } catch {
            throw AdminAPIError.unavailable("the live status is not available: \(error)")
        }
        return AdminAPI.ResetResult(name: device.name, wasRegistered: wasRegistered)
    }

    /// Sets speed dial `index` of a device (`PUT /api/devices/{name}/speeddials/{index}`).
    static func setSpeedDial(
        _ dial: SpeedDialBody,
        at index: Int,
        on details: DeviceDetails,
        _ store: Store
    ) async throws -> AdminAPI.SpeedDial {
        var dials = details.speedDials.filter { $0.buttonIndex != index }
        dials.append(
            SpeedDialRecord(
                deviceID: try Self.id(of: details.device.id),
                buttonIndex: index,
                number: dial.number,
                label: dial.label ?? "",
                isBusyLampField: dial.isBusyLampField ?? false
            )
        )
        dials.sort { $0.buttonIndex < $1.buttonIndex }
        _ = try await store.save(details.device, lines: nil, speedDials: dials)
        let stored = try await Self.requireDevice(details.device.name, store).speedDials
        guard let result = stored.first(where: { $0.buttonIndex == index }) else {
            throw AdminAPIError.internal("the speed dial was not stored")
        }
        return Self.speedDial(result)
    }

    /// Deletes speed dial `index` of a device; 404 if it has none there.
    static func deleteSpeedDial(at index: Int, on details: DeviceDetails, _ store: Store) async throws {
        guard let dial = details.speedDials.first(where: { $0.buttonIndex == index }), let id = dial.id else {
            throw AdminAPIError.notFound(
                "speedDial.buttonIndex",
                "device \(details.device.name) has no speed dial \(index)"
            )
        }
        try await store.deleteSpeedDial(id: id)
    }

    /// The body of `PUT /api/devices/{name}/speeddials/{index}`: the index comes from the path.
    struct SpeedDialBody: Decodable, Sendable {
        var buttonIndex: Int?
        var number: String
        var label: String?
        var isBusyLampField: Bool?
    }

    static func buttonIndex(_ context: Context) throws -> Int {
        let text = try parameter("index", context)
        guard let index = Int(text), (1...1000).contains(index) else {
            throw AdminAPIError.invalidValue(
                "speedDial.buttonIndex",
                "speed dial buttonIndex must be a whole number between 1 and 1000, not \"\(text)\""
            )
        }
        return index
    }

    /// `non-secure`, `authenticated` or `encrypted`; 400 naming the field for anything else.
    static func securityMode(_ text: String) throws -> DeviceSecurityMode {
        guard let mode = DeviceSecurityMode(rawValue: text) else {
            throw AdminAPIError.invalidValue(
                "device.securityMode",
                "device securityMode must be one of \(DeviceSecurityMode.spellings), not \"\(text)\""
            )
        }
        return mode
    }

    static func requireDevice(_ name: String, _ store: Store) async throws -> DeviceDetails {
        guard let device = try await store.deviceDetails(named: name).first else {
            throw AdminAPIError.notFound("device.name", "no device named \"\(name)\"")
        }
        return device
    }

    /// The id of the user named `name` (nil for no owner); 422 if there is no such user.
    static func userID(_ name: String?, _ store: Store) async throws -> Int64? {
        guard let name, !name.isEmpty else { return nil }
        guard let user = try await store.user(named: name) else {
            throw AdminAPIError.unprocessable("device.owner", "device owner: no user named \"\(name)\"")
        }
        return user.id
    }

    static func speedDialRecords(_ dials: [AdminAPI.SpeedDial]) -> [SpeedDialRecord] {
        dials.map {
            SpeedDialRecord(
                deviceID: 0,
                buttonIndex: $0.buttonIndex,
                number: $0.number,
                label: $0.label,
                isBusyLampField: $0.isBusyLampField
            )
        }
    }

    static func speedDial(_ record: SpeedDialRecord) -> AdminAPI.SpeedDial {
        AdminAPI.SpeedDial(
            buttonIndex: record.buttonIndex,
            number: record.number,
            label: record.label,
            isBusyLampField: record.isBusyLampField
        )
    }

    static func device(_ details: DeviceDetails) -> AdminAPI.Device {
        AdminAPI.Device(
            name: details.device.name,
            model: details.device.model,
            description: details.device.description,
            owner: details.owner,
            maxProtocolVersion: details.device.maxProtocolVersion,
            callManagerGroup: details.device.callManagerGroup,
            isAutoRegistered: details.device.isAutoRegistered,
            lines: details.lines,
            speedDials: details.speedDials.map(speedDial),
            securityMode: details.device.securityMode.rawValue,
            requiresClientCertificate: details.device.requiresClientCertificate,
            loadInformation: details.device.loadInformation,
            musicSource: details.device.musicSource,
            doNotDisturb: details.device.doNotDisturb,
            softkeyTemplate: details.device.softkeyTemplate,
            lastRegisteredAt: details.lastRegisteredAt,
            version: details.device.version
        )
    }
}
