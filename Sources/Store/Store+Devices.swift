import CallControl
import GRDB

extension Store {
    /// All devices, by name.
    public func devices() async throws -> [DeviceRecord] {
        try await read { db in try DeviceRecord.order(DeviceRecord.Columns.name).fetchAll(db) }
    }

    public func device(id: Int64) async throws -> DeviceRecord? {
        try await read { db in try DeviceRecord.fetchOne(db, key: id) }
    }

    /// The device with this name, in any spelling (names are kept canonical, `DeviceName.canonicalSpelling(of:)`).
    public func device(named name: String) async throws -> DeviceRecord? {
        let name = DeviceName.canonicalSpelling(of: name)
        return try await read { db in try DeviceRecord.filter(DeviceRecord.Columns.name == name).fetchOne(db) }
    }

    /// The names of the devices that must register with a client certificate (upper case): what the TLS
    /// listeners check from memory, reloaded when the configuration changes.
    public func namesRequiringClientCertificates() async throws -> Set<String> {
        try await read { db in
            Set(
                try DeviceRecord.filter(DeviceRecord.Columns.requiresClientCertificate == true)
                    .select(DeviceRecord.Columns.name, as: String.self)
                    .fetchAll(db)
                    .map { $0.uppercased() }
            )
        }
    }

    /// Inserts a device (with no lines yet) and returns it with its id. Publishes `upsertDevice`.
    @discardableResult
    public func insert(_ device: DeviceRecord) async throws -> DeviceRecord {
        let device = device.canonicalized
        try device.validate()
        return try await write { db, changes in
            try Self.checkDevice(db, device, excluding: nil)
            var device = device
            device.callManagerGroup = try Self.checkCallManagerGroup(device.callManagerGroup, previous: nil, db)
            device.softkeyTemplate = try Self.checkSoftkeyTemplate(device.softkeyTemplate, db)
            try device.insert(db)
            changes.append(.upsertDevice(try Self.deviceConfiguration(db, device)))
            return device
        }
    }

    /// Replaces the device with the same id. Publishes `upsertDevice`, preceded by `removeDevice` of the old name
    /// if the name changed (a phone replaced by another with a different MAC keeps its lines).
    @discardableResult
    public func update(_ device: DeviceRecord) async throws -> DeviceRecord {
        let device = device.canonicalized
        try device.validate()
        let id = try Self.requireID(device.id, "device")
        return try await write { db, changes in
            let old = try Self.requireDevice(db, id: id)
            try Self.checkDevice(db, device, excluding: id)
            var device = device
            device.callManagerGroup = try Self.checkCallManagerGroup(
                device.callManagerGroup,
                previous: old.callManagerGroup,
                db
            )
            device.softkeyTemplate = try Self.checkSoftkeyTemplate(device.softkeyTemplate, db)
            try device.update(db)
            if old.name != device.name { changes.append(.removeDevice(DeviceName(old.name))) }
            changes.append(.upsertDevice(try Self.deviceConfiguration(db, device)))
            return device
        }
    }

    /// Deletes the device with its line appearances and speed dials (its lines stay). Publishes `removeDevice`.
    public func deleteDevice(id: Int64) async throws {
        try await write { db, changes in
            let device = try Self.requireDevice(db, id: id)
            try device.delete(db)
            changes.append(.removeDevice(DeviceName(device.name)))
        }
    }

    /// Deletes the device with this name; see ``deleteDevice(id:)``.
    public func deleteDevice(named name: String) async throws {
        let name = DeviceName.canonicalSpelling(of: name)
        try await write { db, changes in
            guard let device = try DeviceRecord.filter(DeviceRecord.Columns.name == name).fetchOne(db) else {
                throw StoreError.notFound("device.name", "no device named \(Validation.quoted(name))")
            }
            try device.delete(db)
            changes.append(.removeDevice(DeviceName(device.name)))
        }
    }

    private static func checkDevice(_ db: Database, _ device: DeviceRecord, excluding id: Int64?) throws {
        try ensureUnique(
            db,
            DeviceRecord.self,
            DeviceRecord.Columns.name,
            device.name,
            excluding: id,
            field: "device.name",
            "a device named \(Validation.quoted(device.name)) already exists"
        )
        if let ownerID = device.ownerID, try !UserRecord.exists(db, key: ownerID) {
            throw StoreError.notFound("device.ownerId", "device owner: no user with id \(ownerID)")
        }
    }

    // MARK: - Speed dials

    /// The device's speed dials, by button index.
    public func speedDials(deviceID: Int64) async throws -> [SpeedDialRecord] {
        try await read { db in
            try SpeedDialRecord.filter(SpeedDialRecord.Columns.deviceID == deviceID)
                .order(SpeedDialRecord.Columns.buttonIndex)
                .fetchAll(db)
        }
    }

    /// Inserts a speed dial. Publishes `upsertDevice` for its device.
    @discardableResult
    public func insert(_ speedDial: SpeedDialRecord) async throws -> SpeedDialRecord {
        try speedDial.validate()
        return try await write { db, changes in
            try Self.checkSpeedDial(db, speedDial, excluding: nil)
            var speedDial = speedDial
            try speedDial.insert(db)
            try Self.appendUpsert(ofDevice: speedDial.deviceID, db, to: &changes)
            return speedDial
        }
    }

    /// Replaces the speed dial with the same id. Publishes `upsertDevice` for its device (both, if it moved).
    @discardableResult
    public func update(_ speedDial: SpeedDialRecord) async throws -> SpeedDialRecord {
        try speedDial.validate()
        let id = try Self.requireID(speedDial.id, "speedDial")
        return try await write { db, changes in
            guard let old = try SpeedDialRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound("speedDial.id", "no speed dial with id \(id)")
            }
            try Self.checkSpeedDial(db, speedDial, excluding: id)
            try speedDial.update(db)
            if old.deviceID != speedDial.deviceID { try Self.appendUpsert(ofDevice: old.deviceID, db, to: &changes) }
            try Self.appendUpsert(ofDevice: speedDial.deviceID, db, to: &changes)
            return speedDial
        }
    }

    /// Deletes a speed dial. Publishes `upsertDevice` for its device.
    public func deleteSpeedDial(id: Int64) async throws {
        try await write { db, changes in
            guard let speedDial = try SpeedDialRecord.fetchOne(db, key: id) else {
                throw StoreError.notFound("speedDial.id", "no speed dial with id \(id)")
            }
            try speedDial.delete(db)
            try Self.appendUpsert(ofDevice: speedDial.deviceID, db, to: &changes)
        }
    }

    /// Replaces all of a device's speed dials with `speedDials` (their `deviceID` is set to `deviceID`). Publishes
    /// one `upsertDevice`.
    @discardableResult
    public func replaceSpeedDials(
        ofDevice deviceID: Int64,
        with speedDials: [SpeedDialRecord]
    ) async throws -> [SpeedDialRecord] {
        var seen = Set<Int>()
        for dial in speedDials {
            try dial.validate()
            guard seen.insert(dial.buttonIndex).inserted else {
                throw StoreError.invalidValue(
                    "speedDial.buttonIndex",
                    "speed dial button index \(dial.buttonIndex) is listed twice"
                )
            }
        }
        return try await write { db, changes in
            _ = try Self.requireDevice(db, id: deviceID, field: "speedDial.deviceId")
            try SpeedDialRecord.filter(SpeedDialRecord.Columns.deviceID == deviceID).deleteAll(db)
            var inserted: [SpeedDialRecord] = []
            for dial in speedDials {
                var dial = dial
                dial.id = nil
                dial.deviceID = deviceID
                try dial.insert(db)
                inserted.append(dial)
            }
            try Self.appendUpsert(ofDevice: deviceID, db, to: &changes)
            return inserted
        }
    }

    private static func checkSpeedDial(_ db: Database, _ dial: SpeedDialRecord, excluding id: Int64?) throws {
        let device = try requireDevice(db, id: dial.deviceID, field: "speedDial.deviceId")
        var sameButton = SpeedDialRecord.filter(
            SpeedDialRecord.Columns.deviceID == dial.deviceID && SpeedDialRecord.Columns.buttonIndex == dial.buttonIndex
        )
        if let id { sameButton = sameButton.filter(SpeedDialRecord.Columns.id != id) }
        if try sameButton.fetchCount(db) > 0 {
            throw StoreError.conflict(
                "speedDial.buttonIndex",
                "device \(device.name) already has a speed dial at index \(dial.buttonIndex)"
            )
        }
    }
}
