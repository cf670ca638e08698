import CallControl

/// A phone, by its SCCP device name. Table `device`. Its lines are ``LineAppearanceRecord`` rows, its speed dials
/// ``SpeedDialRecord`` rows.
public struct DeviceRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// `SEP` followed by the phone's MAC address as 12 hex digits, in the canonical spelling (upper case,
    /// `DeviceName.canonicalSpelling(of:)`): `init` and every Store write normalise it. Unique without regard to
    /// case too, so the same MAC cannot be configured twice in two spellings.
    public var name: String
    /// The phone model as the administrator describes it, e.g. `7970`; free text, may be empty.
    public var model: String
    public var description: String
    /// The user who owns the phone (`user.id`); set to nil when that user is deleted.
    public var ownerID: Int64?
    /// The highest SCCP protocol version to negotiate with this phone, for firmware that misbehaves on newer
    /// versions; nil means no cap. The session layer still negotiates only versions it implements.
    public var maxProtocolVersion: Int?
    /// The CallManager group the phone registers with (the ordered list of nodes it fails over to): the name of a
    /// ``CallManagerGroupRecord``, checked when the device is written (`Default` may be named without being stored);
    /// nil means the default group.
    public var callManagerGroup: String?
    /// Whether the device was created by auto-registration rather than by an administrator.
    public var isAutoRegistered: Bool
    /// How the phone is told to register (`<deviceSecurityMode>` in its cnf.xml): plain SCCP, or SCCP over TLS.
    public var securityMode: DeviceSecurityMode
    /// Whether the phone must prove its name with a client certificate issued by the Strowger CA (mutual TLS).
    /// Such a device is refused on the plain SCCP port and on the TLS port without a matching certificate.
    public var requiresClientCertificate: Bool
    /// The firmware load the phone should run (`<loadInformation>` in its cnf.xml), e.g. `SCCP41.9-4-2SR3-1S`; nil
    /// leaves the phone on the load it has. See ``loadInformationMaximumLength`` for what is accepted.
    public var loadInformation: String?
    /// The music-on-hold source parties held by this device hear when the line names none (a
    /// ``MusicSourceRecord`` name); nil for the built-in source. Stored now; played from phase 2 of issue 14.
    public var musicSource: String?
    /// Do not disturb (CUCM's device DND), set by the phone's DND softkey or the administrator; what a call to the
    /// device then does is ``SettingsRecord/doNotDisturbMode`` (migration `addCallFeatures`).
    public var doNotDisturb: Bool
    /// The softkey template the phone shows (a ``SoftkeyTemplateRecord`` name, checked when the device is written);
    /// nil for the built-in Standard User (migration `addSoftkeyTemplates`).
    public var softkeyTemplate: String?

    /// The longest load name accepted: Cisco's are about 20 characters (`SCCP42.9-4-2SR3-1S`); 64 leaves room
    /// without letting a file name grow without bound.
    public static let loadInformationMaximumLength = 64

    enum CodingKeys: String, CodingKey {
        case id, name, model, description, maxProtocolVersion, callManagerGroup, isAutoRegistered
        case securityMode, requiresClientCertificate, loadInformation, musicSource, doNotDisturb, softkeyTemplate
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
        isAutoRegistered: Bool = false,
        securityMode: DeviceSecurityMode = .nonSecure,
        requiresClientCertificate: Bool = false,
        loadInformation: String? = nil,
        musicSource: String? = nil,
        doNotDisturb: Bool = false,
        softkeyTemplate: String? = nil
    ) {
        self.id = id
        // The canonical spelling (issue 13): the Store keeps every name upper case, as CUCM does.
        self.name = DeviceName.canonicalSpelling(of: name)
        self.model = model
        self.description = description
        self.ownerID = ownerID
        self.maxProtocolVersion = maxProtocolVersion
        self.callManagerGroup = callManagerGroup
        self.isAutoRegistered = isAutoRegistered
        self.securityMode = securityMode
        self.requiresClientCertificate = requiresClientCertificate
        self.loadInformation = loadInformation
        self.musicSource = musicSource
        self.doNotDisturb = doNotDisturb
        self.softkeyTemplate = softkeyTemplate
    }

    /// The record with its name in the canonical spelling (a record whose `name` was set after `init`).
    public var canonicalized: DeviceRecord {
        var record = self
        record.name = DeviceName.canonicalSpelling(of: record.name)
        return record
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
        if let loadInformation {
            try Validation.loadName(
                loadInformation,
                field: "device.loadInformation",
                maximumLength: Self.loadInformationMaximumLength
            )
        }
        if let musicSource { try MusicSourceRecord.validateName(musicSource, field: "device.musicSource") }
        if let softkeyTemplate {
            try Validation.text(
                softkeyTemplate,
                field: "device.softkeyTemplate",
                maximumLength: Validation.maximumNameLength,
                allowsEmpty: false
            )
        }
        // A phone only connects to the TLS port in a secure mode: a certificate it must present there would
        // never be asked for, and it would be refused on the plain port for good.
        if requiresClientCertificate && securityMode == .nonSecure {
            throw .invalidValue(
                "device.requiresClientCertificate",
                "device requiresClientCertificate needs securityMode authenticated or encrypted, not non-secure"
            )
        }
    }
}

/// A device's `<deviceSecurityMode>`, as CUCM names its device security profiles. The raw value is what the
/// database and the admin API hold.
public enum DeviceSecurityMode: String, Codable, CaseIterable, Hashable, Sendable {
    /// Plain SCCP on TCP 2000 (cnf.xml mode 1).
    case nonSecure = "non-secure"
    /// SCCP over TLS on TCP 2443; signalling is authenticated and encrypted, media is not (cnf.xml mode 2).
    case authenticated
    /// SCCP over TLS, and the phone is told to encrypt media too (cnf.xml mode 3; SRTP is not built yet).
    case encrypted

    /// The accepted spellings, for error messages.
    public static let spellings = allCases.map(\.rawValue).joined(separator: ", ")
}

extension DeviceSecurityMode: SQLValueConvertible {}

extension DeviceRecord: SQLAutoIncrementedRecord {
    static let tableName = "device"
}
