import CallControl

/// Lines and devices to write in one transaction: a bulk import (CUCM's Bulk Administration Tool). Either every
/// entry is written or, when one fails, nothing is.
///
/// Entries are upserts. A line is found by its number: an existing line keeps every field the entry leaves nil, a new
/// one takes ``LineRecord``'s defaults for them. A device is found by its name: an existing device keeps the model,
/// description, owner, lines and speed dials the entry leaves nil; a new one starts with none.
public struct DirectoryBatch: Sendable, Hashable {
    /// A line to create or change.
    public struct Line: Sendable, Hashable {
        /// Where the entry came from (a CSV line number), reported with its error.
        public var row: Int
        public var number: String
        public var displayName: String?
        public var forwardAll: String?
        public var forwardBusy: String?
        public var forwardNoAnswer: String?
        public var maxCalls: Int?
        public var busyTrigger: Int?
        public var voicemailNumber: String?

        public init(
            row: Int,
            number: String,
            displayName: String? = nil,
            forwardAll: String? = nil,
            forwardBusy: String? = nil,
            forwardNoAnswer: String? = nil,
            maxCalls: Int? = nil,
            busyTrigger: Int? = nil,
            voicemailNumber: String? = nil
        ) {
            self.row = row
            self.number = number
            self.displayName = displayName
            self.forwardAll = forwardAll
            self.forwardBusy = forwardBusy
            self.forwardNoAnswer = forwardNoAnswer
            self.maxCalls = maxCalls
            self.busyTrigger = busyTrigger
            self.voicemailNumber = voicemailNumber
        }
    }

    /// A device to create or change.
    public struct Device: Sendable, Hashable {
        /// Where the entry came from (a CSV line number), reported with its error.
        public var row: Int
        public var name: String
        public var model: String?
        public var description: String?
        /// The owner's user name (must exist).
        public var owner: String?
        /// The device's lines in button order; every number must be a line that exists or is created by this batch.
        public var lines: [String]?
        /// The device's speed dials; `deviceID` is ignored.
        public var speedDials: [SpeedDialRecord]?

        public init(
            row: Int,
            name: String,
            model: String? = nil,
            description: String? = nil,
            owner: String? = nil,
            lines: [String]? = nil,
            speedDials: [SpeedDialRecord]? = nil
        ) {
            self.row = row
            self.name = name
            self.model = model
            self.description = description
            self.owner = owner
            self.lines = lines
            self.speedDials = speedDials
        }
    }

    public var lines: [Line]
    public var devices: [Device]

    public init(lines: [Line] = [], devices: [Device] = []) {
        self.lines = lines
        self.devices = devices
    }
}

/// A ``DirectoryBatch`` entry that failed: its row and the Store's reason. Nothing of the batch was written.
public struct DirectoryBatchError: Error, Hashable, Sendable, CustomStringConvertible {
    public let row: Int
    public let error: StoreError

    public init(row: Int, error: StoreError) {
        self.row = row
        self.error = error
    }

    public var description: String { "row \(row): \(error.message)" }
}

/// What a ``DirectoryBatch`` wrote.
public struct DirectoryBatchSummary: Sendable, Hashable, Codable {
    public var linesCreated = 0
    public var linesUpdated = 0
    public var devicesCreated = 0
    public var devicesUpdated = 0
    public var speedDials = 0

    public init() {}
}

extension Store {
    /// Writes every entry of `batch` in one transaction, lines first, or nothing if one fails: the error is a
    /// ``DirectoryBatchError`` naming the entry's row. Publishes `upsertLine` for each line written and one
    /// `upsertDevice` per device written, after the commit.
    @discardableResult
    public func apply(_ batch: DirectoryBatch) async throws -> DirectoryBatchSummary {
        try await apply(batch, dryRun: false)
    }

    /// Does everything ``apply(_:)`` does, checks included, in a transaction that is then rolled back: what the
    /// batch would write, or the ``DirectoryBatchError`` it would fail with. Nothing is written or published. Holds
    /// the database's writer as long as the import would.
    public func check(_ batch: DirectoryBatch) async throws -> DirectoryBatchSummary {
        do {
            _ = try await apply(batch, dryRun: true)
            throw StoreError.database("a dry run committed")
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }

    /// Thrown at the end of a dry run, so that the transaction rolls back.
    private struct DryRunRollback: Error {
        let summary: DirectoryBatchSummary
    }

    private func apply(_ batch: DirectoryBatch, dryRun: Bool) async throws -> DirectoryBatchSummary {
        // Shape checks first, outside the transaction.
        var lineRows: [String: Int] = [:]
        for line in batch.lines {
            try Self.rowed(line.row) {
                try Validation.directoryNumber(line.number, field: "line.number")
                if let first = lineRows[line.number] {
                    throw StoreError.invalidValue(
                        "line.number",
                        "line \(line.number) is already listed in row \(first)"
                    )
                }
                lineRows[line.number] = line.row
            }
        }
        var deviceRows: [String: Int] = [:]
        for device in batch.devices {
            try Self.rowed(device.row) {
                try Validation.deviceName(DeviceName.canonicalSpelling(of: device.name), field: "device.name")
                let key = DeviceName.canonicalSpelling(of: device.name)
                if let first = deviceRows[key] {
                    throw StoreError.invalidValue(
                        "device.name",
                        "device \(device.name) is already listed in row \(first)"
                    )
                }
                deviceRows[key] = device.row
                try Self.checkShape(lines: device.lines, speedDials: device.speedDials)
            }
        }

        return try await write { db, changes in
            var summary = DirectoryBatchSummary()
            for entry in batch.lines {
                try Self.rowed(entry.row) {
                    var line =
                        try db.fetchOne(LineRecord.self, "SELECT * FROM line WHERE number = ?", entry.number)
                        ?? LineRecord(number: entry.number)
                    let isNew = line.id == nil
                    if isNew { try Self.ensureNumberIsFree(entry.number, field: "line.number", owner: .line, db) }
                    if let value = entry.displayName { line.displayName = value }
                    if let value = entry.forwardAll { line.forwardAll = value.isEmpty ? nil : value }
                    if let value = entry.forwardBusy { line.forwardBusy = value.isEmpty ? nil : value }
                    if let value = entry.forwardNoAnswer { line.forwardNoAnswer = value.isEmpty ? nil : value }
                    if let value = entry.maxCalls { line.maxCalls = value }
                    if let value = entry.busyTrigger {
                        line.busyTrigger = value
                    } else if entry.maxCalls != nil {
                        // Fewer calls than the busy trigger: the line is busy when it is full.
                        line.busyTrigger = min(line.busyTrigger, line.maxCalls)
                    }
                    if let value = entry.voicemailNumber { line.voicemailNumber = value.isEmpty ? nil : value }
                    try line.validate()
                    if isNew { try db.insert(&line) } else { try db.update(line) }
                    changes.append(.upsertLine(line.lineConfiguration))
                    if isNew { summary.linesCreated += 1 } else { summary.linesUpdated += 1 }
                }
            }
            for entry in batch.devices {
                try Self.rowed(entry.row) {
                    let name = DeviceName.canonicalSpelling(of: entry.name)
                    var device =
                        try db.fetchOne(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", name)
                        ?? DeviceRecord(name: name)
                    let isNew = device.id == nil
                    if let value = entry.model { device.model = value }
                    if let value = entry.description { device.description = value }
                    if let owner = entry.owner {
                        device.ownerID = owner.isEmpty ? nil : try Self.userID(named: owner, db, field: "device.owner")
                    }
                    try device.validate()
                    if isNew { device.isAutoRegistered = false }
                    if isNew { try db.insert(&device) } else { try db.update(device) }
                    let id = try Self.requireID(device.id, "device")
                    if let lines = entry.lines { try Self.setLines(lines, onDevice: id, db) }
                    if let speedDials = entry.speedDials {
                        try Self.replaceSpeedDials(speedDials, onDevice: id, db)
                        summary.speedDials += speedDials.count
                    }
                    try Self.appendUpsert(ofDevice: id, db, to: &changes)
                    if isNew { summary.devicesCreated += 1 } else { summary.devicesUpdated += 1 }
                }
            }
            if dryRun { throw DryRunRollback(summary: summary) }
            return summary
        }
    }

    /// Inserts (`device.id` nil) or updates a device together with its lines (in button order) and speed dials, in
    /// one transaction; nil leaves the lines or speed dials as they are. Publishes `removeDevice` of the old name if
    /// the device was renamed, then one `upsertDevice`.
    @discardableResult
    public func save(
        _ device: DeviceRecord,
        lines: [String]?,
        speedDials: [SpeedDialRecord]?
    ) async throws -> DeviceRecord {
        let device = device.canonicalized
        try device.validate()
        try Self.checkShape(lines: lines, speedDials: speedDials)
        return try await write { db, changes in
            try Self.ensureUnique(
                db,
                table: DeviceRecord.tableName,
                column: "name",
                device.name,
                excluding: device.id,
                field: "device.name",
                "a device named \(Validation.quoted(device.name)) already exists"
            )
            if let ownerID = device.ownerID, try !db.exists(UserRecord.self, where: "id = ?", ownerID) {
                throw StoreError.notFound("device.ownerId", "device owner: no user with id \(ownerID)")
            }
            var device = device
            device.softkeyTemplate = try Self.checkSoftkeyTemplate(device.softkeyTemplate, db)
            if let id = device.id {
                let old = try Self.requireDevice(db, id: id)
                device.callManagerGroup = try Self.checkCallManagerGroup(
                    device.callManagerGroup,
                    previous: old.callManagerGroup,
                    db
                )
                try db.update(device)
                if old.name != device.name { changes.append(.removeDevice(DeviceName(old.name))) }
            } else {
                device.callManagerGroup = try Self.checkCallManagerGroup(device.callManagerGroup, previous: nil, db)
                try db.insert(&device)
            }
            let id = try Self.requireID(device.id, "device")
            if let lines { try Self.setLines(lines, onDevice: id, db) }
            if let speedDials { try Self.replaceSpeedDials(speedDials, onDevice: id, db) }
            try Self.appendUpsert(ofDevice: id, db, to: &changes)
            return device
        }
    }

    // MARK: - Helpers

    /// Runs `body`, turning a ``StoreError`` into a ``DirectoryBatchError`` for `row`.
    private static func rowed<T>(_ row: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw DirectoryBatchError(row: row, error: error)
        } catch let error as SQLError where error.kind == .constraint {
            throw DirectoryBatchError(
                row: row,
                error: .conflict(nil, "the change breaks a database rule: \(error.message)")
            )
        }
    }

    /// Numbers well formed and listed once; speed dials valid with distinct button indexes.
    private static func checkShape(lines: [String]?, speedDials: [SpeedDialRecord]?) throws {
        var seen = Set<String>()
        for number in lines ?? [] {
            try Validation.directoryNumber(number, field: "device.lines")
            guard seen.insert(number).inserted else {
                throw StoreError.invalidValue("device.lines", "line \(number) is listed twice")
            }
        }
        var indexes = Set<Int>()
        for dial in speedDials ?? [] {
            try dial.validate()
            guard indexes.insert(dial.buttonIndex).inserted else {
                throw StoreError.invalidValue(
                    "speedDial.buttonIndex",
                    "speed dial button index \(dial.buttonIndex) is listed twice"
                )
            }
        }
    }

    private static func userID(named name: String, _ db: any SQLConnection, field: String) throws -> Int64 {
        guard let id = try db.fetchValue(Int64.self, "SELECT id FROM \"user\" WHERE name = ?", name) else {
            throw StoreError.notFound(field, "no user named \(Validation.quoted(name))")
        }
        return id
    }

    /// Replaces the device's appearances with `numbers` at positions 1…n.
    private static func setLines(_ numbers: [String], onDevice deviceID: Int64, _ db: any SQLConnection) throws {
        var lineIDs: [Int64] = []
        for number in numbers {
            guard
                let lineID = try db.fetchValue(Int64.self, "SELECT id FROM line WHERE number = ?", number)
            else {
                throw StoreError.notFound("device.lines", "no line with number \(number)")
            }
            lineIDs.append(lineID)
        }
        try db.execute("DELETE FROM lineAppearance WHERE deviceId = ?", deviceID)
        for (offset, lineID) in lineIDs.enumerated() {
            var appearance = LineAppearanceRecord(deviceID: deviceID, lineID: lineID, position: offset + 1)
            try db.insert(&appearance)
        }
    }

    private static func replaceSpeedDials(
        _ speedDials: [SpeedDialRecord],
        onDevice deviceID: Int64,
        _ db: any SQLConnection
    ) throws {
        try db.execute("DELETE FROM speedDial WHERE deviceId = ?", deviceID)
        for dial in speedDials {
            var dial = dial
            dial.id = nil
            dial.deviceID = deviceID
            try db.insert(&dial)
        }
    }
}
