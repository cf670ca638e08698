import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/routes`: the dial plan's route patterns; `PUT /api/routes` replaces the whole plan at once.
    func addRoutePatternRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.routePatterns().map(Self.routePattern))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.RoutePattern.self, from: request, entity: "routePattern")
            return try Self.json(try await Self.createRoutePattern(body, store), status: .created)
        }
        group.put { request, _ in
            let body = try await Self.decode([AdminAPI.RoutePattern].self, from: request, entity: "routePatterns")
            let stored = try await store.replaceRoutePatterns(try body.map(Self.routePatternRecord))
            return try Self.json(stored.map(Self.routePattern))
        }
        group.get(":id") { _, context in
            try Self.json(Self.routePattern(try await Self.requireRoutePattern(context, store)))
        }
        group.patch(":id") { request, context in
            let id = try Self.routePatternID(try Self.parameter("id", context))
            _ = try await Self.requireRoutePattern(id: id, store)
            let patch = try await Self.decode(AdminAPI.RoutePatternPatch.self, from: request, entity: "routePattern")
            return try Self.json(try await Self.updateRoutePattern(id: id, patch, store))
        }
        group.delete(":id") { _, context in
            try await Self.deleteRoutePattern(id: try Self.routePatternID(try Self.parameter("id", context)), store)
            return Self.noContent()
        }
    }

    /// Creates a route pattern (`POST /api/routes`, the web's Add route pattern).
    static func createRoutePattern(_ body: AdminAPI.RoutePattern, _ store: Store) async throws -> AdminAPI.RoutePattern
    {
        Self.routePattern(try await store.insert(try Self.routePatternRecord(body)))
    }

    /// Changes route pattern `id` (`PATCH /api/routes/{id}`): a target unblocks it, `isBlocked` clears the target.
    static func updateRoutePattern(
        id: Int64,
        _ patch: AdminAPI.RoutePatternPatch,
        _ store: Store
    ) async throws -> AdminAPI.RoutePattern {
        var record = try await Self.requireRoutePattern(id: id, store)
        if let pattern = patch.pattern { record.pattern = pattern }
        if patch.isBlocked == true {
            if patch.targetNumber != nil {
                throw AdminAPIError.invalidValue(
                    "routePattern.targetNumber",
                    "route pattern targetNumber must be absent when isBlocked is true"
                )
            }
            record.target = .blocked
        } else if let target = patch.targetNumber {
            record.target = .number(target)
        } else if patch.isBlocked == false, case .blocked = record.target {
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern targetNumber is required to unblock a pattern"
            )
        }
        if let description = patch.description { record.description = description }
        if let sortOrder = patch.sortOrder { record.sortOrder = sortOrder }
        return Self.routePattern(try await store.update(record))
    }

    /// Deletes route pattern `id`; 404 if there is none.
    static func deleteRoutePattern(id: Int64, _ store: Store) async throws {
        let record = try await Self.requireRoutePattern(id: id, store)
        try await store.deleteRoutePattern(id: try Self.id(of: record.id))
    }

    /// A route pattern id from a path; 400 naming `routePattern.id` if it is not a whole number.
    static func routePatternID(_ text: String) throws -> Int64 {
        guard let id = Int64(text) else {
            throw AdminAPIError.invalidValue(
                "routePattern.id",
                "route pattern id must be a whole number, not \"\(text)\""
            )
        }
        return id
    }

    static func requireRoutePattern(id: Int64, _ store: Store) async throws -> RoutePatternRecord {
        guard let record = try await store.routePatterns().first(where: { $0.id == id }) else {
            throw AdminAPIError.notFound("routePattern.id", "no route pattern with id \(id)")
        }
        return record
    }

    static func requireRoutePattern(_ context: Context, _ store: Store) async throws -> RoutePatternRecord {
        try await requireRoutePattern(id: try routePatternID(try parameter("id", context)), store)
    }

    static func routePatternRecord(_ body: AdminAPI.RoutePattern) throws -> RoutePatternRecord {
        let target: RoutePatternRecord.Target
        switch (body.isBlocked, body.targetNumber) {
        case (true, nil): target = .blocked
        case (true, _?):
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern targetNumber must be absent when isBlocked is true"
            )
        case (false, let number?): target = .number(number)
        case (false, nil):
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern targetNumber is required unless isBlocked is true"
            )
        }
        return RoutePatternRecord(
            pattern: body.pattern,
            target: target,
            description: body.description,
            sortOrder: body.sortOrder
        )
    }

    static func routePattern(_ record: RoutePatternRecord) -> AdminAPI.RoutePattern {
        switch record.target {
        case .blocked:
            AdminAPI.RoutePattern(
                id: record.id,
                pattern: record.pattern,
                targetNumber: nil,
                isBlocked: true,
                description: record.description,
                sortOrder: record.sortOrder
            )
        case .number(let number):
            AdminAPI.RoutePattern(
                id: record.id,
                pattern: record.pattern,
                targetNumber: number,
                isBlocked: false,
                description: record.description,
                sortOrder: record.sortOrder
            )
        }
    }

    /// `/api/settings`: read and change the server-wide settings.
    func addSettingsRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(Self.settings(try await store.settings()))
        }
        group.patch { request, _ in
            let patch = try await Self.decode(AdminAPI.Settings.self, from: request, entity: "settings")
            return try Self.json(try await Self.updateSettings(patch, store))
        }
    }

    /// Changes the settings the patch gives (`PATCH /api/settings`, the web's Settings page).
    static func updateSettings(_ patch: AdminAPI.Settings, _ store: Store) async throws -> AdminAPI.Settings {
        var record = try await store.settings()
        if let value = patch.autoRegistrationEnabled { record.autoRegistrationEnabled = value }
        if let value = patch.autoRegistrationFirstNumber { record.autoRegistrationFirstNumber = value }
        if let value = patch.autoRegistrationLastNumber { record.autoRegistrationLastNumber = value }
        if let value = patch.autoRegistrationMaxCalls { record.autoRegistrationMaxCalls = value }
        if let value = patch.autoRegistrationBusyTrigger { record.autoRegistrationBusyTrigger = value }
        if let value = patch.keepAliveSeconds { record.keepAliveSeconds = value }
        if let value = patch.offHookTimeoutMilliseconds { record.offHookTimeoutMilliseconds = value }
        if let value = patch.interdigitTimeoutMilliseconds { record.interdigitTimeoutMilliseconds = value }
        if let value = patch.failedCallTimeoutMilliseconds { record.failedCallTimeoutMilliseconds = value }
        if let value = patch.packetMilliseconds { record.packetMilliseconds = value }
        if let value = patch.dateTemplate { record.dateTemplate = value }
        if let value = patch.timeZone { record.timeZone = value }
        if let value = patch.olsonTimeZone { record.olsonTimeZone = value.isEmpty ? nil : value }
        if let value = patch.ntpServers { record.ntpServers = value }
        if let value = patch.userLocale { record.userLocale = value.isEmpty ? nil : value }
        if let value = patch.networkLocale { record.networkLocale = value.isEmpty ? nil : value }
        return Self.settings(try await store.update(record))
    }

    static func settings(_ record: SettingsRecord) -> AdminAPI.Settings {
        AdminAPI.Settings(
            autoRegistrationEnabled: record.autoRegistrationEnabled,
            autoRegistrationFirstNumber: record.autoRegistrationFirstNumber,
            autoRegistrationLastNumber: record.autoRegistrationLastNumber,
            autoRegistrationMaxCalls: record.autoRegistrationMaxCalls,
            autoRegistrationBusyTrigger: record.autoRegistrationBusyTrigger,
            keepAliveSeconds: record.keepAliveSeconds,
            offHookTimeoutMilliseconds: record.offHookTimeoutMilliseconds,
            interdigitTimeoutMilliseconds: record.interdigitTimeoutMilliseconds,
            failedCallTimeoutMilliseconds: record.failedCallTimeoutMilliseconds,
            packetMilliseconds: record.packetMilliseconds,
            dateTemplate: record.dateTemplate,
            timeZone: record.timeZone,
            olsonTimeZone: record.olsonTimeZone ?? "",
            ntpServers: record.ntpServers,
            userLocale: record.userLocale ?? "",
            networkLocale: record.networkLocale ?? ""
        )
    }
}
