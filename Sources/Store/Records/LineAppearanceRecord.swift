/// A line on a device's button: which line, on which device, in which place. Table `lineAppearance`.
///
/// A device's appearances ordered by ``position`` are its line buttons; the first is line instance 1, the next 2,
/// and so on (CallControl numbers instances by rank, so gaps in positions do not leave gaps in instances). A line may
/// appear on several devices (a shared line) but only once per device.
public struct LineAppearanceRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// `device.id`; deleting the device deletes its appearances.
    public var deviceID: Int64
    /// `line.id`; deleting the line deletes its appearances.
    public var lineID: Int64
    /// The button order on the device, from 1; unique per device.
    public var position: Int

    enum CodingKeys: String, CodingKey {
        case id, position
        case deviceID = "deviceId"
        case lineID = "lineId"
    }

    public init(id: Int64? = nil, deviceID: Int64, lineID: Int64, position: Int) {
        self.id = id
        self.deviceID = deviceID
        self.lineID = lineID
        self.position = position
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one. Whether the device and line exist is
    /// checked when the record is written.
    public func validate() throws(StoreError) {
        // SCCP phones have at most a few dozen buttons; 1000 leaves room for sidecars and keeps instances small.
        try Validation.range(position, 1...1000, field: "lineAppearance.position")
    }
}

extension LineAppearanceRecord: SQLAutoIncrementedRecord {
    static let tableName = "lineAppearance"
}
