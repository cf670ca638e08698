/// One member line of a hunt group, in its place. Table `huntGroupMember` (migration `addCallFeatures`).
///
/// Members refer to lines by id, so a renumbered line stays a member under its new number. A line may be a member of
/// several hunt groups, but once per group; a line that is a member cannot be deleted.
public struct HuntGroupMemberRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// `huntGroup.id`; deleting the group deletes its members.
    public var huntGroupID: Int64
    /// `line.id`.
    public var lineID: Int64
    /// The member's place in the list, from 1; unique per group.
    public var position: Int

    enum CodingKeys: String, CodingKey {
        case id, position
        case huntGroupID = "huntGroupId"
        case lineID = "lineId"
    }

    public init(id: Int64? = nil, huntGroupID: Int64, lineID: Int64, position: Int) {
        self.id = id
        self.huntGroupID = huntGroupID
        self.lineID = lineID
        self.position = position
    }
}

extension HuntGroupMemberRecord: SQLAutoIncrementedRecord {
    static let tableName = "huntGroupMember"
}
