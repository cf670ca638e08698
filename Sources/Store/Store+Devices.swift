import CallControl

extension Store {
    /// All devices, by name.
    public func devices() async throws -> [DeviceRecord] {
        try await read { db in try db.fetchAll(DeviceRecord.self, orderBy: "name") }
    }

    public func device(id: Int64) async throws -> DeviceRecord? {
        try await read { db in try db.find(DeviceRecord.self, key: id) }
    }

    /// The device with this name, in any spelling (names are kept canonical, `DeviceName.canonicalSpelling(of:)`).
    public func device(named name: String) async throws -> DeviceRecord? {
        let name = DeviceName.canonicalSpelling(of: name)
        return try await read { db in try db.fetchOne(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", name) }
    }

    /// The names of the devices that must register with a client certificate (upper case): what the TLS
    /// listeners check from memory, reloaded when the configuration changes.
    public func namesRequiringClientCertificates() async throws -> Set<String> {
        try await read { db in
            Set(
                try db.fetchColumn(String.self, "SELECT name FROM device WHERE requiresClientCertificate = 1")
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
            try db.insert(&device)
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
            try db.update(device)
            if old.name != device.name { changes.append(.removeDevice(DeviceName(old.name))) }
            changes.append(.upsertDevice(try Self.deviceConfiguration(db, device)))
            return device
        }
    }

    /// Deletes the device with its line appearances and speed dials (its lines stay). Publishes `removeDevice`.
    public func deleteDevice(id: Int64) async throws {
        try await write { db, changes in
            let device = try Self.requireDevice(db, id: id)
            try db.delete(DeviceRecord.self, key: id)
            changes.append(.removeDevice(DeviceName(device.name)))
        }
    }

    /// Deletes the device with this name; see ``deleteDevice(id:)``.
    public func deleteDevice(named name: String) async throws {
        let name = DeviceName.canonicalSpelling(of: name)
        try await write { db, changes in
            guard let device = try db.fetchOne(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", name) else {
                throw StoreError.notFound("device.name", "no device named \(Validation.quoted(name))")
            }
            try db.execute("DELETE FROM device WHERE id = ?", device.id)
            changes.append(.removeDevice(DeviceName(device.name)))
        }
    }

    private static func checkDevice(_ db: any SQLConnection, _ device: DeviceRecord, excluding id: Int64?) throws {
        try ensureUnique(
            db,
            table: DeviceRecord.tableName,
            column: "name",
            device.name,
            excluding: id,
            field: "device.name",
            "a device named \(Validation.quoted(device.name)) already exists"
        )
        if let ownerID = device.ownerID, try !db.exists(UserRecord.self, where: "id = ?", ownerID) {
            throw StoreError.notFound("device.ownerId", "device owner: no user with id \(ownerID)")
        }
    }

    // MARK: - Speed dials

    /// The device's speed dials, by button index.
    public func speedDials(deviceID: Int64) async throws -> [SpeedDialRecord] {
        try await read { db in
            try db.fetchAll(
                SpeedDialRecord.self,
                "SELECT * FROM speedDial WHERE deviceId = ? ORDER BY buttonIndex",
                deviceID
            )
        }
    }

    /// Inserts a speed dial. Publishes `upsertDevice` for its device.
    @discardableResult
    public func insert(_ speedDial: SpeedDialRecord) async throws -> SpeedDialRecord {
        try speedDial.validate()
        return try await write { db, changes in
            try Self.checkSpeedDial(db, speedDial, excluding: nil)
            var speedDial = speedDial
            try db.insert(&speedDial)
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
            guard let old = try db.find(SpeedDialRecord.self, key: id) else {
                throw StoreError.notFound("speedDial.id", "no speed dial with id \(id)")
            }
            try Self.checkSpeedDial(db, speedDial, excluding: id)
            try db.update(speedDial)
            if old.deviceID != speedDial.deviceID { try Self.appendUpsert(ofDevice: old.deviceID, db, to: &changes) }
            try Self.appendUpsert(ofDevice: speedDial.deviceID, db, to: &changes)
            return speedDial
        }
    }

    /// Deletes a speed dial. Publishes `upsertDevice` for its device.
    public func deleteSpeedDial(id: Int64) async throws {
        try await write { db, changes in
            guard let speedDial = try db.find(SpeedDialRecord.self, key: id) else {
                throw StoreError.notFound("speedDial.id", "no speed dial with id \(id)")
            }
            try db.delete(SpeedDialRecord.self, key: id)
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
            try db.execute("DELETE FROM speedDial WHERE deviceId = ?", deviceID)
            var inserted: [SpeedDialRecord] = []
            for dial in speedDials {
                var dial = dial
                dial.id = nil
                dial.deviceID = deviceID
                try db.insert(&dial)
                inserted.append(dial)
            }
            try Self.appendUpsert(ofDevice: deviceID, db, to: &changes)
            return inserted
        }
    }

    private static func checkSpeedDial(_ db: any SQLConnection, _ dial: SpeedDialRecord, excluding id: Int64?) throws {
        let device = try requireDevice(db, id: dial.deviceID, field: "speedDial.deviceId")
        // Another speed dial (not the one being replaced) on the same button of the same device.
        let sameButton = "SELECT COUNT(*) FROM speedDial WHERE deviceId = ? AND buttonIndex = ? AND id <> ?"
        if try db.fetchCount(sameButton, dial.deviceID, dial.buttonIndex, id ?? -1) > 0 {
            throw StoreError.conflict(
                "speedDial.buttonIndex",
                "device \(device.name) already has a speed dial at index \(dial.buttonIndex)"
            )
        }
    }
}
