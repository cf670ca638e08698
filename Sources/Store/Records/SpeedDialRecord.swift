public import CallControl

/// A speed-dial button on a device. Table `speedDial`.
public struct SpeedDialRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// `device.id`; deleting the device deletes its speed dials.
    public var deviceID: Int64
    /// The index the phone asks for (SCCP `SpeedDialStatReq`), from 1; unique per device.
    public var buttonIndex: Int
    /// What the button dials: 1–32 of `0-9 * + A-D`, optionally ending in `#`.
    public var number: String
    /// The text next to the button; empty shows the number.
    public var label: String
    /// Whether the button also shows the line state of ``number`` (busy lamp field), as presence sees it.
    public var isBusyLampField: Bool

    enum CodingKeys: String, CodingKey {
        case id, buttonIndex, number, label, isBusyLampField
        case deviceID = "deviceId"
    }

    public init(
        id: Int64? = nil,
        deviceID: Int64,
        buttonIndex: Int,
        number: String,
        label: String = "",
        isBusyLampField: Bool = false
    ) {
        self.id = id
        self.deviceID = deviceID
        self.buttonIndex = buttonIndex
        self.number = number
        self.label = label
        self.isBusyLampField = isBusyLampField
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.range(buttonIndex, 1...1000, field: "speedDial.buttonIndex")
        try Validation.dialString(number, field: "speedDial.number")
        try Validation.text(
            label,
            field: "speedDial.label",
            maximumLength: Validation.maximumDisplayNameLength,
            allowsEmpty: true
        )
    }

    /// What CallControl needs of the button.
    public var speedDial: SpeedDial {
        SpeedDial(
            index: UInt32(clamping: buttonIndex),
            number: number,
            label: label.isEmpty ? number : label,
            isBusyLampField: isBusyLampField
        )
    }
}

extension SpeedDialRecord: SQLAutoIncrementedRecord {
    static let tableName = "speedDial"
}
