public import CallControl

/// A pickup group with its member numbers, read in one transaction.
public struct PickupGroupDetails: Sendable, Hashable {
    public var group: PickupGroupRecord
    /// The members' directory numbers, in the order they were given.
    public var members: [String]

    public init(group: PickupGroupRecord, members: [String]) {
        self.group = group
        self.members = members
    }

    /// What CallControl gets.
    public var pickupGroup: PickupGroup { group.pickupGroup(members: members) }
}

extension Store {
    /// Pickup groups by number with their members (all of them, or the one numbered `number`).
    public func pickupGroupDetails(number: String? = nil) async throws -> [PickupGroupDetails] {
        try await read { db in try Self.fetchPickupGroups(db, number: number) }
    }

    /// Inserts a pickup group with its member lines. Publishes `upsertPickupGroup`.
    ///
    /// Throws ``StoreError/Code/conflict`` (`pickupGroup.number`) if the number is a pickup group already, a line, a
    /// hunt pilot or a park slot, or (`pickupGroup.members`) if a member is in another pickup group already (a number
    /// belongs to at most one); ``StoreError/Code/notFound`` (`pickupGroup.members[i]`) for a member that is not a
    /// line.
    @discardableResult
    public func insert(_ group: PickupGroupRecord, members: [String]) async throws -> PickupGroupDetails {
        try group.validate(members: members)
        return try await write { db, changes in
            try Self.ensureUniquePickupNumber(db, group, excluding: nil)
            try Self.ensureNumberIsFree(group.number, field: "pickupGroup.number", owner: .pickupGroup, db)
            let lineIDs = try Self.lineIDs(ofMembers: members, field: "pickupGroup.members", db)
            try Self.ensureInNoOtherPickupGroup(lineIDs, members: members, excluding: nil, db)
            var group = group
            try db.insert(&group)
            try Self.insertPickupGroupMembers(lineIDs, groupID: try Self.requireID(group.id, "pickupGroup"), db)
            let details = PickupGroupDetails(group: group, members: members)
            changes.append(.upsertPickupGroup(details.pickupGroup))
            return details
        }
    }

    /// Replaces the pickup group with the same id; `members` nil keeps the members. Publishes `upsertPickupGroup`,
    /// preceded by `removePickupGroup` of the old number if it changed. Errors as for ``insert(_:members:)``, and
    /// ``StoreError/Code/notFound`` (`pickupGroup.id`) if the group does not exist.
    @discardableResult
    public func update(_ group: PickupGroupRecord, members: [String]?) async throws -> PickupGroupDetails {
        let id = try Self.requireID(group.id, "pickupGroup")
        return try await write { db, changes in
            guard let old = try Self.fetchPickupGroups(db, id: id).first else {
                throw StoreError.notFound("pickupGroup.id", "no pickup group with id \(id)")
            }
            let members = members ?? old.members
            try group.validate(members: members)
            try Self.ensureUniquePickupNumber(db, group, excluding: id)
            try Self.ensureNumberIsFree(group.number, field: "pickupGroup.number", owner: .pickupGroup, db)
            let lineIDs = try Self.lineIDs(ofMembers: members, field: "pickupGroup.members", db)
            try Self.ensureInNoOtherPickupGroup(lineIDs, members: members, excluding: id, db)
            try db.update(group)
            try db.execute("DELETE FROM pickupGroupMember WHERE pickupGroupId = ?", id)
            try Self.insertPickupGroupMembers(lineIDs, groupID: id, db)
            if old.group.number != group.number {
                changes.append(.removePickupGroup(DirectoryNumber(old.group.number)))
            }
            let details = PickupGroupDetails(group: group, members: members)
            changes.append(.upsertPickupGroup(details.pickupGroup))
            return details
        }
    }

    /// Deletes the pickup group numbered `number` (its member lines stay). Publishes `removePickupGroup`.
    public func deletePickupGroup(number: String) async throws {
        try await write { db, changes in
            guard
                let group = try db.fetchOne(
                    PickupGroupRecord.self,
                    "SELECT * FROM pickupGroup WHERE number = ?",
                    number
                )
            else {
                throw StoreError.notFound(
                    "pickupGroup.number",
                    "no pickup group with number \(Validation.quoted(number))"
                )
            }
            try db.execute("DELETE FROM pickupGroup WHERE id = ?", group.id)
            changes.append(.removePickupGroup(DirectoryNumber(group.number)))
        }
    }

    // MARK: - Helpers

    /// Groups by number with their members: all, the one numbered `number`, or the one with `id`. Two queries
    /// however many groups there are.
    static func fetchPickupGroups(
        _ db: any SQLConnection,
        number: String? = nil,
        id: Int64? = nil
    ) throws -> [PickupGroupDetails] {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let number {
            conditions.append("number = ?")
            arguments.append(number.sqlValue)
        }
        if let id {
            conditions.append("id = ?")
            arguments.append(id.sqlValue)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let groups = try db.fetchAll("SELECT * FROM pickupGroup\(filter) ORDER BY number", arguments)
            .map(PickupGroupRecord.init(row:))
        guard !groups.isEmpty else { return [] }
        let single = groups.count == 1 ? groups.first?.id : nil
        var members: [Int64: [String]] = [:]
        let rows = try db.fetchAll(
            """
            SELECT pickupGroupMember.pickupGroupId, line.number
            FROM pickupGroupMember JOIN line ON line.id = pickupGroupMember.lineId
            \(single != nil ? "WHERE pickupGroupMember.pickupGroupId = ?" : "")
            ORDER BY pickupGroupMember.pickupGroupId, pickupGroupMember.id
            """,
            single.map { [$0.sqlValue] } ?? []
        )
        for row in rows {
            members[try row.get(0, as: Int64.self), default: []].append(try row.get(1, as: String.self))
        }
        return groups.map { PickupGroupDetails(group: $0, members: $0.id.flatMap { members[$0] } ?? []) }
    }

    private static func insertPickupGroupMembers(_ lineIDs: [Int64], groupID: Int64, _ db: any SQLConnection) throws {
        for lineID in lineIDs {
            var member = PickupGroupMemberRecord(pickupGroupID: groupID, lineID: lineID)
            try db.insert(&member)
        }
    }

    private static func ensureUniquePickupNumber(
        _ db: any SQLConnection,
        _ group: PickupGroupRecord,
        excluding id: Int64?
    ) throws {
        try ensureUnique(
            db,
            table: PickupGroupRecord.tableName,
            column: "number",
            group.number,
            excluding: id,
            field: "pickupGroup.number",
            "a pickup group with number \(group.number) already exists"
        )
    }

    /// A number belongs to at most one pickup group (the `pickupGroupMember.lineId` index enforces it too; this says
    /// which group has it).
    private static func ensureInNoOtherPickupGroup(
        _ lineIDs: [Int64],
        members: [String],
        excluding id: Int64?,
        _ db: any SQLConnection
    ) throws {
        for (lineID, number) in zip(lineIDs, members) {
            guard
                let other = try db.fetchOne(
                    """
                    SELECT pickupGroup.id, pickupGroup.number FROM pickupGroup
                    JOIN pickupGroupMember ON pickupGroupMember.pickupGroupId = pickupGroup.id
                    WHERE pickupGroupMember.lineId = ?
                    """,
                    lineID
                )
            else { continue }
            let otherID = try other.get(0, as: Int64.self)
            let otherNumber = try other.get(1, as: String.self)
            if otherID != id {
                throw StoreError.conflict(
                    "pickupGroup.members",
                    "line \(number) is already in pickup group \(otherNumber); a number belongs to at most one"
                        + " pickup group"
                )
            }
        }
    }
}
