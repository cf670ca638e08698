import GRDB
import Testing

@testable import Store

/// The `addProvisioningSettings` migration: a device's firmware load, and the date/time group and locales every
/// cnf.xml carries. Defaults equal what the files carried before; bad values are refused naming the field.
@Suite struct ProvisioningSettingsTests {
    @Test func theDefaultsAreWhatTheFilesCarriedBefore() async throws {
        let store = try makeStore()
        let settings = try await store.settings()
        #expect(settings.dateTemplate == "D.M.Y")
        #expect(settings.timeZone == "Greenwich Standard/Daylight Time")
        #expect(settings.olsonTimeZone == nil)
        #expect(settings.ntpServers.isEmpty)
        #expect(settings.userLocale == nil)
        #expect(settings.userLocaleLanguageCode == nil)
        #expect(settings.networkLocale == nil)
        let device = try await store.insert(DeviceRecord(name: "SEP001122334455"))
        #expect(device.loadInformation == nil)
        #expect(try await store.device(named: "SEP001122334455")?.loadInformation == nil)
    }

    @Test(.sqliteOnly) func settingsAndLoadsRoundTrip() async throws {
        let store = try makeStore()
        var settings = try await store.settings()
        settings.dateTemplate = "M/D/YA"
        settings.timeZone = "Pacific Standard/Daylight Time"
        settings.olsonTimeZone = "America/Argentina/Buenos_Aires"
        settings.ntpServers = ["192.0.2.1", "2001:db8::123", "ntp.example.net"]
        settings.userLocale = "English_United_States"
        settings.networkLocale = "United_States"
        _ = try await store.update(settings)
        let stored = try await store.settings()
        #expect(stored == settings)
        #expect(stored.userLocaleLanguageCode == "en_US")
        // The NTP list is a JSON array in its column.
        let raw = try await store.database.reader.read { db in
            try String.fetchOne(db, sql: "SELECT ntpServers FROM settings")
        }
        #expect(raw == #"["192.0.2.1","2001:db8::123","ntp.example.net"]"#)

        var device = try await store.insert(
            DeviceRecord(name: "SEP001122334455", loadInformation: "SCCP41.9-4-2SR3-1S")
        )
        #expect(try await store.device(named: "SEP001122334455")?.loadInformation == "SCCP41.9-4-2SR3-1S")
        device.loadInformation = nil
        _ = try await store.update(device)
        #expect(try await store.device(named: "SEP001122334455")?.loadInformation == nil)
    }

    @Test func everyDateTemplateFitsRegisterAck() {
        #expect(SettingsRecord.dateTemplates.count == 27)
        for template in ["M/D/YA", "D/M/YA", "YY/M/D", "M-D-Y", "D.M.Y", "Y.M.DA", "M/D/YY", "D-M-YY"] {
            #expect(SettingsRecord.dateTemplates.contains(template), "\(template)")
        }
        #expect(SettingsRecord.dateTemplates.allSatisfy { $0.utf8.count <= 6 })
        #expect(!SettingsRecord.dateTemplates.contains("YY/M/DA"))
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var field: String
        var messageContains: String
        var change: @Sendable (inout SettingsRecord) -> Void
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "unknown date template", field: "settings.dateTemplate", messageContains: "one of M/D/Y,") {
            $0.dateTemplate = "DD/MM/YYYY"
        },
        Refusal(name: "empty time zone", field: "settings.timeZone", messageContains: "must not be empty") {
            $0.timeZone = " "
        },
        Refusal(name: "long time zone", field: "settings.timeZone", messageContains: "at most 64") {
            $0.timeZone = String(repeating: "x", count: 65)
        },
        Refusal(name: "control character", field: "settings.timeZone", messageContains: "control characters") {
            $0.timeZone = "GMT\u{0}"
        },
        Refusal(name: "olson traversal", field: "settings.olsonTimeZone", messageContains: "IANA time zone") {
            $0.olsonTimeZone = "Europe/../Berlin"
        },
        Refusal(name: "olson empty part", field: "settings.olsonTimeZone", messageContains: "like Europe/Berlin") {
            $0.olsonTimeZone = "Europe//Berlin"
        },
        Refusal(name: "olson space", field: "settings.olsonTimeZone", messageContains: "not \"Europe/New York\"") {
            $0.olsonTimeZone = "Europe/New York"
        },
        Refusal(name: "too many NTP servers", field: "settings.ntpServers", messageContains: "at most 4 servers") {
            $0.ntpServers = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]
        },
        Refusal(name: "NTP wildcard", field: "settings.ntpServers[1]", messageContains: "not \"0.0.0.0\"") {
            $0.ntpServers = ["192.0.2.1", "0.0.0.0"]
        },
        Refusal(name: "NTP repeated", field: "settings.ntpServers[1]", messageContains: "repeats ntpServers[0]") {
            $0.ntpServers = ["NTP.example.net", "ntp.example.net"]
        },
        Refusal(name: "unknown user locale", field: "settings.userLocale", messageContains: "English_United_States") {
            $0.userLocale = "English_Mars"
        },
        Refusal(name: "network locale space", field: "settings.networkLocale", messageContains: "like United_States") {
            $0.networkLocale = "United States"
        },
        Refusal(name: "network locale markup", field: "settings.networkLocale", messageContains: "letters, digits") {
            $0.networkLocale = "<Germany>"
        },
    ]

    @Test(arguments: refusals)
    func badSettingsAreRefusedNamingTheField(_ refusal: Refusal) async throws {
        let store = try makeStore()
        var settings = try await store.settings()
        refusal.change(&settings)
        let error = await #expect(throws: StoreError.self) { _ = try await store.update(settings) }
        #expect(error?.code == .invalidValue)
        #expect(error?.field == refusal.field)
        #expect(error?.message.contains(refusal.messageContains) == true, "\(error?.message ?? "")")
        #expect(try await store.settings() == SettingsRecord())
    }

    @Test(arguments: ["", "SCCP41 9", "../SCCP41", "SCCP41/9", "load<x>", String(repeating: "L", count: 65)])
    func badLoadsAreRefusedNamingTheField(_ load: String) async throws {
        let store = try makeStore()
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.insert(DeviceRecord(name: "SEP001122334455", loadInformation: load))
        }
        #expect(error?.field == "device.loadInformation")
        #expect(error?.message.contains("load name like SCCP41.9-4-2SR3-1S") == true)
        #expect(try await store.devices().isEmpty)
    }

    /// A database migrated before `addProvisioningSettings` keeps its settings and devices and gets the defaults.
    @Test(.sqliteOnly) func migratingAnOlderDatabaseKeepsItsRowsAndAddsTheDefaults() async throws {
        let queue = try DatabaseQueue(configuration: StrowgerDatabase.makeConfiguration())
        try StrowgerDatabase.migrator.migrate(queue, upTo: "addCallManagerGroups")
        try await queue.write { db in
            try db.execute(sql: "UPDATE settings SET keepAliveSeconds = 45")
            try db.execute(sql: "INSERT INTO device (name) VALUES ('SEP001122334455')")
        }
        let store = Store(database: try StrowgerDatabase(queue))
        var expected = SettingsRecord()
        expected.keepAliveSeconds = 45
        #expect(try await store.settings() == expected)
        #expect(try await store.device(named: "SEP001122334455")?.loadInformation == nil)
    }
}
