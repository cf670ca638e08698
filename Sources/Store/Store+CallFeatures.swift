public import CallControl

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
        _ db: any SQLConnection
    ) throws {
        let what = Validation.label(field)
        // One statement for the three tables (auto-registration asks this for every new line); the caller's own
        // kind is asked too and ignored, so that the statement is the same every time.
        let row = try db.fetchOne(
            """
            SELECT (SELECT COUNT(*) FROM line WHERE number = ?),
                (SELECT COUNT(*) FROM huntGroup WHERE pilot = ?),
                (SELECT COUNT(*) FROM pickupGroup WHERE number = ?)
            """,
            number,
            number,
            number
        )
        let isLine = try row.map { try $0.get(0, as: Int.self) > 0 } ?? false
        let isPilot = try row.map { try $0.get(1, as: Int.self) > 0 } ?? false
        let isPickupGroup = try row.map { try $0.get(2, as: Int.self) > 0 } ?? false
        if owner != .line, isLine {
            throw StoreError.conflict(field, "\(what) \(number) is already a line")
        }
        if owner != .huntGroup, isPilot {
            throw StoreError.conflict(field, "\(what) \(number) is already the pilot of a hunt group")
        }
        if owner != .pickupGroup, isPickupGroup {
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
    /// number is in the range exactly when it is all digits, that long, and between them as text. The database
    /// finds the numbers of that length between the bounds; the digits-only test is made here, as SQLite and
    /// PostgreSQL share no pattern syntax for it (a number with other characters in that span is rare).
    static func ensureParkSlotsAreFree(_ slots: ClosedRange<Int>, _ db: any SQLConnection) throws {
        let low = String(slots.lowerBound)
        let high = String(slots.upperBound)
        let queries = [
            ("line", "number", "a line"),
            ("huntGroup", "pilot", "a hunt pilot"),
            ("pickupGroup", "number", "a pickup group number"),
        ]
        for (table, column, what) in queries {
            let candidates = try db.fetchColumn(
                String.self,
                """
                SELECT \(column) FROM \(table)
                WHERE length(\(column)) = ? AND \(column) BETWEEN ? AND ?
                ORDER BY \(column)
                """,
                low.count,
                low,
                high
            )
            let isDigits = { (number: String) in
                number.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            }
            if let taken = candidates.first(where: isDigits) {
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
            guard var device = try db.fetchOne(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", name.rawValue)
            else {
                throw StoreError.notFound("device.name", "no device named \(Validation.quoted(name.rawValue))")
            }
            if device.doNotDisturb != isOn {
                device.doNotDisturb = isOn
                try db.update(device)
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
            guard let line = try db.fetchOne(LineRecord.self, "SELECT * FROM line WHERE number = ?", number),
                let lineID = line.id
            else {
                throw StoreError.notFound("line.number", "no line with number \(Validation.quoted(number))")
            }
            let devices = try db.fetchAll(
                DeviceRecord.self,
                """
                SELECT device.* FROM device JOIN lineAppearance ON lineAppearance.deviceId = device.id
                WHERE lineAppearance.lineId = ? ORDER BY device.name
                """,
                lineID
            )
            guard !devices.isEmpty else {
                throw StoreError.conflict(
                    "line.number",
                    "line \(number) is on no device; do not disturb is set on the devices that show a line"
                )
            }
            for var device in devices where device.doNotDisturb != isOn {
                device.doNotDisturb = isOn
                try db.update(device)
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
            guard var line = try db.fetchOne(LineRecord.self, "SELECT * FROM line WHERE number = ?", number) else {
                throw StoreError.notFound("line.number", "no line with number \(Validation.quoted(number))")
            }
            if line.messageWaiting != isOn {
                line.messageWaiting = isOn
                try db.update(line)
                changes.append(.upsertLine(line.lineConfiguration))
            }
            return line
        }
    }

    // MARK: - Lines in groups

    /// Throws ``StoreError/Code/conflict`` (`line.number`) if the line is a member of a hunt or pickup group: as in
    /// CUCM, it is taken out of its groups before it is deleted.
    static func ensureLineIsInNoGroup(_ line: LineRecord, _ db: any SQLConnection) throws {
        guard let id = line.id else { return }
        let pilots = try db.fetchColumn(
            String.self,
            """
            SELECT huntGroup.pilot FROM huntGroup JOIN huntGroupMember ON huntGroupMember.huntGroupId = huntGroup.id
            WHERE huntGroupMember.lineId = ? ORDER BY huntGroup.pilot
            """,
            id
        )
        let pickup = try db.fetchValue(
            String.self,
            """
            SELECT pickupGroup.number FROM pickupGroup
            JOIN pickupGroupMember ON pickupGroupMember.pickupGroupId = pickupGroup.id
            WHERE pickupGroupMember.lineId = ?
            """,
            id
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
    static func appendGroupUpserts(
        ofLine lineID: Int64,
        _ db: any SQLConnection,
        to changes: inout [DirectoryChange]
    ) throws {
        let huntGroupIDs = try db.fetchColumn(
            Int64.self,
            "SELECT DISTINCT huntGroupId FROM huntGroupMember WHERE lineId = ? ORDER BY huntGroupId",
            lineID
        )
        for id in huntGroupIDs {
            if let group = try fetchHuntGroups(db, id: id).first {
                changes.append(.upsertHuntGroup(group.huntGroup))
            }
        }
        let pickupGroupIDs = try db.fetchColumn(
            Int64.self,
            "SELECT pickupGroupId FROM pickupGroupMember WHERE lineId = ? ORDER BY pickupGroupId",
            lineID
        )
        for id in pickupGroupIDs {
            if let group = try fetchPickupGroups(db, id: id).first {
                changes.append(.upsertPickupGroup(group.pickupGroup))
            }
        }
    }

    /// The line ids of `numbers`, in order; ``StoreError/Code/notFound`` naming `field[index]` for a number that is
    /// not a line.
    static func lineIDs(ofMembers numbers: [String], field: String, _ db: any SQLConnection) throws -> [Int64] {
        try numbers.enumerated().map { index, number in
            guard
                let id = try db.fetchValue(Int64.self, "SELECT id FROM line WHERE number = ?", number)
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
