public import CallControl
public import Foundation

extension Store {
    // MARK: - Route patterns

    /// The dial plan in its configured order (``RoutePatternRecord/sortOrder``, then insertion).
    public func routePatterns() async throws -> [RoutePatternRecord] {
        try await read { db in
            try db.fetchAll(RoutePatternRecord.self, orderBy: "sortOrder, id")
        }
    }

    /// Adds a route pattern. Publishes `replaceRoutePatterns` with the whole plan.
    @discardableResult
    public func insert(_ pattern: RoutePatternRecord) async throws -> RoutePatternRecord {
        try pattern.validate()
        return try await write { db, changes in
            try Self.ensureUniquePattern(db, pattern, excluding: nil)
            try Self.ensureTrunkExists(db, for: pattern)
            var pattern = pattern
            try db.insert(&pattern)
            changes.append(.replaceRoutePatterns(try Self.fetchRoutePatterns(db)))
            return pattern
        }
    }

    /// Replaces the route pattern with the same id. Publishes `replaceRoutePatterns`.
    @discardableResult
    public func update(_ pattern: RoutePatternRecord) async throws -> RoutePatternRecord {
        try pattern.validate()
        let id = try Self.requireID(pattern.id, "routePattern")
        return try await write { db, changes in
            guard try db.exists(RoutePatternRecord.self, where: "id = ?", id) else {
                throw StoreError.notFound("routePattern.id", "no route pattern with id \(id)")
            }
            try Self.ensureUniquePattern(db, pattern, excluding: id)
            try Self.ensureTrunkExists(db, for: pattern)
            try db.update(pattern)
            changes.append(.replaceRoutePatterns(try Self.fetchRoutePatterns(db)))
            return pattern
        }
    }

    /// Deletes a route pattern. Publishes `replaceRoutePatterns`.
    public func deleteRoutePattern(id: Int64) async throws {
        try await write { db, changes in
            guard try db.delete(RoutePatternRecord.self, key: id) else {
                throw StoreError.notFound("routePattern.id", "no route pattern with id \(id)")
            }
            changes.append(.replaceRoutePatterns(try Self.fetchRoutePatterns(db)))
        }
    }

    /// Replaces the whole dial plan in one transaction (an import). Publishes one `replaceRoutePatterns`.
    @discardableResult
    public func replaceRoutePatterns(_ patterns: [RoutePatternRecord]) async throws -> [RoutePatternRecord] {
        var seen = Set<String>()
        for pattern in patterns {
            try pattern.validate()
            guard seen.insert(pattern.pattern).inserted else {
                throw StoreError.invalidValue(
                    "routePattern.pattern",
                    "route pattern \(Validation.quoted(pattern.pattern)) is listed twice"
                )
            }
        }
        return try await write { db, changes in
            try db.execute("DELETE FROM routePattern")
            var inserted: [RoutePatternRecord] = []
            for pattern in patterns {
                try Self.ensureTrunkExists(db, for: pattern)
                var pattern = pattern
                pattern.id = nil
                try db.insert(&pattern)
                inserted.append(pattern)
            }
            changes.append(.replaceRoutePatterns(try Self.fetchRoutePatterns(db)))
            return inserted
        }
    }

    private static func ensureUniquePattern(
        _ db: any SQLConnection,
        _ pattern: RoutePatternRecord,
        excluding id: Int64?
    ) throws {
        try ensureUnique(
            db,
            table: RoutePatternRecord.tableName,
            column: "pattern",
            pattern.pattern,
            excluding: id,
            field: "routePattern.pattern",
            "route pattern \(Validation.quoted(pattern.pattern)) already exists"
        )
    }

    // MARK: - Settings

    /// The settings (the defaults if none were saved).
    public func settings() async throws -> SettingsRecord {
        try await read { db in try SettingsRecord.find(db) }
    }

    /// Saves the settings. Publishes `replaceSettings`. ``SettingsRecord/keepAliveSeconds`` is not part of
    /// CallControl's settings: the session layer reads it at each registration. A new park range must hold no line,
    /// hunt pilot or pickup group number (``StoreError/Code/conflict``, `settings.parkFirstSlot`).
    @discardableResult
    public func update(_ settings: SettingsRecord) async throws -> SettingsRecord {
        try settings.validate()
        return try await write { db, changes in
            if let slots = settings.parkSlots, slots != (try SettingsRecord.find(db)).parkSlots {
                try Self.ensureParkSlotsAreFree(slots, db)
            }
            try db.save(settings)
            changes.append(.replaceSettings(settings.callControlSettings))
            return settings
        }
    }

    // MARK: - Auto-registration

    /// Persists what CallControl's auto-registration handed out (``CallCommand/autoRegistered(_:_:)``): the line
    /// (with the auto-registration line settings), the device (marked auto-registered, its `lastRegisteredAt` now) and
    /// the appearance of the line on the device, each only if it is missing. Calling it again changes nothing and
    /// publishes nothing. The name is stored in its canonical spelling.
    ///
    /// Publishes `upsertLine` for a line it created, and `upsertDevice` when it added the line to a device that was
    /// already stored (the Store's device then differs from the one the core made). A device it creates is not
    /// published: the core made that very device itself, and a copy that arrived after the phone had changed it
    /// since (its DND softkey, pressed at once) would undo that change.
    ///
    /// A new line's number must be free in the shared number space: CallControl hands out no hunt pilot, pickup
    /// group number or park slot (`Directory.isNumberInUse`), and the Store refuses one too
    /// (``StoreError/Code/conflict``), should one have been configured in between.
    public func recordAutoRegistration(
        device name: DeviceName,
        number: DirectoryNumber,
        now: Date = Date()
    ) async throws {
        try await self.recordAutoRegistrations([(name, number)], now: now)
    }

    /// ``recordAutoRegistration(device:number:now:)`` for several at once, in one transaction (one fsync): a
    /// registration storm of new phones is saved in batches rather than one commit per phone. All are saved, or
    /// none.
    public func recordAutoRegistrations(
        _ registrations: [(device: DeviceName, number: DirectoryNumber)],
        now: Date = Date()
    ) async throws {
        guard !registrations.isEmpty else { return }
        let registeredAt = StoreTime.milliseconds(since1970: now)
        let canonical = registrations.map { (DeviceName(canonicalizing: $0.device.rawValue), $0.number) }
        for (name, number) in canonical {
            try Validation.deviceName(name.rawValue, field: "device.name")
            try Validation.directoryNumber(number.rawValue, field: "line.number")
        }
        try await write { db, changes in
            let settings = try SettingsRecord.find(db)
            for (name, number) in canonical {
                try Self.recordAutoRegistration(
                    device: name,
                    number: number,
                    registeredAt: registeredAt,
                    settings: settings,
                    db,
                    &changes
                )
            }
        }
    }

    private static func recordAutoRegistration(
        device name: DeviceName,
        number: DirectoryNumber,
        registeredAt: Int64,
        settings: SettingsRecord,
        _ db: any SQLConnection,
        _ changes: inout [DirectoryChange]
    ) throws {
        var line: LineRecord
        if let existing = try db.fetchOne(LineRecord.self, "SELECT * FROM line WHERE number = ?", number.rawValue) {
            // A line another phone shows is not this phone's to take. One node's core never hands such a number
            // out, but two nodes sharing a database can hand out the same one at once: the first to commit keeps
            // it, and the other's phone is refused (the core revokes the number, and the phone's next Register gets
            // another). So the database, not a node's memory, decides who has a number.
            let others = try db.fetchCount(
                """
                SELECT COUNT(*) FROM lineAppearance JOIN device ON device.id = lineAppearance.deviceId
                WHERE lineAppearance.lineId = ? AND device.name <> ?
                """,
                existing.id,
                name.rawValue
            )
            if others > 0 {
                throw StoreError.conflict(
                    "line.number",
                    "number \(number.rawValue) was given to another phone first (by another node's auto-registration)"
                )
            }
            line = existing
        } else {
            // The core skips pilots, pickup groups and park slots; a number that became one since is refused.
            try Self.ensureNumberIsFree(number.rawValue, field: "line.number", owner: .line, db)
            line = LineRecord(
                number: number.rawValue,
                maxCalls: settings.autoRegistrationMaxCalls,
                busyTrigger: settings.autoRegistrationBusyTrigger
            )
            try db.insert(&line)
            changes.append(.upsertLine(line.lineConfiguration))
        }

        var deviceChanged = false
        var deviceCreated = false
        var device: DeviceRecord
        if let existing = try db.fetchOne(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", name.rawValue) {
            device = existing
        } else {
            device = DeviceRecord(name: name.rawValue, isAutoRegistered: true)
            try db.insert(&device)
            // It registers as it is created: the clock for `prune --unused-for` starts now.
            try db.execute("UPDATE device SET lastRegisteredAt = ? WHERE id = ?", registeredAt, device.id)
            deviceCreated = true
        }

        guard let deviceID = device.id, let lineID = line.id else { return }
        // A device created just now shows nothing yet; a stored one is asked, in one statement, whether it shows
        // the line already and what its last button is.
        var showsLine = false
        var lastPosition = 0
        if !deviceCreated,
            let row = try db.fetchOne(
                """
                SELECT COUNT(CASE WHEN lineId = ? THEN 1 END), COALESCE(MAX(position), 0)
                FROM lineAppearance WHERE deviceId = ?
                """,
                lineID,
                deviceID
            )
        {
            showsLine = try row.get(0, as: Int.self) > 0
            lastPosition = try row.get(1, as: Int.self)
        }
        if !showsLine {
            var appearance = LineAppearanceRecord(deviceID: deviceID, lineID: lineID, position: lastPosition + 1)
            try db.insert(&appearance)
            deviceChanged = true
        }
        if deviceChanged && !deviceCreated {
            changes.append(.upsertDevice(try Self.deviceConfiguration(db, device)))
        }
    }
}
