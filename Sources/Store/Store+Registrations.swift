public import CallControl
public import Foundation

/// How much of the auto-registration number range is taken.
public struct AutoRegistrationUsage: Sendable, Hashable {
    /// The range (settings `autoRegistrationFirstNumber`…`LastNumber`).
    public var range: ClosedRange<Int>
    /// Lines whose number lies in the range (however they were created): numbers auto-registration cannot hand out.
    public var used: Int

    public init(range: ClosedRange<Int>, used: Int) {
        self.range = range
        self.used = used
    }

    /// Numbers in the range.
    public var size: Int { range.count }

    /// `used` as a fraction of `size`, 0...1.
    public var fraction: Double { size == 0 ? 1 : Double(used) / Double(size) }
}

/// What ``Store/pruneDevices(unusedSince:autoRegisteredOnly:keeping:dryRun:)`` removed (or would remove).
public struct PruneSummary: Sendable, Hashable, Codable {
    /// The devices, by name.
    public var devices: [String]
    /// The lines that were on those devices and on no other device, by number.
    public var lines: [String]

    public init(devices: [String] = [], lines: [String] = []) {
        self.devices = devices
        self.lines = lines
    }
}

extension Store {
    /// Records that these devices registered (or were seen registered) at `date`: their `lastRegisteredAt`. Names
    /// the Store does not have are skipped. Publishes nothing (routing does not depend on it).
    public func recordRegistrations(of names: [DeviceName], at date: Date) async throws {
        guard !names.isEmpty else { return }
        let time = StoreTime.milliseconds(since1970: date)
        let canonical = Array(Set(names.map { DeviceName.canonicalSpelling(of: $0.rawValue) }))
        try await write { db, _ in
            // SQLite's default limit on host parameters is 32,766; batches stay well under it.
            for start in stride(from: 0, to: canonical.count, by: 500) {
                let batch = canonical[start..<min(start + 500, canonical.count)]
                let placeholders = Array(repeating: "?", count: batch.count).joined(separator: ",")
                try db.execute(
                    "UPDATE device SET lastRegisteredAt = ? WHERE name IN (\(placeholders))",
                    [.integer(time)] + batch.map(\.sqlValue)
                )
            }
        }
    }

    /// How many numbers of the auto-registration range are taken by lines.
    public func autoRegistrationUsage() async throws -> AutoRegistrationUsage {
        try await read { db in
            let settings = try SettingsRecord.find(db)
            let range = settings.autoRegistrationFirstNumber...settings.autoRegistrationLastNumber
            // A line takes a number of the range when its number is that integer written plainly (auto-registration
            // writes `String(n)`; "01001" is another number).
            // Digits only (what `ltrim` of every digit leaves empty), no leading zero; the range ends at UInt32.max, so
            // a number of more than 18 digits is out of it and is never cast (the CASE keeps PostgreSQL from
            // casting it and overflowing BIGINT).
            let used = try db.fetchCount(
                """
                SELECT COUNT(*) FROM line
                WHERE CASE
                    WHEN number <> '' AND ltrim(number, '0123456789') = '' AND LENGTH(number) <= 18
                    THEN CAST(number AS BIGINT)
                END BETWEEN ? AND ?
                AND (number = '0' OR substr(number, 1, 1) <> '0')
                """,
                range.lowerBound,
                range.upperBound
            )
            return AutoRegistrationUsage(range: range, used: used)
        }
    }

    /// Deletes the devices that have not registered since `cutoff` (auto-registered ones only, when
    /// `autoRegisteredOnly`), except those named in `keeping` (the ones registered right now), together with their
    /// appearances and speed dials, and the lines that were on them and are left on no device, which gives their
    /// numbers back to auto-registration. With `dryRun`, nothing is deleted: the summary says what would be.
    /// Publishes `removeDevice` and `removeLine` for what it deleted.
    public func pruneDevices(
        unusedSince cutoff: Date,
        autoRegisteredOnly: Bool,
        keeping: Set<String> = [],
        dryRun: Bool = false
    ) async throws -> PruneSummary {
        let cutoffTime = StoreTime.milliseconds(since1970: cutoff)
        let keeping = Set(keeping.map { DeviceName.canonicalSpelling(of: $0) })
        return try await write { db, changes in
            let rows = try db.fetchAll(
                """
                SELECT id, name FROM device
                WHERE (lastRegisteredAt IS NULL OR lastRegisteredAt < ?)
                \(autoRegisteredOnly ? "AND isAutoRegistered = 1" : "")
                ORDER BY name
                """,
                cutoffTime
            )
            let devices = try rows.compactMap { row -> (id: Int64, name: String)? in
                let name = try row.get(1, as: String.self)
                return keeping.contains(DeviceName.canonicalSpelling(of: name))
                    ? nil : (try row.get(0, as: Int64.self), name)
            }
            guard !devices.isEmpty else { return PruneSummary() }
            let ids = devices.map(\.id)
            // Lines on these devices and on no device outside them.
            var lines: [(id: Int64, number: String)] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                let batch = Array(ids[start..<min(start + 500, ids.count)])
                let placeholders = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let found = try db.fetchAll(
                    """
                    SELECT DISTINCT line.id, line.number FROM line
                    JOIN lineAppearance ON lineAppearance.lineId = line.id
                    WHERE lineAppearance.deviceId IN (\(placeholders))
                    """,
                    batch.map(\.sqlValue)
                )
                lines += try found.map { (try $0.get(0, as: Int64.self), try $0.get(1, as: String.self)) }
            }
            let pruned = Set(ids)
            var orphans: [(id: Int64, number: String)] = []
            var seen = Set<Int64>()
            for line in lines where seen.insert(line.id).inserted {
                let carriers = try db.fetchColumn(
                    Int64.self,
                    "SELECT deviceId FROM lineAppearance WHERE lineId = ?",
                    line.id
                )
                if carriers.allSatisfy(pruned.contains) { orphans.append(line) }
            }
            let summary = PruneSummary(
                devices: devices.map(\.name),
                lines: orphans.map(\.number).sorted()
            )
            guard !dryRun else { return summary }
            for device in devices {
                try db.execute("DELETE FROM device WHERE id = ?", device.id)
                changes.append(.removeDevice(DeviceName(device.name)))
            }
            for line in orphans {
                try db.execute("DELETE FROM line WHERE id = ?", line.id)
                changes.append(.removeLine(DirectoryNumber(line.number)))
            }
            return summary
        }
    }
}
