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

    /// Changes route pattern `id` (`PATCH /api/routes/{id}`): a number, a trunk or `isBlocked` replaces the target.
    static func updateRoutePattern(
        id: Int64,
        _ patch: AdminAPI.RoutePatternPatch,
        _ store: Store
    ) async throws -> AdminAPI.RoutePattern {
        var record = try await Self.requireRoutePattern(id: id, store)
        if let pattern = patch.pattern { record.pattern = pattern }
        record.target = try Self.patchedTarget(record.target, patch)
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
        switch (body.isBlocked, body.targetNumber, body.trunk) {
        case (true, nil, nil): target = .blocked
        case (false, let number?, nil): target = .number(number)
        case (false, nil, let trunk?): target = .trunk(name: trunk, stripPreDot: body.stripPreDot, prefix: body.prefix)
        case (false, nil, nil):
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern needs a targetNumber, a trunk, or isBlocked true"
            )
        default:
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern takes only one of targetNumber, trunk and isBlocked true"
            )
        }
        if body.trunk == nil, body.stripPreDot || !body.prefix.isEmpty {
            throw AdminAPIError.invalidValue(
                "routePattern.stripPreDot",
                "route pattern stripPreDot and prefix apply to trunk routes only"
            )
        }
        return RoutePatternRecord(
            pattern: body.pattern,
            target: target,
            description: body.description,
            sortOrder: body.sortOrder
        )
    }

    /// The target after a PATCH: at most one of `targetNumber`, `trunk` and `"isBlocked": true` may be given;
    /// `stripPreDot` and `prefix` alone change a trunk route's manipulation.
    static func patchedTarget(
        _ current: RoutePatternRecord.Target,
        _ patch: AdminAPI.RoutePatternPatch
    ) throws -> RoutePatternRecord.Target {
        let given = [patch.isBlocked == true, patch.targetNumber != nil, patch.trunk != nil].filter { $0 }.count
        guard given <= 1 else {
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern takes only one of targetNumber, trunk and isBlocked true"
            )
        }
        var strip = false
        var prefix = ""
        if case .trunk(_, let currentStrip, let currentPrefix) = current {
            strip = currentStrip
            prefix = currentPrefix
        }
        strip = patch.stripPreDot ?? strip
        prefix = patch.prefix ?? prefix
        if patch.isBlocked == true { return .blocked }
        if let number = patch.targetNumber { return .number(number) }
        if let trunk = patch.trunk { return .trunk(name: trunk, stripPreDot: strip, prefix: prefix) }
        if case .trunk(let name, _, _) = current { return .trunk(name: name, stripPreDot: strip, prefix: prefix) }
        if patch.stripPreDot != nil || patch.prefix != nil {
            throw AdminAPIError.invalidValue(
                "routePattern.stripPreDot",
                "route pattern stripPreDot and prefix apply to trunk routes only"
            )
        }
        if patch.isBlocked == false, case .blocked = current {
            throw AdminAPIError.invalidValue(
                "routePattern.targetNumber",
                "route pattern targetNumber is required to unblock a pattern"
            )
        }
        return current
    }

    static func routePattern(_ record: RoutePatternRecord) -> AdminAPI.RoutePattern {
        var result = AdminAPI.RoutePattern(
            id: record.id,
            pattern: record.pattern,
            targetNumber: nil,
            description: record.description,
            sortOrder: record.sortOrder
        )
        switch record.target {
        case .blocked:
            result.isBlocked = true
        case .number(let number):
            result.targetNumber = number
        case .trunk(let name, let strip, let prefix):
            result.trunk = name
            result.stripPreDot = strip
            result.prefix = prefix
        }
        return result
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
        if let value = patch.parkSlots { (record.parkFirstSlot, record.parkLastSlot) = try Self.parkSlots(value) }
        if let value = patch.parkReversionSeconds { record.parkReversionSeconds = value }
        if let value = patch.transferOnHook { record.transferOnHook = value }
        if let value = patch.doNotDisturbMode { record.doNotDisturbMode = try Self.doNotDisturbMode(value) }
        let stored = try await Self.renaming(Self.settingsFields) { try await store.update(record) }
        return Self.settings(stored)
    }

    /// The Store's park fields as the settings JSON spells them.
    static let settingsFields = [
        "settings.parkFirstSlot": "settings.parkSlots",
        "settings.parkLastSlot": "settings.parkSlots",
    ]

    /// `7000-7019` → (7000, 7019); `7000` → (7000, 7000); `""` → park off. Anything else is a 400 naming
    /// `settings.parkSlots` (whether the range itself is allowed is the Store's check).
    static func parkSlots(_ text: String) throws -> (Int?, Int?) {
        if text.isEmpty { return (nil, nil) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let bounds = parts.map { part -> Int? in
            guard !part.isEmpty, part.count <= 10, part.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(part)
        }
        guard (1...2).contains(parts.count), let first = bounds.first ?? nil, let last = bounds.last ?? nil else {
            throw AdminAPIError.invalidValue(
                "settings.parkSlots",
                "settings parkSlots must be FIRST-LAST like 7000-7019, one number, or \"\" to turn park off, not"
                    + " \"\(text)\""
            )
        }
        return (first, last)
    }

    /// `ringer-off` or `reject`; 400 naming the field for anything else.
    static func doNotDisturbMode(_ text: String) throws -> SettingsRecord.DoNotDisturbMode {
        guard let mode = SettingsRecord.DoNotDisturbMode(rawValue: text) else {
            throw AdminAPIError.invalidValue(
                "settings.doNotDisturbMode",
                "settings doNotDisturbMode must be one of \(SettingsRecord.DoNotDisturbMode.spellings), not \"\(text)\""
            )
        }
        return mode
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
            networkLocale: record.networkLocale ?? "",
            parkSlots: record.parkSlots.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "",
            parkReversionSeconds: record.parkReversionSeconds,
            transferOnHook: record.transferOnHook,
            doNotDisturbMode: record.doNotDisturbMode.rawValue
        )
    }
}
