/// A CallManager group with the devices that name it, read in one transaction.
public struct CallManagerGroupDetails: Sendable, Hashable {
    public var group: CallManagerGroupRecord
    /// The names of the devices whose `callManagerGroup` is this group, sorted.
    public var devices: [String]

    public init(group: CallManagerGroupRecord, devices: [String]) {
        self.group = group
        self.devices = devices
    }
}

extension Store {
    /// All CallManager groups, by name.
    public func callManagerGroups() async throws -> [CallManagerGroupRecord] {
        try await read { db in
            try db.fetchAll(CallManagerGroupRecord.self, orderBy: "name")
        }
    }

    /// The group with this name, compared without regard to case; nil if there is none.
    public func callManagerGroup(named name: String) async throws -> CallManagerGroupRecord? {
        try await read { db in try db.find(CallManagerGroupRecord.self, key: name) }
    }

    /// Groups by name with the devices that name them (all groups, or the one named `name`).
    public func callManagerGroupDetails(named name: String? = nil) async throws -> [CallManagerGroupDetails] {
        try await read { db in
            let groups =
                if let name {
                    try db.find(CallManagerGroupRecord.self, key: name).map { [$0] } ?? []
                } else {
                    try db.fetchAll(CallManagerGroupRecord.self, orderBy: "name")
                }
            guard !groups.isEmpty else { return [] }
            var devices: [String: [String]] = [:]
            // A device names its group in any case (device.callManagerGroup is plain text on both backends).
            let rows = try db.fetchAll(
                """
                SELECT callManagerGroup.name, device.name
                FROM device JOIN callManagerGroup ON lower(callManagerGroup.name) = lower(device.callManagerGroup)
                ORDER BY device.name
                """
            )
            for row in rows {
                devices[try row.get(0, as: String.self), default: []].append(try row.get(1, as: String.self))
            }
            return groups.map { CallManagerGroupDetails(group: $0, devices: devices[$0.name] ?? []) }
        }
    }

    /// Inserts a group. Throws ``StoreError/Code/conflict`` (`callManagerGroup.name`) if one with the same name, in
    /// any case, exists.
    ///
    /// Groups publish no directory change: CallControl does not use them, and the provisioning files read them from
    /// the Store on every request.
    @discardableResult
    public func insert(_ group: CallManagerGroupRecord) async throws -> CallManagerGroupRecord {
        try group.validate()
        return try await write { db, _ in
            if try db.exists(CallManagerGroupRecord.self, where: "name = ?", group.name) {
                throw Self.groupExists(group.name)
            }
            try db.insert(group)
            return group
        }
    }

    /// Replaces the group named `name` (by default `group.name`) with `group`. When the name changes (a rename, or
    /// a change of case), the devices that named the old group name the new one, in the same transaction.
    ///
    /// Throws ``StoreError/Code/notFound`` (`callManagerGroup.name`) if there is no group named `name`, and
    /// ``StoreError/Code/conflict`` if the new name belongs to another group.
    @discardableResult
    public func update(
        _ group: CallManagerGroupRecord,
        named name: String? = nil
    ) async throws -> CallManagerGroupRecord {
        try group.validate()
        let oldName = name ?? group.name
        return try await write { db, _ in
            guard let old = try db.find(CallManagerGroupRecord.self, key: oldName) else {
                throw StoreError.notFound(
                    "callManagerGroup.name",
                    "no CallManager group named \(Validation.quoted(oldName))"
                )
            }
            if old.name != group.name {
                if old.name.lowercased() != group.name.lowercased(),
                    try db.exists(CallManagerGroupRecord.self, where: "name = ?", group.name)
                {
                    throw Self.groupExists(group.name)
                }
                try db.delete(CallManagerGroupRecord.self, key: old.name)
                try db.insert(group)
                try db.execute(
                    "UPDATE device SET callManagerGroup = ? WHERE lower(callManagerGroup) = lower(?)",
                    group.name,
                    old.name
                )
            } else {
                try db.update(group)
            }
            return group
        }
    }

    /// Inserts `group`, or replaces the members of the group with its name (an HTTP PUT). Returns the group as
    /// stored and whether it was created.
    public func upsert(_ group: CallManagerGroupRecord) async throws -> (group: CallManagerGroupRecord, created: Bool) {
        try group.validate()
        return try await write { db, _ in
            guard let old = try db.find(CallManagerGroupRecord.self, key: group.name) else {
                try db.insert(group)
                return (group, true)
            }
            // The stored spelling of the name stays: devices name the group by it.
            let stored = CallManagerGroupRecord(name: old.name, members: group.members)
            try db.update(stored)
            return (stored, false)
        }
    }

    /// Deletes the group named `name`. As CUCM does, a group that devices still name is not deleted: the error
    /// (``StoreError/Code/conflict``, `callManagerGroup.name`) says how many and which.
    public func deleteCallManagerGroup(named name: String) async throws {
        try await write { db, _ in
            guard let group = try db.find(CallManagerGroupRecord.self, key: name) else {
                throw StoreError.notFound(
                    "callManagerGroup.name",
                    "no CallManager group named \(Validation.quoted(name))"
                )
            }
            let devices = try db.fetchColumn(
                String.self,
                "SELECT name FROM device WHERE lower(callManagerGroup) = lower(?) ORDER BY name",
                group.name
            )
            if !devices.isEmpty {
                let shown = devices.prefix(5).joined(separator: ", ") + (devices.count > 5 ? ", …" : "")
                throw StoreError.conflict(
                    "callManagerGroup.name",
                    "CallManager group \(Validation.quoted(group.name)) is used by \(devices.count) "
                        + (devices.count == 1 ? "device" : "devices")
                        + " (\(shown)); move them to another group first"
                )
            }
            try db.delete(CallManagerGroupRecord.self, key: group.name)
        }
    }

    // MARK: - Checks shared with the device writes

    /// The group a device may name, spelled as stored: nil stays nil; the group named
    /// ``CallManagerGroupRecord/defaultName`` may be named even when it is not stored (the server's own nodes stand
    /// in for it); `previous` (the device's group before this write) stays allowed, so a name stored before groups
    /// existed does not block other changes to the device. Any other name must be a stored group.
    static func checkCallManagerGroup(_ name: String?, previous: String?, _ db: any SQLConnection) throws -> String? {
        guard let name else { return nil }
        if let group = try db.find(CallManagerGroupRecord.self, key: name) { return group.name }
        if name.lowercased() == CallManagerGroupRecord.defaultName.lowercased() || name == previous { return name }
        throw StoreError.notFound(
            "device.callManagerGroup",
            "device callManagerGroup: no CallManager group named \(Validation.quoted(name)); create it first"
        )
    }

    private static func groupExists(_ name: String) -> StoreError {
        .conflict("callManagerGroup.name", "a CallManager group named \(Validation.quoted(name)) already exists")
    }
}
