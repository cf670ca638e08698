public import Foundation

/// One page of a list and the size of the whole (filtered) list.
public struct StorePage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Rows that match the search, on every page.
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

/// What one page of a list shows: a search, an order and a window.
///
/// Every list the web administration pages through is read with `LIMIT`/`OFFSET` in an order an index gives (the
/// unique name or number, or the `addWebAdministration` indexes), so that a page of 20,000 rows walks the index to
/// the window instead of sorting the table.
public struct ListQuery<Sort: Hashable & Sendable>: Hashable, Sendable {
    /// Text to look for; empty shows everything. Matched without regard to case (ASCII), as a substring of names
    /// and descriptions and as a prefix of numbers.
    public var search: String
    public var sort: Sort
    public var descending: Bool
    public var offset: Int
    public var limit: Int

    /// The most rows one page may ask for.
    public static var maximumLimit: Int { 500 }

    public init(search: String = "", sort: Sort, descending: Bool = false, offset: Int = 0, limit: Int = 50) {
        self.search = search
        self.sort = sort
        self.descending = descending
        self.offset = max(0, offset)
        self.limit = min(max(1, limit), Self.maximumLimit)
    }

    /// `%text%` for `lower(column) LIKE lower(?) ESCAPE '\'`, with the search's own `%`, `_` and `\` escaped.
    var containsPattern: String { "%" + Self.escaped(search) + "%" }
    /// `text%` for `lower(column) LIKE lower(?) ESCAPE '\'`.
    var prefixPattern: String { Self.escaped(search) + "%" }

    private static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    var direction: String { descending ? "DESC" : "ASC" }
}

/// The orders of the phone list.
public enum DeviceListSort: String, CaseIterable, Hashable, Sendable {
    case name, description, model, owner
}

/// The orders of the line list.
public enum LineListSort: String, CaseIterable, Hashable, Sendable {
    case number, displayName
}

/// The orders of the user list.
public enum UserListSort: String, CaseIterable, Hashable, Sendable {
    case name, displayName
}

/// What the call-record search looks for; every field set narrows it.
public struct CallRecordFilter: Hashable, Sendable {
    /// The calling or the called number.
    public var number: String?
    /// The calling or the called device (`SEP…`, compared as stored: upper case).
    public var device: String?
    public var cause: CallDetailRecord.EndCause?
    /// Calls set up at or after this time.
    public var from: Date?
    /// Calls set up before this time.
    public var to: Date?

    public init(
        number: String? = nil,
        device: String? = nil,
        cause: CallDetailRecord.EndCause? = nil,
        from: Date? = nil,
        to: Date? = nil
    ) {
        self.number = number
        self.device = device
        self.cause = cause
        self.from = from
        self.to = to
    }

    /// The WHERE clause (after `WHERE`) and its arguments, in the order of its `?`s.
    fileprivate var condition: (sql: String, arguments: [SQLValue]) {
        var clauses = ["setupTime >= ?", "setupTime < ?"]
        var arguments: [SQLValue] = [
            .integer(from.map(StoreTime.milliseconds(since1970:)) ?? Int64.min),
            .integer(to.map(StoreTime.milliseconds(since1970:)) ?? Int64.max),
        ]
        if let number {
            clauses.append("(callingNumber = ? OR calledNumber = ?)")
            arguments += [.text(number), .text(number)]
        }
        if let device {
            clauses.append("(callingDevice = ? OR calledDevice = ?)")
            arguments += [.text(device), .text(device)]
        }
        if let cause {
            clauses.append("endCause = ?")
            arguments.append(.text(cause.rawValue))
        }
        return (clauses.joined(separator: " AND "), arguments)
    }
}

/// Calls in one time bucket that ended for one cause (the call-record chart).
public struct CallRecordBucket: Hashable, Sendable {
    public var start: Date
    public var cause: CallDetailRecord.EndCause
    public var count: Int

    public init(start: Date, cause: CallDetailRecord.EndCause, count: Int) {
        self.start = start
        self.cause = cause
        self.count = count
    }
}

extension Store {
    // MARK: - Phones, lines, users

    /// One page of phones with their owner, lines and speed dials. The search matches the name, description, model
    /// or owner (substring) and the phone's directory numbers (prefix).
    public func devicePage(_ query: ListQuery<DeviceListSort>) async throws -> StorePage<DeviceDetails> {
        let sql = Self.devicePageSQL(query)
        return try await read { db in
            let devices = try db.fetchAll(sql.select, sql.arguments).map(DeviceRecord.init(row:))
            let total = try db.fetchOne(sql.count, sql.countArguments)?.get(0, as: Int.self) ?? 0
            return StorePage(items: try Self.details(of: devices, db), total: total)
        }
    }

    /// The statements of one page of a list: the rows, and the count of all that match.
    struct PageSQL: Sendable {
        var select: String
        var count: String
        /// The arguments of `select`: the search's, then the limit and the offset.
        var arguments: [SQLValue]
        /// The arguments of `count`: the search's.
        var countArguments: [SQLValue]

        init(select: String, count: String, searchArguments: [SQLValue], limit: Int, offset: Int) {
            self.select = select
            self.count = count
            self.arguments = searchArguments + [.integer(Int64(limit)), .integer(Int64(offset))]
            self.countArguments = searchArguments
        }
    }

    static func devicePageSQL(_ query: ListQuery<DeviceListSort>) -> PageSQL {
        let searching = !query.search.isEmpty
        let joinsOwner = searching || query.sort == .owner
        let from = "FROM device" + (joinsOwner ? " LEFT JOIN \"user\" ON \"user\".id = device.ownerId" : "")
        var arguments: [SQLValue] = []
        var condition = ""
        if searching {
            // `lower` on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
            condition = """
                 WHERE (lower(device.name) LIKE lower(?) ESCAPE '\\'
                    OR lower(device.description) LIKE lower(?) ESCAPE '\\'
                    OR lower(device.model) LIKE lower(?) ESCAPE '\\' OR lower("user".name) LIKE lower(?) ESCAPE '\\'
                    OR device.id IN (
                        SELECT lineAppearance.deviceId FROM lineAppearance JOIN line ON line.id = lineAppearance.lineId
                        WHERE lower(line.number) LIKE lower(?) ESCAPE '\\'))
                """
            arguments = Array(repeating: .text(query.containsPattern), count: 4) + [.text(query.prefixPattern)]
        }
        let direction = query.direction
        let order =
            switch query.sort {
            case .name: "device.name \(direction)"
            case .description: "device.description \(direction), device.name \(direction)"
            case .model: "device.model \(direction), device.name \(direction)"
            // A phone with no owner comes first going up and last going down, on both backends (SQLite's order
            // of NULLs; PostgreSQL's is the other way round).
            case .owner:
                "\"user\".name \(direction) \(query.descending ? "NULLS LAST" : "NULLS FIRST"), device.name \(direction)"
            }
        return PageSQL(
            select: "SELECT device.* \(from)\(condition) ORDER BY \(order) LIMIT ? OFFSET ?",
            count: "SELECT COUNT(*) \(from)\(condition)",
            searchArguments: arguments,
            limit: query.limit,
            offset: query.offset
        )
    }

    /// One page of lines with the devices that show them. The search matches the number (prefix), the display name
    /// (substring) or a device that shows the line (substring of its name).
    public func linePage(_ query: ListQuery<LineListSort>) async throws -> StorePage<LineDetails> {
        let sql = Self.linePageSQL(query)
        return try await read { db in
            let lines = try db.fetchAll(sql.select, sql.arguments).map(LineRecord.init(row:))
            let total = try db.fetchOne(sql.count, sql.countArguments)?.get(0, as: Int.self) ?? 0
            var devices: [Int64: [String]] = [:]
            let ids = lines.compactMap(\.id)
            if !ids.isEmpty {
                let rows = try db.fetchAll(
                    """
                    SELECT lineAppearance.lineId, device.name
                    FROM lineAppearance JOIN device ON device.id = lineAppearance.deviceId
                    WHERE lineAppearance.lineId IN (\(Self.placeholders(ids.count)))
                    ORDER BY device.name
                    """,
                    ids.map(\.sqlValue)
                )
                for row in rows {
                    devices[try row.get(0, as: Int64.self), default: []].append(try row.get(1, as: String.self))
                }
            }
            return StorePage(
                items: lines.map { LineDetails(line: $0, devices: $0.id.flatMap { devices[$0] } ?? []) },
                total: total
            )
        }
    }

    /// One page of users with the devices they own. The search matches the name or display name (substring).
    public func userPage(_ query: ListQuery<UserListSort>) async throws -> StorePage<UserDetails> {
        let sql = Self.userPageSQL(query)
        return try await read { db in
            let users = try db.fetchAll(sql.select, sql.arguments).map(UserRecord.init(row:))
            let total = try db.fetchOne(sql.count, sql.countArguments)?.get(0, as: Int.self) ?? 0
            var devices: [Int64: [String]] = [:]
            let ids = users.compactMap(\.id)
            if !ids.isEmpty {
                let owned = try db.fetchAll(
                    "SELECT ownerId, name FROM device WHERE ownerId IN (\(Self.placeholders(ids.count))) ORDER BY name",
                    ids.map(\.sqlValue)
                )
                for row in owned {
                    devices[try row.get(0, as: Int64.self), default: []].append(try row.get(1, as: String.self))
                }
            }
            return StorePage(
                items: users.map { UserDetails(user: $0, devices: $0.id.flatMap { devices[$0] } ?? []) },
                total: total
            )
        }
    }

    static func linePageSQL(_ query: ListQuery<LineListSort>) -> PageSQL {
        var arguments: [SQLValue] = []
        var condition = ""
        if !query.search.isEmpty {
            condition = """
                 WHERE (lower(line.number) LIKE lower(?) ESCAPE '\\'
                    OR lower(line.displayName) LIKE lower(?) ESCAPE '\\'
                    OR line.id IN (
                        SELECT lineAppearance.lineId FROM lineAppearance JOIN device ON device.id = lineAppearance.deviceId
                        WHERE lower(device.name) LIKE lower(?) ESCAPE '\\'))
                """
            arguments = [.text(query.prefixPattern), .text(query.containsPattern), .text(query.containsPattern)]
        }
        let direction = query.direction
        let order =
            switch query.sort {
            case .number: "line.number \(direction)"
            case .displayName: "line.displayName \(direction), line.number \(direction)"
            }
        return PageSQL(
            select: "SELECT line.* FROM line\(condition) ORDER BY \(order) LIMIT ? OFFSET ?",
            count: "SELECT COUNT(*) FROM line\(condition)",
            searchArguments: arguments,
            limit: query.limit,
            offset: query.offset
        )
    }

    static func userPageSQL(_ query: ListQuery<UserListSort>) -> PageSQL {
        var arguments: [SQLValue] = []
        var condition = ""
        if !query.search.isEmpty {
            condition = """
                 WHERE (lower("user".name) LIKE lower(?) ESCAPE '\\'
                    OR lower("user".displayName) LIKE lower(?) ESCAPE '\\')
                """
            arguments = [.text(query.containsPattern), .text(query.containsPattern)]
        }
        let direction = query.direction
        let order =
            switch query.sort {
            case .name: "\"user\".name \(direction)"
            case .displayName: "\"user\".displayName \(direction), \"user\".name \(direction)"
            }
        return PageSQL(
            select: "SELECT \"user\".* FROM \"user\"\(condition) ORDER BY \(order) LIMIT ? OFFSET ?",
            count: "SELECT COUNT(*) FROM \"user\"\(condition)",
            searchArguments: arguments,
            limit: query.limit,
            offset: query.offset
        )
    }

    /// `devices` with their owners' names, lines in button order and speed dials, in four queries however many
    /// devices there are.
    static func details(of devices: [DeviceRecord], _ db: any SQLConnection) throws -> [DeviceDetails] {
        let ids = devices.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        // Up to a few hundred ids (a page) are bound as parameters; more (every device) read the whole tables.
        let all = ids.count > 500
        let filter = all ? "" : "WHERE lineAppearance.deviceId IN (\(placeholders(ids.count)))"
        var lines: [Int64: [String]] = [:]
        let idArguments: [SQLValue] = all ? [] : ids.map(\.sqlValue)
        let rows = try db.fetchAll(
            """
            SELECT lineAppearance.deviceId, line.number
            FROM lineAppearance JOIN line ON line.id = lineAppearance.lineId
            \(filter)
            ORDER BY lineAppearance.deviceId, lineAppearance.position
            """,
            idArguments
        )
        for row in rows {
            lines[try row.get(0, as: Int64.self), default: []].append(try row.get(1, as: String.self))
        }

        var speedDials: [Int64: [SpeedDialRecord]] = [:]
        let dials = try db.fetchAll(
            """
            SELECT * FROM speedDial \(all ? "" : "WHERE deviceId IN (\(placeholders(ids.count)))")
            ORDER BY deviceId, buttonIndex
            """,
            idArguments
        )
        for dial in try dials.map(SpeedDialRecord.init(row:)) {
            speedDials[dial.deviceID, default: []].append(dial)
        }

        var owners: [Int64: String] = [:]
        let ownerIDs = Array(Set(devices.compactMap(\.ownerID)))
        if !ownerIDs.isEmpty {
            let rows = try db.fetchAll(
                "SELECT id, name FROM \"user\" WHERE id IN (\(placeholders(ownerIDs.count)))",
                ownerIDs.map(\.sqlValue)
            )
            for row in rows { owners[try row.get(0, as: Int64.self)] = try row.get(1, as: String.self) }
        }

        // When each last registered (issue 13's column, not part of DeviceRecord).
        var lastRegistered: [Int64: Date] = [:]
        let times = try db.fetchAll(
            """
            SELECT id, lastRegisteredAt FROM device WHERE lastRegisteredAt IS NOT NULL
            \(all ? "" : "AND id IN (\(placeholders(ids.count)))")
            """,
            idArguments
        )
        for row in times {
            lastRegistered[try row.get(0, as: Int64.self)] = try row.get(1, as: Date.self)
        }

        return devices.map { device in
            DeviceDetails(
                device: device,
                owner: device.ownerID.flatMap { owners[$0] },
                lines: device.id.flatMap { lines[$0] } ?? [],
                speedDials: device.id.flatMap { speedDials[$0] } ?? [],
                lastRegisteredAt: device.id.flatMap { lastRegistered[$0] }
            )
        }
    }

    /// `?, ?, …` for `count` parameters.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    // MARK: - Call records

    /// Call records that match `filter`, newest first: `limit` of them from `offset`, and whether more follow.
    public func callDetailRecordPage(
        _ filter: CallRecordFilter,
        offset: Int,
        limit: Int
    ) async throws -> (records: [CallDetailRecord], hasMore: Bool) {
        try Validation.range(limit, 1...10_000, field: "callDetailRecord.limit")
        let (condition, filterArguments) = filter.condition
        let arguments = filterArguments + [.integer(Int64(limit + 1)), .integer(Int64(max(0, offset)))]
        let records = try await read { db in
            try db.fetchAll(
                """
                SELECT * FROM callDetailRecord WHERE \(condition)
                ORDER BY setupTime DESC, id DESC LIMIT ? OFFSET ?
                """,
                arguments
            )
            .map(CallDetailRecord.init(row:))
        }
        return (Array(records.prefix(limit)), records.count > limit)
    }

    /// Call records that match `filter` and come after `cursor` (a record's setup time and id) in newest-first
    /// order: a keyset page, for reading a long result (a CSV download) without OFFSET's cost growing per page.
    public func callDetailRecords(
        _ filter: CallRecordFilter,
        after cursor: (setupTime: Date, id: Int64)?,
        limit: Int
    ) async throws -> [CallDetailRecord] {
        try Validation.range(limit, 1...10_000, field: "callDetailRecord.limit")
        var (condition, arguments) = filter.condition
        if let cursor {
            condition += " AND (setupTime, id) < (?, ?)"
            arguments += [.integer(StoreTime.milliseconds(since1970: cursor.setupTime)), .integer(cursor.id)]
        }
        arguments.append(.integer(Int64(limit)))
        return try await read { [condition, arguments] db in
            try db.fetchAll(
                "SELECT * FROM callDetailRecord WHERE \(condition) ORDER BY setupTime DESC, id DESC LIMIT ?",
                arguments
            )
            .map(CallDetailRecord.init(row:))
        }
    }

    /// How many calls matching `filter` were set up in each `bucket` (from 1970, UTC), by end cause, oldest first.
    /// Buckets without calls are absent.
    public func callDetailRecordBuckets(_ filter: CallRecordFilter, bucket: Duration) async throws -> [CallRecordBucket]
    {
        let milliseconds = max(1, bucket.components.seconds * 1000)
        let (condition, filterArguments) = filter.condition
        // The bucket's two `?`s come first: they are in the select list, before the condition's.
        let arguments = [.integer(Int64(milliseconds)), .integer(Int64(milliseconds))] + filterArguments
        return try await read { db in
            try db.fetchAll(
                """
                SELECT (setupTime / ?) * ? AS start, endCause, COUNT(*)
                FROM callDetailRecord WHERE \(condition)
                GROUP BY start, endCause ORDER BY start, endCause
                """,
                arguments
            )
            .compactMap { row in
                let start = try row.get(0, as: Int64.self)
                let cause = try row.get(1, as: String.self)
                guard let cause = CallDetailRecord.EndCause(rawValue: cause) else { return nil }
                return CallRecordBucket(
                    start: Date(timeIntervalSince1970: Double(start) / 1000),
                    cause: cause,
                    count: try row.get(2, as: Int.self)
                )
            }
        }
    }
}
