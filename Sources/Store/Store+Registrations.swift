public import CallControl
public import Foundation
import GRDB

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
                    sql: "UPDATE device SET lastRegisteredAt = ? WHERE name IN (\(placeholders))",
                    arguments: StatementArguments([time] + batch.map { $0 as any DatabaseValueConvertible })
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
            let used = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM line
                    WHERE number NOT GLOB '*[^0-9]*' AND number <> ''
                    AND CAST(number AS INTEGER) BETWEEN ? AND ?
                    AND CAST(CAST(number AS INTEGER) AS TEXT) = number
                    """,
                arguments: [range.lowerBound, range.upperBound]
            )
            return AutoRegistrationUsage(range: range, used: used ?? 0)
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
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name FROM device
                    WHERE (lastRegisteredAt IS NULL OR lastRegisteredAt < ?)
                    \(autoRegisteredOnly ? "AND isAutoRegistered = 1" : "")
                    ORDER BY name
                    """,
                arguments: [cutoffTime]
            )
            let devices = rows.compactMap { row -> (id: Int64, name: String)? in
                let name: String = row[1]
                return keeping.contains(DeviceName.canonicalSpelling(of: name)) ? nil : (row[0], name)
            }
            guard !devices.isEmpty else { return PruneSummary() }
            let ids = devices.map(\.id)
            // Lines on these devices and on no device outside them.
            var lines: [(id: Int64, number: String)] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                let batch = Array(ids[start..<min(start + 500, ids.count)])
                let placeholders = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let found = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT line.id, line.number FROM line
                        JOIN lineAppearance ON lineAppearance.lineId = line.id
                        WHERE lineAppearance.deviceId IN (\(placeholders))
                        """,
                    arguments: StatementArguments(batch)
                )
                lines += found.map { ($0[0], $0[1]) }
            }
            let pruned = Set(ids)
            var orphans: [(id: Int64, number: String)] = []
            var seen = Set<Int64>()
            for line in lines where seen.insert(line.id).inserted {
                let carriers = try Int64.fetchAll(
                    db,
                    sql: "SELECT deviceId FROM lineAppearance WHERE lineId = ?",
                    arguments: [line.id]
                )
                if carriers.allSatisfy(pruned.contains) { orphans.append(line) }
            }
            let summary = PruneSummary(
                devices: devices.map(\.name),
                lines: orphans.map(\.number).sorted()
            )
            guard !dryRun else { return summary }
            for device in devices {
                try db.execute(sql: "DELETE FROM device WHERE id = ?", arguments: [device.id])
                changes.append(.removeDevice(DeviceName(device.name)))
            }
            for line in orphans {
                try db.execute(sql: "DELETE FROM line WHERE id = ?", arguments: [line.id])
                changes.append(.removeLine(DirectoryNumber(line.number)))
            }
            return summary
        }
    }
}
