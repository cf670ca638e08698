public import CallControl
import GRDB

/// What a number in the shared number space is being written as. Lines, hunt pilots, pickup group numbers and park
/// slots are one space (CUCM's: a DN, a hunt pilot and a call park number cannot share digits), the same space that
/// CallControl's `Directory.isNumberInUse` checks before auto-registration hands a number out.
enum NumberSpaceOwner {
    /// A line; its uniqueness among lines is checked by the line writes.
    case line
    /// A hunt group's pilot; its uniqueness among pilots is checked by the hunt group writes.
    case huntGroup
    /// A pickup group's number; its uniqueness among pickup groups is checked by the pickup group writes.
    case pickupGroup
}

extension Store {
    // MARK: - The shared number space

    /// Throws ``StoreError/Code/conflict`` naming `field` if `number` is already a line, a hunt pilot, a pickup group
    /// number or a park slot, other than something of `owner`'s own kind (each kind checks its own uniqueness with
    /// its own message).
    static func ensureNumberIsFree(
        _ number: String,
        field: String,
        owner: NumberSpaceOwner,
        _ db: Database
    ) throws {
        let what = Validation.label(field)
        if owner != .line, try LineRecord.filter(LineRecord.Columns.number == number).fetchCount(db) > 0 {
            throw StoreError.conflict(field, "\(what) \(number) is already a line")
        }
        if owner != .huntGroup,
            try HuntGroupRecord.filter(HuntGroupRecord.Columns.pilot == number).fetchCount(db) > 0
        {
            throw StoreError.conflict(field, "\(what) \(number) is already the pilot of a hunt group")
        }
        if owner != .pickupGroup,
            try PickupGroupRecord.filter(PickupGroupRecord.Columns.number == number).fetchCount(db) > 0
        {
            throw StoreError.conflict(field, "\(what) \(number) is already the number of a pickup group")
        }
        let settings = try SettingsRecord.find(db)
        if let slots = settings.parkSlots, let value = parkSlotValue(number), slots.contains(value) {
            throw StoreError.conflict(
                field,
                "\(what) \(number) is a park slot (\(slots.lowerBound)-\(slots.upperBound)); change the park range"
                    + " first"
            )
        }
    }

    /// A number's value as a park slot: digits only and no leading zero (unless it is `0`), as CallControl's
    /// `ParkSettings.isSlot` reads it; nil for anything else.
    static func parkSlotValue(_ number: String) -> Int? {
        guard !number.isEmpty, number.utf8.count <= 10,
            number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            number == "0" || !number.hasPrefix("0")
        else { return nil }
        return Int(number)
    }

    /// Throws ``StoreError/Code/conflict`` (`settings.parkFirstSlot`) if a line, hunt pilot or pickup group number
    /// lies in `slots`. The slots' bounds have the same number of digits (``SettingsRecord/validate()``), so a
    /// number is in the range exactly when it is all digits, that long, and between them as text.
    static func ensureParkSlotsAreFree(_ slots: ClosedRange<Int>, _ db: Database) throws {
        let low = String(slots.lowerBound)
        let high = String(slots.upperBound)
        let queries = [
            ("line", "number", "a line"),
            ("huntGroup", "pilot", "a hunt pilot"),
            ("pickupGroup", "number", "a pickup group number"),
        ]
        for (table, column, what) in queries {
            let taken = try String.fetchOne(
                db,
                sql: """
                    SELECT \(column) FROM \(table)
                    WHERE length(\(column)) = ? AND \(column) NOT GLOB '*[^0-9]*' AND \(column) BETWEEN ? AND ?
                    ORDER BY \(column) LIMIT 1
                    """,
                arguments: [low.count, low, high]
            )
            if let taken {
                throw StoreError.conflict(
                    "settings.parkFirstSlot",
                    "settings park slots \(low)-\(high) include \(taken), which is \(what)"
                )
            }
        }
    }

    // MARK: - Do not disturb and message waiting

    /// Records a device's do-not-disturb as CallControl reported it (``CallCommand/doNotDisturbChanged(_:isOn:)``:
    /// the phone's DND softkey, and the report after each registration), so that it survives a restart and the admin
    /// API shows it. Returns the device as stored.
    ///
    /// Publishes **nothing**: the core is where the change came from and already has it, and a change published after
    /// a newer one (DND pressed twice in quick succession) would undo the newer one. An administrator's DND goes
    /// through the device or line writes, which publish `upsertDevice`.
    @discardableResult
    public func recordDoNotDisturb(_ isOn: Bool, device name: DeviceName) async throws -> DeviceRecord {
        try await write { db, _ in
            guard var device = try DeviceRecord.filter(DeviceRecord.Columns.name == name.rawValue).fetchOne(db) else {
                throw StoreError.notFound("device.name", "no device named \(Validation.quoted(name.rawValue))")
            }
            if device.doNotDisturb != isOn {
                device.doNotDisturb = isOn
                try device.update(db)
            }
            return device
        }
    }

    /// Turns do-not-disturb on or off on every device that shows line `number` (DND is a device setting, as in CUCM;
    /// this is "DND for this number"). Publishes `upsertDevice` for each device that changed. Returns the names of
    /// every device showing the line, sorted.
    ///
    /// Throws ``StoreError/Code/notFound`` (`line.number`) for an unknown line, and ``StoreError/Code/conflict``
    /// (`line.number`) if no device shows it: there is nothing to set.
    @discardableResult
    public func setDoNotDisturb(_ isOn: Bool, forDevicesWithLine number: String) async throws -> [String] {
        try await write { db, changes in
            guard let line = try LineRecord.filter(LineRecord.Columns.number == number).fetchOne(db),
                let lineID = line.id
            else {
                throw StoreError.notFound("line.number", "no line with number \(Validation.quoted(number))")
            }
            let devices = try DeviceRecord.fetchAll(
                db,
                sql: """
                    SELECT device.* FROM device JOIN lineAppearance ON lineAppearance.deviceId = device.id
                    WHERE lineAppearance.lineId = ? ORDER BY device.name
                    """,
                arguments: [lineID]
            )
            guard !devices.isEmpty else {
                throw StoreError.conflict(
                    "line.number",
                    "line \(number) is on no device; do not disturb is set on the devices that show a line"
                )
            }
            for var device in devices where device.doNotDisturb != isOn {
                device.doNotDisturb = isOn
                try device.update(db)
                changes.append(.upsertDevice(try Self.deviceConfiguration(db, device)))
            }
            return devices.map(\.name)
        }
    }

    /// Lights or clears the message-waiting indication of line `number` on every phone that shows it. Publishes
    /// `upsertLine` if it changed. Throws ``StoreError/Code/notFound`` (`line.number`) for an unknown line.
    @discardableResult
    public func setMessageWaiting(_ isOn: Bool, lineNumber number: String) async throws -> LineRecord {
        try await write { db, changes in
            guard var line = try LineRecord.filter(LineRecord.Columns.number == number).fetchOne(db) else {
                throw StoreError.notFound("line.number", "no line with number \(Validation.quoted(number))")
            }
            if line.messageWaiting != isOn {
                line.messageWaiting = isOn
                try line.update(db)
                changes.append(.upsertLine(line.lineConfiguration))
            }
            return line
        }
    }

    // MARK: - Lines in groups

    /// Throws ``StoreError/Code/conflict`` (`line.number`) if the line is a member of a hunt or pickup group: as in
    /// CUCM, it is taken out of its groups before it is deleted.
    static func ensureLineIsInNoGroup(_ line: LineRecord, _ db: Database) throws {
        guard let id = line.id else { return }
        let pilots = try String.fetchAll(
            db,
            sql: """
                SELECT huntGroup.pilot FROM huntGroup JOIN huntGroupMember ON huntGroupMember.huntGroupId = huntGroup.id
                WHERE huntGroupMember.lineId = ? ORDER BY huntGroup.pilot
                """,
            arguments: [id]
        )
        let pickup = try String.fetchOne(
            db,
            sql: """
                SELECT pickupGroup.number FROM pickupGroup
                JOIN pickupGroupMember ON pickupGroupMember.pickupGroupId = pickupGroup.id
                WHERE pickupGroupMember.lineId = ?
                """,
            arguments: [id]
        )
        var groups: [String] = []
        if !pilots.isEmpty {
            groups.append((pilots.count == 1 ? "hunt group " : "hunt groups ") + pilots.joined(separator: ", "))
        }
        if let pickup { groups.append("pickup group \(pickup)") }
        guard groups.isEmpty else {
            throw StoreError.conflict(
                "line.number",
                "line \(line.number) is a member of \(groups.joined(separator: " and ")); take it out first"
            )
        }
    }

    /// `upsertHuntGroup` and `upsertPickupGroup` for every group the line is a member of (after its number changed).
    static func appendGroupUpserts(ofLine lineID: Int64, _ db: Database, to changes: inout [DirectoryChange]) throws {
        let huntGroupIDs = try Int64.fetchAll(
            db,
            sql: "SELECT DISTINCT huntGroupId FROM huntGroupMember WHERE lineId = ? ORDER BY huntGroupId",
            arguments: [lineID]
        )
        for id in huntGroupIDs {
            if let group = try fetchHuntGroups(db, id: id).first {
                changes.append(.upsertHuntGroup(group.huntGroup))
            }
        }
        let pickupGroupIDs = try Int64.fetchAll(
            db,
            sql: "SELECT pickupGroupId FROM pickupGroupMember WHERE lineId = ?",
            arguments: [lineID]
        )
        for id in pickupGroupIDs {
            if let group = try fetchPickupGroups(db, id: id).first {
                changes.append(.upsertPickupGroup(group.pickupGroup))
            }
        }
    }

    /// The line ids of `numbers`, in order; ``StoreError/Code/notFound`` naming `field[index]` for a number that is
    /// not a line.
    static func lineIDs(ofMembers numbers: [String], field: String, _ db: Database) throws -> [Int64] {
        try numbers.enumerated().map { index, number in
            guard
                let id = try Int64.fetchOne(
                    db,
                    LineRecord.select(LineRecord.Columns.id).filter(LineRecord.Columns.number == number)
                )
            else {
                throw StoreError.notFound(
                    "\(field)[\(index)]",
                    "\(Validation.label(field)): no line with number \(number); add the line first"
                )
            }
            return id
        }
    }
}
