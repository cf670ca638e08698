public import CallControl

/// A call pickup group: a user whose line is a member answers a call ringing on another member with PickUp, and
/// anyone answers one with GPickUp followed by ``number``. Table `pickupGroup` (migration `addCallFeatures`); the
/// members are ``PickupGroupMemberRecord`` rows.
///
/// The group number is not routed as a call, but it shares the number space of lines, hunt pilots and park slots
/// (CUCM's rule, and what auto-registration skips), so it may be none of them.
public struct PickupGroupRecord: Codable, Hashable, Sendable {
    /// The most members a group may have. A PickUp looks through the group's ringing calls, so a group is a team, not
    /// a building.
    public static let maximumMembers = 500

    /// The row id; nil until inserted.
    public var id: Int64?
    /// The number dialled after GPickUp, unique among lines, hunt pilots, pickup groups and park slots.
    public var number: String

    public init(id: Int64? = nil, number: String) {
        self.id = id
        self.number = number
    }

    /// Checks the number and the member list's shape (each a directory number, none twice, at most
    /// ``maximumMembers``); throws a ``StoreError`` naming the first bad one. Whether the members are lines that
    /// belong to no other group is checked when the group is written.
    public func validate(members: [String]) throws(StoreError) {
        try Validation.directoryNumber(number, field: "pickupGroup.number")
        try Validation.memberNumbers(members, field: "pickupGroup.members", maximum: Self.maximumMembers)
    }

    /// CallControl's pickup group with these members.
    public func pickupGroup(members: [String]) -> PickupGroup {
        PickupGroup(number: DirectoryNumber(number), members: members.map(DirectoryNumber.init(rawValue:)))
    }
}

extension PickupGroupRecord: SQLAutoIncrementedRecord {
    static let tableName = "pickupGroup"
}
