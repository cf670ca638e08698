public import CallControl
public import GRDB

/// Server-wide settings: auto-registration, keepalive and call-control timeouts. Table `settings`, which holds at
/// most one row (id 1); when it is missing the defaults below apply.
///
/// The defaults here must equal the column defaults written by the migration (a test checks it), because the
/// migration may not refer to this type.
public struct SettingsRecord: Codable, Hashable, Sendable {
    /// Always 1: the single-row guarantee.
    private var id: Int64 = 1
    /// Whether an unknown `SEP<MAC>` phone gets the next free number (design.md: on by default).
    public var autoRegistrationEnabled: Bool = true
    /// The first and last directory numbers auto-registration hands out (default 1000–1999).
    public var autoRegistrationFirstNumber: Int = 1000
    public var autoRegistrationLastNumber: Int = 1999
    /// Line settings for auto-registered lines.
    public var autoRegistrationMaxCalls: Int = 2
    public var autoRegistrationBusyTrigger: Int = 2
    /// Seconds between a phone's KeepAlives (CUCM's station keepalive default, 30 s). Read by the session layer at
    /// registration; CallControl does not use it.
    public var keepAliveSeconds: Int = 30
    /// Off-hook with no digit, then reorder (CUCM "Offhook To First Digit Timer", 15 s).
    public var offHookTimeoutMilliseconds: Int = 15_000
    /// Time allowed between digits while the number could still grow (5 s).
    public var interdigitTimeoutMilliseconds: Int = 5_000
    /// How long a failed call plays its tone before it is cleared (15 s).
    public var failedCallTimeoutMilliseconds: Int = 15_000
    /// RTP packetisation for every stream (20 ms, what CUCM sends).
    public var packetMilliseconds: Int = 20

    /// The defaults (what an empty database has).
    public init() {}

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        // Numbers must fit CallControl's UInt32 range and, as text, a directory number (at most 24 digits).
        try Validation.range(
            autoRegistrationFirstNumber,
            0...Int(UInt32.max),
            field: "settings.autoRegistrationFirstNumber"
        )
        try Validation.range(
            autoRegistrationLastNumber,
            autoRegistrationFirstNumber...Int(UInt32.max),
            field: "settings.autoRegistrationLastNumber"
        )
        try Validation.range(autoRegistrationMaxCalls, 1...200, field: "settings.autoRegistrationMaxCalls")
        try Validation.range(
            autoRegistrationBusyTrigger,
            1...autoRegistrationMaxCalls,
            field: "settings.autoRegistrationBusyTrigger"
        )
        // CUCM allows 10–600 s; shorter floods the server with keepalives, longer detects dead phones too late.
        try Validation.range(keepAliveSeconds, 10...600, field: "settings.keepAliveSeconds", unit: "seconds")
        try Validation.range(
            offHookTimeoutMilliseconds,
            1_000...300_000,
            field: "settings.offHookTimeoutMilliseconds",
            unit: "ms"
        )
        try Validation.range(
            interdigitTimeoutMilliseconds,
            500...60_000,
            field: "settings.interdigitTimeoutMilliseconds",
            unit: "ms"
        )
        try Validation.range(
            failedCallTimeoutMilliseconds,
            1_000...300_000,
            field: "settings.failedCallTimeoutMilliseconds",
            unit: "ms"
        )
        try Validation.range(packetMilliseconds, 10...120, field: "settings.packetMilliseconds", unit: "ms")
    }

    /// What CallControl needs of the settings. Call it on validated settings only: out-of-range values are clamped.
    public var callControlSettings: CallControlSettings {
        let first = UInt32(clamping: autoRegistrationFirstNumber)
        let last = max(first, UInt32(clamping: autoRegistrationLastNumber))
        return CallControlSettings(
            offHookTimeout: .milliseconds(offHookTimeoutMilliseconds),
            interdigitTimeout: .milliseconds(interdigitTimeoutMilliseconds),
            failedCallTimeout: .milliseconds(failedCallTimeoutMilliseconds),
            packetMilliseconds: UInt32(clamping: packetMilliseconds),
            autoRegistration: AutoRegistrationSettings(
                isEnabled: autoRegistrationEnabled,
                numbers: first...last,
                maxCalls: autoRegistrationMaxCalls,
                busyTrigger: autoRegistrationBusyTrigger
            )
        )
    }

    /// The stored settings, or the defaults if the row is missing.
    static func find(_ db: Database) throws -> SettingsRecord {
        try fetchOne(db) ?? SettingsRecord()
    }
}

extension SettingsRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "settings"

    public enum Columns {
        public static let autoRegistrationEnabled = Column(CodingKeys.autoRegistrationEnabled)
        public static let autoRegistrationFirstNumber = Column(CodingKeys.autoRegistrationFirstNumber)
        public static let autoRegistrationLastNumber = Column(CodingKeys.autoRegistrationLastNumber)
        public static let autoRegistrationMaxCalls = Column(CodingKeys.autoRegistrationMaxCalls)
        public static let autoRegistrationBusyTrigger = Column(CodingKeys.autoRegistrationBusyTrigger)
        public static let keepAliveSeconds = Column(CodingKeys.keepAliveSeconds)
        public static let offHookTimeoutMilliseconds = Column(CodingKeys.offHookTimeoutMilliseconds)
        public static let interdigitTimeoutMilliseconds = Column(CodingKeys.interdigitTimeoutMilliseconds)
        public static let failedCallTimeoutMilliseconds = Column(CodingKeys.failedCallTimeoutMilliseconds)
        public static let packetMilliseconds = Column(CodingKeys.packetMilliseconds)
    }
}
