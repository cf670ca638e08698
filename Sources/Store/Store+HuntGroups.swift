public import CallControl

/// A hunt group with its member numbers in order, read in one transaction.
public struct HuntGroupDetails: Sendable, Hashable {
    public var group: HuntGroupRecord
    /// The members' directory numbers, in list order.
    public var members: [String]

    public init(group: HuntGroupRecord, members: [String]) {
        self.group = group
        self.members = members
    }

    /// What CallControl gets.
    public var huntGroup: HuntGroup { group.huntGroup(members: members) }
}

extension Store {
    /// Hunt groups by pilot with their members (all of them, or the one with `pilot`).
    public func huntGroupDetails(pilot: String? = nil) async throws -> [HuntGroupDetails] {
        try await read { db in try Self.fetchHuntGroups(db, pilot: pilot) }
    }

    /// Inserts a hunt group with its member lines, in order. Publishes `upsertHuntGroup`.
    ///
    /// Throws ``StoreError/Code/conflict`` (`huntGroup.pilot`) if the pilot is a pilot already, a line, a pickup
    /// group number or a park slot; ``StoreError/Code/notFound`` (`huntGroup.members[i]`) for a member that is not a
    /// line; ``StoreError/Code/invalidValue`` (`huntGroup.finalDestination`) when the final destinations of groups
    /// would lead back to this one.
    @discardableResult
    public func insert(_ group: HuntGroupRecord, members: [String]) async throws -> HuntGroupDetails {
        try group.validate(members: members)
        return try await write { db, changes in
            try Self.ensureUniquePilot(db, group, excluding: nil)
            try Self.ensureNumberIsFree(group.pilot, field: "huntGroup.pilot", owner: .huntGroup, db)
            let lineIDs = try Self.lineIDs(ofMembers: members, field: "huntGroup.members", db)
            var group = group
            try db.insert(&group)
            let id = try Self.requireID(group.id, "huntGroup")
            try Self.insertHuntGroupMembers(lineIDs, groupID: id, db)
            try Self.ensureNoHuntLoop(from: group.pilot, db)
            let details = HuntGroupDetails(group: group, members: members)
            changes.append(.upsertHuntGroup(details.huntGroup))
            return details
        }
    }

    /// Replaces the hunt group with the same id; `members` nil keeps the members. Publishes `upsertHuntGroup`,
    /// preceded by `removeHuntGroup` of the old pilot if the pilot changed. Errors as for ``insert(_:members:)``,
    /// and ``StoreError/Code/notFound`` (`huntGroup.id`) if the group does not exist.
    @discardableResult
    public func update(_ group: HuntGroupRecord, members: [String]?) async throws -> HuntGroupDetails {
        let id = try Self.requireID(group.id, "huntGroup")
        return try await write { db, changes in
            guard let old = try Self.fetchHuntGroups(db, id: id).first else {
                throw StoreError.notFound("huntGroup.id", "no hunt group with id \(id)")
            }
            let members = members ?? old.members
            try group.validate(members: members)
            try Self.ensureUniquePilot(db, group, excluding: id)
            try Self.ensureNumberIsFree(group.pilot, field: "huntGroup.pilot", owner: .huntGroup, db)
            let lineIDs = try Self.lineIDs(ofMembers: members, field: "huntGroup.members", db)
            try db.update(group)
            try db.execute("DELETE FROM huntGroupMember WHERE huntGroupId = ?", id)
            try Self.insertHuntGroupMembers(lineIDs, groupID: id, db)
            try Self.ensureNoHuntLoop(from: group.pilot, db)
            if old.group.pilot != group.pilot {
                changes.append(.removeHuntGroup(DirectoryNumber(old.group.pilot)))
            }
            let details = HuntGroupDetails(group: group, members: members)
            changes.append(.upsertHuntGroup(details.huntGroup))
            return details
        }
    }

    /// Deletes the hunt group with `pilot` (its member lines stay). Publishes `removeHuntGroup`.
    public func deleteHuntGroup(pilot: String) async throws {
        try await write { db, changes in
            guard let group = try db.fetchOne(HuntGroupRecord.self, "SELECT * FROM huntGroup WHERE pilot = ?", pilot)
            else {
                throw StoreError.notFound("huntGroup.pilot", "no hunt group with pilot \(Validation.quoted(pilot))")
            }
            try db.execute("DELETE FROM huntGroup WHERE id = ?", group.id)
            changes.append(.removeHuntGroup(DirectoryNumber(group.pilot)))
        }
    }

    // MARK: - Helpers

    /// Groups by pilot with their members in order: all, the one with `pilot`, or the one with `id`. Two queries
    /// however many groups there are.
    static func fetchHuntGroups(
        _ db: any SQLConnection,
        pilot: String? = nil,
        id: Int64? = nil
    ) throws -> [HuntGroupDetails] {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let pilot {
            conditions.append("pilot = ?")
            arguments.append(pilot.sqlValue)
        }
        if let id {
            conditions.append("id = ?")
            arguments.append(id.sqlValue)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let groups = try db.fetchAll("SELECT * FROM huntGroup\(filter) ORDER BY pilot", arguments)
            .map(HuntGroupRecord.init(row:))
        guard !groups.isEmpty else { return [] }
        let single = groups.count == 1 ? groups.first?.id : nil
        var members: [Int64: [String]] = [:]
        let rows = try db.fetchAll(
            """
            SELECT huntGroupMember.huntGroupId, line.number
            FROM huntGroupMember JOIN line ON line.id = huntGroupMember.lineId
            \(single != nil ? "WHERE huntGroupMember.huntGroupId = ?" : "")
            ORDER BY huntGroupMember.huntGroupId, huntGroupMember.position
            """,
            single.map { [$0.sqlValue] } ?? []
        )
        for row in rows {
            members[try row.get(0, as: Int64.self), default: []].append(try row.get(1, as: String.self))
        }
        return groups.map { HuntGroupDetails(group: $0, members: $0.id.flatMap { members[$0] } ?? []) }
    }

    private static func insertHuntGroupMembers(_ lineIDs: [Int64], groupID: Int64, _ db: any SQLConnection) throws {
        for (offset, lineID) in lineIDs.enumerated() {
            var member = HuntGroupMemberRecord(huntGroupID: groupID, lineID: lineID, position: offset + 1)
            try db.insert(&member)
        }
    }

    private static func ensureUniquePilot(
        _ db: any SQLConnection,
        _ group: HuntGroupRecord,
        excluding id: Int64?
    ) throws {
        try ensureUnique(
            db,
            table: HuntGroupRecord.tableName,
            column: "pilot",
            group.pilot,
            excluding: id,
            field: "huntGroup.pilot",
            "a hunt group with pilot \(group.pilot) already exists"
        )
    }

    /// Follows final destinations from `pilot` through other hunt pilots (dialled exactly, with or without a
    /// trailing `#`); throws ``StoreError/Code/invalidValue`` (`huntGroup.finalDestination`) if they lead back to a
    /// pilot already on the path: a call would then hunt for ever. Route patterns that translate to a pilot are not
    /// followed (CallControl bounds those).
    static func ensureNoHuntLoop(from pilot: String, _ db: any SQLConnection) throws {
        var path = [pilot]
        var current = pilot
        // `finalDestination` is NULL for most groups: the outer optional is "no such group", the inner "no final
        // destination"; both end the walk.
        while let destination = try db.fetchValue(
            String?.self,
            "SELECT finalDestination FROM huntGroup WHERE pilot = ?",
            current
        ).flatMap({ $0 }) {
            let next = destination.hasSuffix("#") ? String(destination.dropLast()) : destination
            guard try db.exists(HuntGroupRecord.self, where: "pilot = ?", next) else { return }
            path.append(next)
            if path.dropLast().contains(next) {
                throw StoreError.invalidValue(
                    "huntGroup.finalDestination",
                    "huntGroup finalDestination makes a loop of hunt groups (\(path.joined(separator: " → "))):"
                        + " a call would hunt for ever"
                )
            }
            current = next
        }
    }
}
