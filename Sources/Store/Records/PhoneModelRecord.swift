/// What every phone of one model gets unless the device says otherwise: its firmware load and the digest its
/// trust lists are signed with. Table `phoneModel` (migration `addPhoneModels`), keyed by the model's name without
/// regard to case (`7942`, `7965`, `6921`).
///
/// A device's own ``DeviceRecord/loadInformation`` wins over its model's load. The model a device is matched by is
/// its ``DeviceRecord/model`` with a leading "Cisco " and spaces removed (``normalizedModel(_:)``), so `Cisco 7942`
/// and `7942` are one model.
public struct PhoneModelRecord: Codable, Hashable, Sendable {
    /// The digest a model's trust lists are signed with (`CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`).
    public enum TrustListDigest: String, Codable, CaseIterable, Hashable, Sendable {
        /// SHA-1: what every phone that reads trust lists takes (the default).
        case sha1
        /// SHA-512: only for firmware known to verify it.
        case sha512
    }

    /// The model as devices name it, e.g. `7942`: 1–64 letters, digits, `-`, `_` and `.`.
    public var model: String
    /// The load this model's phones should run (`<loadInformation>`), e.g. `SCCP42.9-4-2SR3-1S`; nil for none.
    public var loadInformation: String?
    /// The digest of this model's trust lists; nil for the server's default (SHA-1).
    public var trustListDigest: TrustListDigest?

    public init(model: String, loadInformation: String? = nil, trustListDigest: TrustListDigest? = nil) {
        self.model = model
        self.loadInformation = loadInformation
        self.trustListDigest = trustListDigest
    }

    /// `Cisco 7942` → `7942`, ` 7942 ` → `7942`: how a device's model is matched to a stored model.
    public static func normalizedModel(_ model: String) -> String {
        var text = Substring(model).drop { $0 == " " }
        if text.lowercased().hasPrefix("cisco") {
            text = text.dropFirst(5).drop { $0 == " " || $0 == "-" }
        }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.loadName(model, field: "phoneModel.model", maximumLength: Validation.maximumNameLength)
        if let loadInformation {
            try Validation.loadName(
                loadInformation,
                field: "phoneModel.loadInformation",
                maximumLength: DeviceRecord.loadInformationMaximumLength
            )
        }
    }
}

extension PhoneModelRecord: SQLRecord {
    static let tableName = "phoneModel"
    static let primaryKey = "model"
}
