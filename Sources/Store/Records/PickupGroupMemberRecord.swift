/// One member line of a pickup group. Table `pickupGroupMember` (migration `addCallFeatures`).
///
/// `lineId` is unique in the table: a number belongs to at most one pickup group, enforced by the database (and
/// checked first by the Store, which names the group the line is in). Members are listed in the order they were
/// given (by id).
public struct PickupGroupMemberRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// `pickupGroup.id`; deleting the group deletes its members.
    public var pickupGroupID: Int64
    /// `line.id`; unique.
    public var lineID: Int64

    enum CodingKeys: String, CodingKey {
        case id
        case pickupGroupID = "pickupGroupId"
        case lineID = "lineId"
    }

    public init(id: Int64? = nil, pickupGroupID: Int64, lineID: Int64) {
        self.id = id
        self.pickupGroupID = pickupGroupID
        self.lineID = lineID
    }
}

extension PickupGroupMemberRecord: SQLAutoIncrementedRecord {
    static let tableName = "pickupGroupMember"
}
