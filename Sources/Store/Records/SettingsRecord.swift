public import CallControl

/// Server-wide settings: auto-registration, keepalive and call-control timeouts, and the date/time group and locales
/// every phone's cnf.xml carries. Table `settings`, which holds at most one row (id 1); when it is missing the
/// defaults below apply.
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

    // Issue 7 (migration `addProvisioningSettings`): CUCM's date/time group and locales, written into every
    // `SEP<MAC>.cnf.xml`. The defaults are what the files carried before they were stored.

    /// How phones show the date: one of ``dateTemplates`` (`<dateTemplate>` in the cnf.xml, and RegisterAck's date
    /// template). `D.M.Y` by default.
    public var dateTemplate: String = "D.M.Y"
    /// The time zone as Cisco firmware names it (`<timeZone>`), e.g. `W. Europe Standard/Daylight Time`. Free text
    /// (the list differs between firmware releases), at most 64 characters, escaped in the file.
    public var timeZone: String = "Greenwich Standard/Daylight Time"
    /// The IANA zone (`<olsonTimeZone>`, read by newer firmware), e.g. `Europe/Berlin`; nil writes none.
    public var olsonTimeZone: String?
    /// NTP servers phones set their clocks from (`<ntps>`), in order: at most ``maximumNTPServers`` host names or IP
    /// addresses. Stored as a JSON array.
    public var ntpServers: [String] = []
    /// The phone's display language (`<userLocale>`): one of ``userLocales``' names, e.g. `English_United_States`;
    /// the cnf.xml carries its language code (`en_US`) too. nil writes none (the phone keeps its built-in English).
    public var userLocale: String?
    /// Tones and cadences (`<networkLocale>`), e.g. `United_States`, `Germany`: letters, digits and `_`. nil writes
    /// none.
    public var networkLocale: String?

    // Issue 12 (migration `addCallFeatures`): call park, transfer on-hook and do not disturb.

    /// The first and last call park slot (CUCM "call park numbers"), inclusive: numbers of equal length with no
    /// leading zero, at most ``maximumParkSlots`` of them, none a line, hunt pilot or pickup group number. Both nil
    /// (the default) turns park off.
    public var parkFirstSlot: Int?
    public var parkLastSlot: Int?
    /// How long a parked call waits before it rings the phone that parked it again (CUCM "Call Park Reversion
    /// Timer", 60 s), 1–3600 s.
    public var parkReversionSeconds: Int = 60
    /// Hanging up during a transfer consultation completes the transfer (CUCM "Transfer On-hook Enabled"); off by
    /// default: hanging up then ends the consultation and the first call stays on hold.
    public var transferOnHook: Bool = false
    /// What a call to a device in do-not-disturb does: `ringer-off` (shown, no ring; CUCM's default) or `reject`.
    public var doNotDisturbMode: DoNotDisturbMode = .ringerOff

    /// What a call to a phone in do-not-disturb does (CUCM's "DND Option"); the raw value is what the database and
    /// the admin API hold.
    public enum DoNotDisturbMode: String, Codable, CaseIterable, Hashable, Sendable, SQLValueConvertible {
        /// The call is shown and may be answered, but the phone does not ring.
        case ringerOff = "ringer-off"
        /// The phone is skipped as if busy.
        case reject

        /// The accepted spellings, for error messages.
        public static let spellings = allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// The most park slots a range may hold: CUCM's largest park range is a pattern such as `7XXX`, 1,000 numbers,
    /// and every slot is indexed for dialling by the core.
    public static let maximumParkSlots = 1000

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
        try self.validateProvisioning()
        try self.validatePark()
    }

    /// The park range's shape (whether its numbers are free is checked against the other tables when it is written).
    private func validatePark() throws(StoreError) {
        try Validation.range(parkReversionSeconds, 1...3600, field: "settings.parkReversionSeconds", unit: "seconds")
        switch (parkFirstSlot, parkLastSlot) {
        case (nil, nil):
            return
        case (nil, _?), (_?, nil):
            throw .invalidValue(
                parkFirstSlot == nil ? "settings.parkFirstSlot" : "settings.parkLastSlot",
                "settings parkFirstSlot and parkLastSlot must be given together (neither turns park off)"
            )
        case (let first?, let last?):
            try Validation.range(first, 0...Int(UInt32.max), field: "settings.parkFirstSlot")
            try Validation.range(last, first...Int(UInt32.max), field: "settings.parkLastSlot")
            // With one length, no slot is a prefix of another: a phone never waits to see whether 70 becomes 700.
            guard String(first).count == String(last).count else {
                throw .invalidValue(
                    "settings.parkLastSlot",
                    "settings park slots must have the same number of digits, like 7000-7019, not \(first)-\(last)"
                )
            }
            guard last - first < Self.maximumParkSlots else {
                throw .invalidValue(
                    "settings.parkLastSlot",
                    "settings park slots must be at most \(Self.maximumParkSlots) numbers, not \(last - first + 1)"
                        + " (\(first)-\(last))"
                )
            }
        }
    }

    /// The park slots, or nil when park is off.
    public var parkSlots: ClosedRange<Int>? {
        guard let parkFirstSlot, let parkLastSlot, parkFirstSlot <= parkLastSlot else { return nil }
        return parkFirstSlot...parkLastSlot
    }

    /// The date/time group and the locales.
    private func validateProvisioning() throws(StoreError) {
        guard Self.dateTemplates.contains(dateTemplate) else {
            throw .invalidValue(
                "settings.dateTemplate",
                "settings dateTemplate must be one of \(Self.dateTemplates.joined(separator: ", ")),"
                    + " not \(Validation.quoted(dateTemplate))"
            )
        }
        try Validation.text(
            timeZone,
            field: "settings.timeZone",
            maximumLength: Validation.maximumNameLength,
            allowsEmpty: false
        )
        if let olsonTimeZone {
            try Validation.olsonTimeZone(olsonTimeZone, field: "settings.olsonTimeZone")
        }
        guard ntpServers.count <= Self.maximumNTPServers else {
            throw .invalidValue(
                "settings.ntpServers",
                "settings ntpServers must list at most \(Self.maximumNTPServers) servers, not \(ntpServers.count)"
            )
        }
        var seen: [String: Int] = [:]
        for (index, server) in ntpServers.enumerated() {
            guard CallManagerGroupRecord.Member.isValidHost(server) else {
                throw .invalidValue(
                    "settings.ntpServers[\(index)]",
                    "settings ntpServers[\(index)] must be a host name or an IP address of letters, digits, '.', '-'"
                        + " and ':' (not a wildcard like 0.0.0.0), not \(Validation.quoted(server))"
                )
            }
            if let first = seen[server.lowercased()] {
                throw .invalidValue(
                    "settings.ntpServers[\(index)]",
                    "settings ntpServers[\(index)] repeats ntpServers[\(first)] (\(server))"
                )
            }
            seen[server.lowercased()] = index
        }
        if let userLocale, Self.userLocales[userLocale] == nil {
            throw .invalidValue(
                "settings.userLocale",
                "settings userLocale must be one of \(Self.userLocales.keys.sorted().joined(separator: ", ")),"
                    + " not \(Validation.quoted(userLocale))"
            )
        }
        if let networkLocale {
            try Validation.localeName(networkLocale, field: "settings.networkLocale")
        }
    }

    /// The date templates CUCM's date/time groups write (its date formats D-M-Y, D.M.Y, D/M/Y, M-D-Y, M.D.Y, M/D/Y,
    /// Y-M-D, Y.M.D, Y/M/D, with a trailing `A` for a 12-hour clock), and the same with `YY` for a four-digit year
    /// (reference §5.2), wherever the result fits RegisterAck's six-byte field: 27 in all, e.g. `M/D/YA`, `D.M.Y`,
    /// `YY/M/D`, `M-D-YY`.
    public static let dateTemplates: [String] = {
        var templates: [String] = []
        for order in [["M", "D", "Y"], ["D", "M", "Y"], ["Y", "M", "D"]] {
            for separator in ["/", "-", "."] {
                for year in ["Y", "YY"] {
                    for clock in ["", "A"] {
                        let template = order.map { $0 == "Y" ? year : $0 }.joined(separator: separator) + clock
                        if template.utf8.count <= 6 { templates.append(template) }
                    }
                }
            }
        }
        return templates
    }()

    /// CUCM allows up to four phone NTP references in a date/time group.
    public static let maximumNTPServers = 4

    /// CUCM's user locale names (the locale installers' folders on the TFTP server) and the language code the cnf.xml
    /// carries with each (`<langCode>`).
    public static let userLocales: [String: String] = [
        "Arabic_Saudi_Arabia": "ar_SA",
        "Bulgarian_Bulgaria": "bg_BG",
        "Catalan_Spain": "ca_ES",
        "Chinese_China": "zh_CN",
        "Chinese_Taiwan": "zh_TW",
        "Croatian_Croatia": "hr_HR",
        "Czech_Czech_Republic": "cs_CZ",
        "Danish_Denmark": "da_DK",
        "Dutch_Netherlands": "nl_NL",
        "English_United_Kingdom": "en_GB",
        "English_United_States": "en_US",
        "Finnish_Finland": "fi_FI",
        "French_Canada": "fr_CA",
        "French_France": "fr_FR",
        "German_Germany": "de_DE",
        "Greek_Greece": "el_GR",
        "Hebrew_Israel": "he_IL",
        "Hungarian_Hungary": "hu_HU",
        "Italian_Italy": "it_IT",
        "Japanese_Japan": "ja_JP",
        "Korean_Korea_Republic": "ko_KR",
        "Norwegian_Norway": "no_NO",
        "Polish_Poland": "pl_PL",
        "Portuguese_Brazil": "pt_BR",
        "Portuguese_Portugal": "pt_PT",
        "Romanian_Romania": "ro_RO",
        "Russian_Russian_Federation": "ru_RU",
        "Slovak_Slovakia": "sk_SK",
        "Slovenian_Slovenia": "sl_SI",
        "Spanish_Spain": "es_ES",
        "Swedish_Sweden": "sv_SE",
        "Thai_Thailand": "th_TH",
        "Turkish_Turkey": "tr_TR",
    ]

    /// The language code of ``userLocale`` (`en_US` for `English_United_States`); nil without a user locale.
    public var userLocaleLanguageCode: String? {
        userLocale.flatMap { Self.userLocales[$0] }
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
            ),
            park: ParkSettings(
                slots: parkSlots.map { UInt32(clamping: $0.lowerBound)...UInt32(clamping: $0.upperBound) },
                reversionTimeout: .seconds(parkReversionSeconds)
            ),
            transferOnHook: transferOnHook,
            doNotDisturbMode: doNotDisturbMode == .reject ? .reject : .ringerOff
        )
    }

    /// The stored settings, or the defaults if the row is missing. The table holds one row at most, with id 1.
    static func find(_ db: any SQLConnection) throws -> SettingsRecord {
        try db.find(SettingsRecord.self, key: 1) ?? SettingsRecord()
    }
}

extension SettingsRecord: SQLRecord {
    static let tableName = "settings"
    static let primaryKey = "id"
}
