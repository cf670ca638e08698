public import CallControl
import GRDB

extension Store {
    // MARK: - Route patterns

    /// The dial plan in its configured order (``RoutePatternRecord/sortOrder``, then insertion).
    public func routePatterns() async throws -> [RoutePatternRecord] {
        try await read { db in
            try RoutePatternRecord.order(RoutePatternRecord.Columns.sortOrder, RoutePatternRecord.Columns.id)
                .fetchAll(db)
        }
    }

    /// Adds a route pattern. Publishes `replaceRoutePatterns` with the whole plan.
    @discardableResult
    public func insert(_ pattern: RoutePatternRecord) async throws -> RoutePatternRecord {
        try pattern.validate()
        return try await write { db, changes in
            try Self.ensureUniquePattern(db, pattern, excluding: nil)
            var pattern = pattern
            try pattern.insert(db)
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
            guard try RoutePatternRecord.exists(db, key: id) else {
                throw StoreError.notFound("routePattern.id", "no route pattern with id \(id)")
            }
            try Self.ensureUniquePattern(db, pattern, excluding: id)
            try pattern.update(db)
            changes.append(.replaceRoutePatterns(try Self.fetchRoutePatterns(db)))
            return pattern
        }
    }

    /// Deletes a route pattern. Publishes `replaceRoutePatterns`.
    public func deleteRoutePattern(id: Int64) async throws {
        try await write { db, changes in
            guard try RoutePatternRecord.deleteOne(db, key: id) else {
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
            try RoutePatternRecord.deleteAll(db)
            var inserted: [RoutePatternRecord] = []
            for pattern in patterns {
                var pattern = pattern
                pattern.id = nil
                try pattern.insert(db)
                inserted.append(pattern)
            }
            changes.append(.replaceRoutePatterns(try Self.fetchRoutePatterns(db)))
            return inserted
        }
    }

    private static func ensureUniquePattern(_ db: Database, _ pattern: RoutePatternRecord, excluding id: Int64?) throws
    {
        try ensureUnique(
            db,
            RoutePatternRecord.self,
            RoutePatternRecord.Columns.pattern,
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
    /// CallControl's settings: the session layer reads it at each registration.
    @discardableResult
    public func update(_ settings: SettingsRecord) async throws -> SettingsRecord {
        try settings.validate()
        return try await write { db, changes in
            try settings.save(db)
            changes.append(.replaceSettings(settings.callControlSettings))
            return settings
        }
    }

    // MARK: - Auto-registration

    /// Persists what CallControl's auto-registration handed out (``CallCommand/autoRegistered(_:_:)``): the line
    /// (with the auto-registration line settings), the device (marked auto-registered) and the appearance of the
    /// line on the device, each only if it is missing. Calling it again changes nothing and publishes nothing.
    ///
    /// Publishes `upsertLine` and `upsertDevice` for what it created; CallControl already has the same values, so
    /// applying them is a no-op there.
    public func recordAutoRegistration(device name: DeviceName, number: DirectoryNumber) async throws {
        try await self.recordAutoRegistrations([(name, number)])
    }

    /// ``recordAutoRegistration(device:number:)`` for several devices in one transaction (one commit, one sync to
    /// disk), in order: a registration storm of new phones writes as many as arrived since the last write at once.
    /// Every pair is checked before anything is written; if one is not valid, nothing is.
    public func recordAutoRegistrations(_ registrations: [(device: DeviceName, number: DirectoryNumber)]) async throws {
        guard !registrations.isEmpty else { return }
        for (name, number) in registrations {
            try Validation.deviceName(name.rawValue, field: "device.name")
            try Validation.directoryNumber(number.rawValue, field: "line.number")
        }
        try await write { db, changes in
            let settings = try SettingsRecord.find(db)
            for (name, number) in registrations {
                try Self.insertAutoRegistration(device: name, number: number, settings: settings, db, &changes)
            }
        }
    }

    /// The line, the device and the appearance of one auto-registration, each only if missing. The lookups are
    /// cached statements: a batch prepares each once.
    private static func insertAutoRegistration(
        device name: DeviceName,
        number: DirectoryNumber,
        settings: SettingsRecord,
        _ db: Database,
        _ changes: inout [DirectoryChange]
    ) throws {
        var line: LineRecord
        if let existing = try LineRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM line WHERE number = ?"),
            arguments: [number.rawValue]
        ) {
            line = existing
        } else {
            line = LineRecord(
                number: number.rawValue,
                maxCalls: settings.autoRegistrationMaxCalls,
                busyTrigger: settings.autoRegistrationBusyTrigger
            )
            try line.insert(db)
            changes.append(.upsertLine(line.lineConfiguration))
        }

        var deviceChanged = false
        var device: DeviceRecord
        if let existing = try DeviceRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM device WHERE name = ?"),
            arguments: [name.rawValue]
        ) {
            device = existing
        } else {
            device = DeviceRecord(name: name.rawValue, isAutoRegistered: true)
            try device.insert(db)
            deviceChanged = true
        }

        guard let deviceID = device.id, let lineID = line.id else { return }
        let appearances = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM lineAppearance WHERE deviceId = ? AND lineId = ?"),
            arguments: [deviceID, lineID]
        )
        if appearances ?? 0 == 0 {
            let lastPosition =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT MAX(position) FROM lineAppearance WHERE deviceId = ?"),
                    arguments: [deviceID]
                ) ?? 0
            var appearance = LineAppearanceRecord(deviceID: deviceID, lineID: lineID, position: lastPosition + 1)
            try appearance.insert(db)
            deviceChanged = true
        }
        if deviceChanged {
            changes.append(.upsertDevice(try Self.deviceConfiguration(db, device)))
        }
    }
}
