import CallControl
import GRDB

/// Music-on-hold sources and meet-me numbers (issue 14).
extension Store {
    // MARK: Music sources

    /// Every music source by name, the built-in one included.
    public func musicSources() async throws -> [MusicSourceRecord] {
        try await read { db in
            try MusicSourceRecord.order(MusicSourceRecord.Columns.name.collating(.nocase)).fetchAll(db)
        }
    }

    /// The source with this name (without regard to case), or nil.
    public func musicSource(named name: String) async throws -> MusicSourceRecord? {
        try await read { db in try MusicSourceRecord.fetchOne(db, key: name) }
    }

    /// Inserts `source`, or replaces the one with its name when `replacing`. Throws ``StoreError/Code/conflict``
    /// when it exists and `replacing` is false, or when it is the built-in source. Returns whether it was created.
    @discardableResult
    public func saveMusicSource(_ source: MusicSourceRecord, replacing: Bool) async throws -> Bool {
        try source.validate()
        return try await write { db, _ in
            if let existing = try MusicSourceRecord.fetchOne(db, key: source.name) {
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
                try updated.update(db)
                return false
            }
            try source.insert(db)
            return true
        }
    }

    /// Removes the source named `name`. Throws ``StoreError/Code/notFound`` when there is none, and
    /// ``StoreError/Code/conflict`` for the built-in source or one that lines or devices name (they are listed).
    public func removeMusicSource(named name: String) async throws {
        try await write { db, _ in
            guard let existing = try MusicSourceRecord.fetchOne(db, key: name) else {
                throw StoreError.notFound("musicSource.name", "no music source named \(Validation.quoted(name))")
            }
            guard !existing.isBuiltIn else {
                throw StoreError.conflict("musicSource.name", "the built-in music source cannot be removed")
            }
            let lines = try String.fetchAll(
                db,
                sql: "SELECT number FROM line WHERE musicSource = ? COLLATE NOCASE ORDER BY number",
                arguments: [existing.name]
            )
            let devices = try String.fetchAll(
                db,
                sql: "SELECT name FROM device WHERE musicSource = ? COLLATE NOCASE ORDER BY name",
                arguments: [existing.name]
            )
            guard lines.isEmpty && devices.isEmpty else {
                let users = (lines.map { "line \($0)" } + devices.map { "device \($0)" }).joined(separator: ", ")
                throw StoreError.conflict(
                    "musicSource.name",
                    "music source \(Validation.quoted(existing.name)) is chosen by \(users); choose another first"
                )
            }
            try existing.delete(db)
        }
    }

    // MARK: Meet-me numbers

    /// Every meet-me number and range, by first number.
    public func meetMeRanges() async throws -> [MeetMeRangeRecord] {
        try await read { db in try Self.fetchMeetMeRecords(db) }
    }

    static func fetchMeetMeRecords(_ db: Database) throws -> [MeetMeRangeRecord] {
        try MeetMeRangeRecord.order(
            length(MeetMeRangeRecord.Columns.first),
            MeetMeRangeRecord.Columns.first
        ).fetchAll(db)
    }

    /// The meet-me numbers as CallControl routes them: every range, in the order ``meetMeRanges()`` lists them.
    static func fetchMeetMeRanges(_ db: Database) throws -> [MeetMeRange] {
        try fetchMeetMeRecords(db).map(\.meetMeRange)
    }

    /// Adds a number or range. Throws ``StoreError/Code/conflict`` when it shares a number with a stored range or a
    /// line's directory number. Publishes `replaceMeetMeRanges` with every range, so that the number is dialable at
    /// once.
    @discardableResult
    public func insert(_ range: MeetMeRangeRecord) async throws -> MeetMeRangeRecord {
        try range.validate()
        return try await write { db, changes in
            for other in try MeetMeRangeRecord.fetchAll(db) where other.overlaps(range) {
                throw StoreError.conflict(
                    "meetMe.first",
                    "meet-me \(range.description) overlaps the stored meet-me \(other.description)"
                )
            }
            let lines = try String.fetchAll(
                db,
                sql: "SELECT number FROM line WHERE length(number) = ? AND number BETWEEN ? AND ? ORDER BY number",
                arguments: [range.first.count, range.first, range.last]
            )
            if let line = lines.first {
                throw StoreError.conflict(
                    "meetMe.first",
                    "meet-me \(range.description) includes the directory number \(line) of a line"
                )
            }
            try range.insert(db)
            changes.append(.replaceMeetMeRanges(try Self.fetchMeetMeRanges(db)))
            return range
        }
    }

    /// Removes the range that starts with `first` (or is the single number `first`). Throws
    /// ``StoreError/Code/notFound`` when there is none. Publishes `replaceMeetMeRanges` with the ranges left (a room
    /// in use goes on until its last caller leaves; nobody new can dial it).
    public func removeMeetMeRange(first: String) async throws {
        try await write { db, changes in
            guard try MeetMeRangeRecord.deleteOne(db, key: first) else {
                throw StoreError.notFound(
                    "meetMe.first",
                    "no meet-me number or range starts with \(Validation.quoted(first))"
                )
            }
            changes.append(.replaceMeetMeRanges(try Self.fetchMeetMeRanges(db)))
        }
    }
}
