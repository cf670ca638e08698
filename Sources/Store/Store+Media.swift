import CallControl

/// Music-on-hold sources and meet-me numbers (issue 14).
extension Store {
    // MARK: Music sources

    /// Every music source by name, the built-in one included.
    public func musicSources() async throws -> [MusicSourceRecord] {
        // The name column compares without regard to case (NOCASE in SQLite, CITEXT in PostgreSQL), and so sorts.
        try await read { db in try db.fetchAll(MusicSourceRecord.self, orderBy: "name") }
    }

    /// The source with this name (without regard to case), or nil.
    public func musicSource(named name: String) async throws -> MusicSourceRecord? {
        try await read { db in try db.find(MusicSourceRecord.self, key: name) }
    }

    /// Inserts `source`, or replaces the one with its name when `replacing`. Throws ``StoreError/Code/conflict``
    /// when it exists and `replacing` is false, or when it is the built-in source. Returns whether it was created.
    @discardableResult
    public func saveMusicSource(_ source: MusicSourceRecord, replacing: Bool) async throws -> Bool {
        try source.validate()
        return try await write { db, _ in
            if let existing = try db.find(MusicSourceRecord.self, key: source.name) {
                guard !existing.isBuiltIn else {
                    throw StoreError.conflict("musicSource.name", "the built-in music source cannot be replaced")
                }
                guard replacing else {
                    throw StoreError.conflict(
                        "musicSource.name",
                        "a music source named \(Validation.quoted(existing.name)) exists; remove it or replace it"
                    )
                }
                // The stored spelling of the name stays: lines and devices name the source by it.
                var updated = source
                updated.name = existing.name
                try db.update(updated)
                return false
            }
            try db.insert(source)
            return true
        }
    }

    /// Removes the source named `name`. Throws ``StoreError/Code/notFound`` when there is none, and
    /// ``StoreError/Code/conflict`` for the built-in source or one that lines or devices name (they are listed).
    public func removeMusicSource(named name: String) async throws {
        try await write { db, _ in
            guard let existing = try db.find(MusicSourceRecord.self, key: name) else {
                throw StoreError.notFound("musicSource.name", "no music source named \(Validation.quoted(name))")
            }
            guard !existing.isBuiltIn else {
                throw StoreError.conflict("musicSource.name", "the built-in music source cannot be removed")
            }
            // Lines and devices name the source in any case: compared as lower case, the same on both databases.
            let lines = try db.fetchColumn(
                String.self,
                "SELECT number FROM line WHERE lower(musicSource) = lower(?) ORDER BY number",
                existing.name
            )
            let devices = try db.fetchColumn(
                String.self,
                "SELECT name FROM device WHERE lower(musicSource) = lower(?) ORDER BY name",
                existing.name
            )
            guard lines.isEmpty && devices.isEmpty else {
                let users = (lines.map { "line \($0)" } + devices.map { "device \($0)" }).joined(separator: ", ")
                throw StoreError.conflict(
                    "musicSource.name",
                    "music source \(Validation.quoted(existing.name)) is chosen by \(users); choose another first"
                )
            }
            try db.delete(MusicSourceRecord.self, key: existing.name)
        }
    }

    // MARK: Meet-me numbers

    /// Every meet-me number and range, by first number.
    public func meetMeRanges() async throws -> [MeetMeRangeRecord] {
        try await read { db in try Self.fetchMeetMeRecords(db) }
    }

    static func fetchMeetMeRecords(_ db: any SQLConnection) throws -> [MeetMeRangeRecord] {
        try db.fetchAll(MeetMeRangeRecord.self, orderBy: "length(first), first")
    }

    /// The meet-me numbers as CallControl routes them: every range, in the order ``meetMeRanges()`` lists them.
    static func fetchMeetMeRanges(_ db: any SQLConnection) throws -> [MeetMeRange] {
        try fetchMeetMeRecords(db).map(\.meetMeRange)
    }

    /// Adds a number or range. Throws ``StoreError/Code/conflict`` when it shares a number with a stored range or a
    /// line's directory number. Publishes `replaceMeetMeRanges` with every range, so that the number is dialable at
    /// once.
    @discardableResult
    public func insert(_ range: MeetMeRangeRecord) async throws -> MeetMeRangeRecord {
        try range.validate()
        return try await write { db, changes in
            for other in try Self.fetchMeetMeRecords(db) where other.overlaps(range) {
                throw StoreError.conflict(
                    "meetMe.first",
                    "meet-me \(range.description) overlaps the stored meet-me \(other.description)"
                )
            }
            let lines = try db.fetchColumn(
                String.self,
                "SELECT number FROM line WHERE length(number) = ? AND number BETWEEN ? AND ? ORDER BY number",
                range.first.count,
                range.first,
                range.last
            )
            if let line = lines.first {
                throw StoreError.conflict(
                    "meetMe.first",
                    "meet-me \(range.description) includes the directory number \(line) of a line"
                )
            }
            try db.insert(range)
            changes.append(.replaceMeetMeRanges(try Self.fetchMeetMeRanges(db)))
            return range
        }
    }

    /// Removes the range that starts with `first` (or is the single number `first`). Throws
    /// ``StoreError/Code/notFound`` when there is none. Publishes `replaceMeetMeRanges` with the ranges left (a room
    /// in use goes on until its last caller leaves; nobody new can dial it).
    public func removeMeetMeRange(first: String) async throws {
        try await write { db, changes in
            guard try db.delete(MeetMeRangeRecord.self, key: first) else {
                throw StoreError.notFound(
                    "meetMe.first",
                    "no meet-me number or range starts with \(Validation.quoted(first))"
                )
            }
            changes.append(.replaceMeetMeRanges(try Self.fetchMeetMeRanges(db)))
        }
    }
}
