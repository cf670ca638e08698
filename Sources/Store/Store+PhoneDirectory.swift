/// One entry of the corporate directory phones search (Directories → Corporate Directory).
public struct PhoneDirectoryEntry: Sendable, Hashable {
    /// The name shown: the line's display name, else the display name of the user who owns a device showing the
    /// line, else empty (the number alone).
    public var name: String
    /// The directory number the phone dials.
    public var number: String

    public init(name: String, number: String) {
        self.name = name
        self.number = number
    }
}

/// One page of a directory search and how many entries match in all.
public struct PhoneDirectoryPage: Sendable, Hashable {
    public var entries: [PhoneDirectoryEntry]
    public var total: Int

    public init(entries: [PhoneDirectoryEntry], total: Int) {
        self.entries = entries
        self.total = total
    }
}

extension Store {
    /// The lines whose entry matches, sorted by name (entries without a name last) then number, `limit` of them
    /// from `offset`, and the number of matches.
    ///
    /// Matching ignores ASCII case: `firstName` matches the start of the name, `lastName` the start of any later
    /// word of it, `number` the start of the number; an empty term matches everything. One query per page (the
    /// terms go into SQL as `LIKE` patterns with `%` and `_` escaped), so a search costs the same however many
    /// lines there are beyond the page.
    public func phoneDirectory(
        firstName: String = "",
        lastName: String = "",
        number: String = "",
        offset: Int,
        limit: Int
    ) async throws -> PhoneDirectoryPage {
        let entries = """
            SELECT line.number AS number,
                COALESCE(NULLIF(line.displayName, ''), (
                    SELECT NULLIF("user".displayName, '')
                    FROM lineAppearance
                    JOIN device ON device.id = lineAppearance.deviceId
                    JOIN "user" ON "user".id = device.ownerId
                    WHERE lineAppearance.lineId = line.id AND "user".displayName <> ''
                    ORDER BY device.name LIMIT 1
                ), '') AS name
            FROM line
            """
        // `lower` on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if !firstName.isEmpty {
            conditions.append("lower(name) LIKE lower(?) ESCAPE '\\'")
            arguments.append(.text(Self.likePrefix(firstName)))
        }
        if !lastName.isEmpty {
            conditions.append("lower(name) LIKE lower(?) ESCAPE '\\'")
            arguments.append(.text("% " + Self.likePrefix(lastName)))
        }
        if !number.isEmpty {
            conditions.append("lower(number) LIKE lower(?) ESCAPE '\\'")
            arguments.append(.text(Self.likePrefix(number)))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let countArguments = arguments
        let pageArguments = arguments + [.integer(Int64(max(0, limit))), .integer(Int64(max(0, offset)))]
        return try await read { db in
            // PostgreSQL wants a name for a subquery in FROM.
            let total = try db.fetchOne("SELECT COUNT(*) FROM (\(entries)) AS entry \(filter)", countArguments)
            // Named entries first, by name without regard to (ASCII) case, then by number (unique: a total order).
            let rows = try db.fetchAll(
                """
                SELECT name, number FROM (\(entries)) AS entry \(filter)
                ORDER BY CASE WHEN name = '' THEN 1 ELSE 0 END, lower(name), number
                LIMIT ? OFFSET ?
                """,
                pageArguments
            )
            return PhoneDirectoryPage(
                entries: try rows.map {
                    PhoneDirectoryEntry(
                        name: try $0.get("name", as: String.self),
                        number: try $0.get("number", as: String.self)
                    )
                },
                total: try total?.get(0, as: Int.self) ?? 0
            )
        }
    }

    /// The voicemail number of the device named `deviceName`: that of its first line (in button order) that has
    /// one, which its Messages page offers to dial. nil when the device or such a line does not exist.
    public func voicemailNumber(ofDevice deviceName: String) async throws -> String? {
        try await read { db in
            try db.fetchValue(
                String.self,
                """
                SELECT line.voicemailNumber
                FROM device
                JOIN lineAppearance ON lineAppearance.deviceId = device.id
                JOIN line ON line.id = lineAppearance.lineId
                WHERE device.name = ? AND line.voicemailNumber IS NOT NULL AND line.voicemailNumber <> ''
                ORDER BY lineAppearance.position LIMIT 1
                """,
                deviceName
            )
        }
    }

    /// Whether a message is waiting on any line of the device named `deviceName` (``LineRecord/messageWaiting``):
    /// what its Messages page says. False for an unknown device.
    public func hasMessageWaiting(onDevice deviceName: String) async throws -> Bool {
        try await read { db in
            try !db.fetchAll(
                """
                SELECT 1 FROM device
                JOIN lineAppearance ON lineAppearance.deviceId = device.id
                JOIN line ON line.id = lineAppearance.lineId
                WHERE device.name = ? AND line.messageWaiting = 1
                LIMIT 1
                """,
                deviceName
            ).isEmpty
        }
    }

    /// Each user's number: the first line (in button order) of the first of their devices (by name) that has a
    /// line, keyed by user name. Users without such a line are absent.
    public func userNumbers() async throws -> [String: String] {
        try await read { db in
            let rows = try db.fetchAll(
                """
                SELECT "user".name, line.number
                FROM "user"
                JOIN device ON device.ownerId = "user".id
                JOIN lineAppearance ON lineAppearance.deviceId = device.id
                JOIN line ON line.id = lineAppearance.lineId
                ORDER BY "user".name, device.name, lineAppearance.position
                """
            )
            var numbers: [String: String] = [:]
            for row in rows {
                let user = try row.get(0, as: String.self)
                if numbers[user] == nil { numbers[user] = try row.get(1, as: String.self) }
            }
            return numbers
        }
    }

    /// `value` as the start of a `LIKE` pattern: `%`, `_` and `\` escaped, then `%`.
    static func likePrefix(_ value: String) -> String {
        var pattern = ""
        for character in value {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }
}
