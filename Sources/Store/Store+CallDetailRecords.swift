public import CallControl
public import Foundation

extension Store {
    /// Writes call records in one transaction (what ``CDRWriter`` does with each batch).
    public func insertCallRecords(_ records: [CallRecord]) async throws {
        guard !records.isEmpty else { return }
        let node = self.node
        try await write { db, _ in
            for record in records {
                var row = CallDetailRecord(record)
                row.node = node
                try db.insert(&row)
            }
        }
    }

    /// Inserts one CDR row as given (imports, tests) and returns it as stored: with its id, times rounded to the
    /// millisecond.
    @discardableResult
    public func insert(_ record: CallDetailRecord) async throws -> CallDetailRecord {
        var record = record
        record.setupTime = StoreTime.normalized(record.setupTime)
        record.answerTime = record.answerTime.map(StoreTime.normalized)
        record.endTime = StoreTime.normalized(record.endTime)
        return try await write { [record] db, _ in
            var record = record
            try db.insert(&record)
            return record
        }
    }

    /// CDRs newest first (by setup time), at most `limit` of them.
    ///
    /// - Parameters:
    ///   - number: only calls where this number is the calling or the called number.
    ///   - from: only calls set up at or after this time.
    ///   - to: only calls set up before this time.
    ///   - limit: at most this many rows (1–10,000).
    ///   - callID: only the records of this call (``CallDetailRecord/callID``): a transfer, pickup or park leaves
    ///     several, which read together tell what happened to the call.
    ///
    /// Each filter is an index range scan: by number, the (number, setup time) indexes on both sides of the call are
    /// read newest first, each up to `limit`, and merged; so a query costs O(limit · log n), however many calls the
    /// number has.
    public func callDetailRecords(
        number: String? = nil,
        from: Date? = nil,
        to: Date? = nil,
        limit: Int = 100,
        callID: Int64? = nil
    ) async throws -> [CallDetailRecord] {
        try Validation.range(limit, 1...10_000, field: "callDetailRecord.limit")
        let lower = from.map(StoreTime.milliseconds(since1970:)) ?? Int64.min
        let upper = to.map(StoreTime.milliseconds(since1970:)) ?? Int64.max
        return try await read { db in
            if let callID {
                // The callId index; a call has a handful of records.
                return try db.fetchAll(
                    CallDetailRecord.self,
                    """
                    SELECT * FROM callDetailRecord
                    WHERE callId = ? AND setupTime >= ? AND setupTime < ?
                        AND (CAST(? AS TEXT) IS NULL OR callingNumber = ? OR calledNumber = ?)
                    ORDER BY setupTime DESC, id DESC
                    LIMIT ?
                    """,
                    callID,
                    lower,
                    upper,
                    number,
                    number,
                    number,
                    limit
                )
            }
            guard let number else {
                return try db.fetchAll(
                    CallDetailRecord.self,
                    """
                    SELECT * FROM callDetailRecord
                    WHERE setupTime >= ? AND setupTime < ?
                    ORDER BY setupTime DESC, id DESC
                    LIMIT ?
                    """,
                    lower,
                    upper,
                    limit
                )
            }
            // PostgreSQL wants a name for each subquery in FROM.
            return try db.fetchAll(
                CallDetailRecord.self,
                """
                SELECT * FROM (
                    SELECT * FROM callDetailRecord
                    WHERE callingNumber = ? AND setupTime >= ? AND setupTime < ?
                    ORDER BY setupTime DESC, id DESC LIMIT ?) AS calling
                UNION
                SELECT * FROM (
                    SELECT * FROM callDetailRecord
                    WHERE calledNumber = ? AND setupTime >= ? AND setupTime < ?
                    ORDER BY setupTime DESC, id DESC LIMIT ?) AS called
                ORDER BY setupTime DESC, id DESC
                LIMIT ?
                """,
                number,
                lower,
                upper,
                limit,
                number,
                lower,
                upper,
                limit,
                limit
            )
        }
    }

    /// How many CDRs are stored.
    public func callDetailRecordCount() async throws -> Int {
        try await read { db in try db.fetchCount("SELECT COUNT(*) FROM callDetailRecord") }
    }

    /// Deletes CDRs of calls set up before `date` (retention); returns how many.
    @discardableResult
    public func deleteCallDetailRecords(before date: Date) async throws -> Int {
        let bound = StoreTime.milliseconds(since1970: date)
        return try await write { db, _ in
            try db.fetchAll("DELETE FROM callDetailRecord WHERE setupTime < ? RETURNING id", bound).count
        }
    }
}
