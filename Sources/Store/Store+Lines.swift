import CallControl

extension Store {
    /// All lines, by number.
    public func lines() async throws -> [LineRecord] {
        try await read { db in try db.fetchAll(LineRecord.self, orderBy: "number") }
    }

    public func line(id: Int64) async throws -> LineRecord? {
        try await read { db in try db.find(LineRecord.self, key: id) }
    }

    public func line(number: String) async throws -> LineRecord? {
        try await read { db in try db.fetchOne(LineRecord.self, "SELECT * FROM line WHERE number = ?", number) }
    }

    /// Inserts a line and returns it with its id. Publishes `upsertLine`.
    @discardableResult
    public func insert(_ line: LineRecord) async throws -> LineRecord {
        try line.validate()
        return try await write { db, changes in
            try Self.ensureUniqueNumber(db, line, excluding: nil)
            try Self.ensureNumberIsFree(line.number, field: "line.number", owner: .line, db)
            var line = line
            try db.insert(&line)
            changes.append(.upsertLine(line.lineConfiguration))
            return line
        }
    }

    /// Replaces the line with the same id. Publishes `upsertLine`; if the number changed (a moved number), also
    /// `upsertDevice` for every device that shows it, `upsertHuntGroup`/`upsertPickupGroup` for the groups it is a
    /// member of, and then `removeLine` of the old number. A new number must not be a hunt pilot, a pickup group
    /// number or a park slot (``StoreError/Code/conflict``).
    @discardableResult
    public func update(_ line: LineRecord) async throws -> LineRecord {
        try line.validate()
        let id = try Self.requireID(line.id, "line")
        return try await write { db, changes in
            let old = try Self.requireLine(db, id: id)
            try Self.ensureUniqueNumber(db, line, excluding: id)
            if old.number != line.number {
                try Self.ensureNumberIsFree(line.number, field: "line.number", owner: .line, db)
            }
            try db.update(line)
            changes.append(.upsertLine(line.lineConfiguration))
            if old.number != line.number {
                for deviceID in try Self.devicesShowing(lineID: id, db) {
                    try Self.appendUpsert(ofDevice: deviceID, db, to: &changes)
                }
                // Groups list members by line, so they follow the new number.
                try Self.appendGroupUpserts(ofLine: id, db, to: &changes)
                changes.append(.removeLine(DirectoryNumber(old.number)))
            }
            return line
        }
    }

    /// Deletes the line and its appearances. Publishes `upsertDevice` for every device that showed it, then
    /// `removeLine`. A line that is a member of a hunt or pickup group is not deleted (``StoreError/Code/conflict``,
    /// naming the groups).
    public func deleteLine(id: Int64) async throws {
        try await write { db, changes in
            let line = try Self.requireLine(db, id: id)
            try Self.delete(line, db, &changes)
        }
    }

    /// Deletes the line with this number; see ``deleteLine(id:)``.
    public func deleteLine(number: String) async throws {
        try await write { db, changes in
            guard let line = try db.fetchOne(LineRecord.self, "SELECT * FROM line WHERE number = ?", number) else {
                throw StoreError.notFound("line.number", "no line with number \(Validation.quoted(number))")
            }
            try Self.delete(line, db, &changes)
        }
    }

    private static func delete(_ line: LineRecord, _ db: any SQLConnection, _ changes: inout [DirectoryChange]) throws {
        guard let id = line.id else { return }
        try ensureLineIsInNoGroup(line, db)
        let deviceIDs = try devicesShowing(lineID: id, db)
        try db.delete(LineRecord.self, key: id)
        for deviceID in deviceIDs {
            try appendUpsert(ofDevice: deviceID, db, to: &changes)
        }
        changes.append(.removeLine(DirectoryNumber(line.number)))
    }

    private static func ensureUniqueNumber(_ db: any SQLConnection, _ line: LineRecord, excluding id: Int64?) throws {
        try ensureUnique(
            db,
            table: LineRecord.tableName,
            column: "number",
            line.number,
            excluding: id,
            field: "line.number",
            "a line with number \(line.number) already exists"
        )
    }

    static func devicesShowing(lineID: Int64, _ db: any SQLConnection) throws -> [Int64] {
        try db.fetchColumn(
            Int64.self,
            "SELECT DISTINCT deviceId FROM lineAppearance WHERE lineId = ? ORDER BY deviceId",
            lineID
        )
    }

    // MARK: - Line appearances

    /// The device's line appearances in button order.
    public func lineAppearances(deviceID: Int64) async throws -> [LineAppearanceRecord] {
        try await read { db in
            try db.fetchAll(
                LineAppearanceRecord.self,
                "SELECT * FROM lineAppearance WHERE deviceId = ? ORDER BY position",
                deviceID
            )
        }
    }

    /// The appearances of a line, on every device that shows it.
    public func lineAppearances(lineID: Int64) async throws -> [LineAppearanceRecord] {
        try await read { db in
            try db.fetchAll(
                LineAppearanceRecord.self,
                "SELECT * FROM lineAppearance WHERE lineId = ? ORDER BY deviceId, position",
                lineID
            )
        }
    }

    /// Puts a line on a device's button. Publishes `upsertDevice` for the device.
    @discardableResult
    public func insert(_ appearance: LineAppearanceRecord) async throws -> LineAppearanceRecord {
        try appearance.validate()
        return try await write { db, changes in
            try Self.checkAppearance(db, appearance, excluding: nil)
            var appearance = appearance
            try db.insert(&appearance)
            try Self.appendUpsert(ofDevice: appearance.deviceID, db, to: &changes)
            return appearance
        }
    }

    /// Replaces the appearance with the same id (another line, position or device). Publishes `upsertDevice` for
    /// the device, and for the old device if it moved.
    @discardableResult
    public func update(_ appearance: LineAppearanceRecord) async throws -> LineAppearanceRecord {
        try appearance.validate()
        let id = try Self.requireID(appearance.id, "lineAppearance")
        return try await write { db, changes in
            guard let old = try db.find(LineAppearanceRecord.self, key: id) else {
                throw StoreError.notFound("lineAppearance.id", "no line appearance with id \(id)")
            }
            try Self.checkAppearance(db, appearance, excluding: id)
            try db.update(appearance)
            if old.deviceID != appearance.deviceID {
                try Self.appendUpsert(ofDevice: old.deviceID, db, to: &changes)
            }
            try Self.appendUpsert(ofDevice: appearance.deviceID, db, to: &changes)
            return appearance
        }
    }

    /// Takes a line off a device's button. Publishes `upsertDevice` for the device.
    public func deleteLineAppearance(id: Int64) async throws {
        try await write { db, changes in
            guard let appearance = try db.find(LineAppearanceRecord.self, key: id) else {
                throw StoreError.notFound("lineAppearance.id", "no line appearance with id \(id)")
            }
            try db.delete(LineAppearanceRecord.self, key: id)
            try Self.appendUpsert(ofDevice: appearance.deviceID, db, to: &changes)
        }
    }

    /// Sets a device's lines to `numbers`, in button order (positions 1…n), replacing the appearances it had. Every
    /// number must be an existing line. Publishes one `upsertDevice`.
    @discardableResult
    public func setLines(_ numbers: [String], onDevice deviceID: Int64) async throws -> [LineAppearanceRecord] {
        var seen = Set<String>()
        for number in numbers {
            try Validation.directoryNumber(number, field: "line.number")
            guard seen.insert(number).inserted else {
                throw StoreError.invalidValue("lineAppearance.lineId", "line \(number) is listed twice")
            }
        }
        return try await write { db, changes in
            _ = try Self.requireDevice(db, id: deviceID, field: "lineAppearance.deviceId")
            var lineIDs: [Int64] = []
            for number in numbers {
                guard
                    let lineID = try db.fetchValue(Int64.self, "SELECT id FROM line WHERE number = ?", number)
                else {
                    throw StoreError.notFound("lineAppearance.lineId", "no line with number \(number)")
                }
                lineIDs.append(lineID)
            }
            try db.execute("DELETE FROM lineAppearance WHERE deviceId = ?", deviceID)
            var inserted: [LineAppearanceRecord] = []
            for (offset, lineID) in lineIDs.enumerated() {
                var appearance = LineAppearanceRecord(deviceID: deviceID, lineID: lineID, position: offset + 1)
                try db.insert(&appearance)
                inserted.append(appearance)
            }
            try Self.appendUpsert(ofDevice: deviceID, db, to: &changes)
            return inserted
        }
    }

    private static func checkAppearance(
        _ db: any SQLConnection,
        _ appearance: LineAppearanceRecord,
        excluding id: Int64?
    ) throws {
        let device = try requireDevice(db, id: appearance.deviceID, field: "lineAppearance.deviceId")
        let line = try requireLine(db, id: appearance.lineID, field: "lineAppearance.lineId")
        // Another appearance on the same device (not the one being replaced) …
        let others = "SELECT COUNT(*) FROM lineAppearance WHERE deviceId = ? AND id <> ?"
        let excluded = id ?? -1
        if try db.fetchCount(others + " AND position = ?", appearance.deviceID, excluded, appearance.position) > 0 {
            throw StoreError.conflict(
                "lineAppearance.position",
                "device \(device.name) already has a line at position \(appearance.position)"
            )
        }
        if try db.fetchCount(others + " AND lineId = ?", appearance.deviceID, excluded, appearance.lineID) > 0 {
            throw StoreError.conflict(
                "lineAppearance.lineId",
                "line \(line.number) is already on device \(device.name)"
            )
        }
    }
}
