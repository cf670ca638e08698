public import GRDB

/// A phone, by its SCCP device name. Table `device`. Its lines are ``LineAppearanceRecord`` rows, its speed dials
/// ``SpeedDialRecord`` rows.
public struct DeviceRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// `SEP` followed by the phone's MAC address as 12 hex digits. Unique without regard to case, so the same MAC
    /// cannot be configured twice in two spellings.
    public var name: String
    /// The phone model as the administrator describes it, e.g. `7970`; free text, may be empty.
    public var model: String
    public var description: String
    /// The user who owns the phone (`user.id`); set to nil when that user is deleted.
    public var ownerID: Int64?
    /// The highest SCCP protocol version to negotiate with this phone, for firmware that misbehaves on newer
    /// versions; nil means no cap. The session layer still negotiates only versions it implements.
    public var maxProtocolVersion: Int?
    /// The CallManager group the phone registers with (the ordered list of nodes it fails over to); nil means the
    /// default group.
    public var callManagerGroup: String?
    /// Whether the device was created by auto-registration rather than by an administrator.
    public var isAutoRegistered: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, model, description, maxProtocolVersion, callManagerGroup, isAutoRegistered
        case ownerID = "ownerId"
    }

    public init(
        id: Int64? = nil,
        name: String,
        model: String = "",
        description: String = "",
        ownerID: Int64? = nil,
        maxProtocolVersion: Int? = nil,
        callManagerGroup: String? = nil,
        isAutoRegistered: Bool = false
    ) {
        self.id = id
        self.name = name
        self.model = model
        self.description = description
        self.ownerID = ownerID
        self.maxProtocolVersion = maxProtocolVersion
        self.callManagerGroup = callManagerGroup
        self.isAutoRegistered = isAutoRegistered
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.deviceName(name, field: "device.name")
        try Validation.text(
            model,
            field: "device.model",
            maximumLength: Validation.maximumNameLength,
            allowsEmpty: true
        )
        try Validation.text(
            description,
            field: "device.description",
            maximumLength: Validation.maximumDescriptionLength,
            allowsEmpty: true
        )
        if let maxProtocolVersion {
            // SCCP carries the version in one byte; 0 would forbid every version.
            try Validation.range(maxProtocolVersion, 1...255, field: "device.maxProtocolVersion")
        }
        if let callManagerGroup {
            try Validation.text(
                callManagerGroup,
                field: "device.callManagerGroup",
                maximumLength: Validation.maximumNameLength,
                allowsEmpty: false
            )
        }
    }
}

extension DeviceRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "device"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let name = Column(CodingKeys.name)
        public static let model = Column(CodingKeys.model)
        public static let description = Column(CodingKeys.description)
        public static let ownerID = Column(CodingKeys.ownerID)
        public static let maxProtocolVersion = Column(CodingKeys.maxProtocolVersion)
        public static let callManagerGroup = Column(CodingKeys.callManagerGroup)
        public static let isAutoRegistered = Column(CodingKeys.isAutoRegistered)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
