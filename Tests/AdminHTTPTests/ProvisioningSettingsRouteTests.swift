import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// `PATCH /api/settings` with the date/time group and locales, and a device's `loadInformation`: stored, read back,
/// cleared, and refused naming the field.
@Suite struct ProvisioningSettingsRouteTests {
    @Test func theDateTimeGroupAndLocalesAreReadAndChanged() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var settings = try await client.value(AdminAPI.Settings.self, .get, "/api/settings")
            #expect(settings.dateTemplate == "D.M.Y")
            #expect(settings.timeZone == "Greenwich Standard/Daylight Time")
            #expect(settings.olsonTimeZone == "")
            #expect(settings.ntpServers == [])
            #expect(settings.userLocale == "")
            #expect(settings.networkLocale == "")

            settings = try await client.value(
                AdminAPI.Settings.self,
                .patch,
                "/api/settings",
                json: """
                    {"dateTemplate":"M/D/YA","timeZone":"Eastern Standard/Daylight Time",
                     "olsonTimeZone":"America/New_York","ntpServers":["192.0.2.1","ntp.example.net"],
                     "userLocale":"French_Canada","networkLocale":"Canada"}
                    """
            )
            #expect(settings.dateTemplate == "M/D/YA")
            #expect(settings.timeZone == "Eastern Standard/Daylight Time")
            #expect(settings.olsonTimeZone == "America/New_York")
            #expect(settings.ntpServers == ["192.0.2.1", "ntp.example.net"])
            #expect(settings.userLocale == "French_Canada")
            #expect(settings.networkLocale == "Canada")
            // Other settings are untouched.
            #expect(settings.keepAliveSeconds == 30)

            // "" clears an optional one; [] empties the NTP list; fields not given stay.
            settings = try await client.value(
                AdminAPI.Settings.self,
                .patch,
                "/api/settings",
                json: #"{"olsonTimeZone":"","userLocale":"","ntpServers":[]}"#
            )
            #expect(settings.olsonTimeZone == "")
            #expect(settings.userLocale == "")
            #expect(settings.ntpServers == [])
            #expect(settings.dateTemplate == "M/D/YA")
            #expect(settings.networkLocale == "Canada")
        }
        let stored = try await harness.store.settings()
        #expect(stored.olsonTimeZone == nil)
        #expect(stored.userLocale == nil)
        #expect(stored.networkLocale == "Canada")
        #expect(stored.timeZone == "Eastern Standard/Daylight Time")
    }

    @Test(arguments: [
        (#"{"dateTemplate":"DD.MM.YYYY"}"#, "settings.dateTemplate"),
        (#"{"dateTemplate":7}"#, "settings.dateTemplate"),
        (#"{"timeZone":""}"#, "settings.timeZone"),
        (#"{"olsonTimeZone":"/etc/localtime"}"#, "settings.olsonTimeZone"),
        (#"{"ntpServers":"192.0.2.1"}"#, "settings.ntpServers"),
        (#"{"ntpServers":["192.0.2.1","192.0.2.2","192.0.2.3","192.0.2.4","192.0.2.5"]}"#, "settings.ntpServers"),
        (#"{"ntpServers":["ntp.example.net","bad host"]}"#, "settings.ntpServers[1]"),
        (#"{"userLocale":"english_united_states"}"#, "settings.userLocale"),
        (#"{"networkLocale":"Germany&Austria"}"#, "settings.networkLocale"),
    ])
    func badSettingsAreRefusedNamingTheField(_ body: String, _ field: String) async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let error = try await client.error(.patch, "/api/settings", json: body, status: .badRequest)
            #expect(error.field == field, "\(error.message)")
        }
        #expect(try await harness.store.settings() == SettingsRecord())
    }

    @Test func aDeviceLoadIsSetChangedAndCleared() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var device = try await client.value(
                AdminAPI.Device.self,
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","loadInformation":"SCCP41.9-4-2SR3-1S"}"#,
                status: .created
            )
            #expect(device.loadInformation == "SCCP41.9-4-2SR3-1S")
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"loadInformation":"SCCP42.9-4-2SR3-1S"}"#
            )
            #expect(device.loadInformation == "SCCP42.9-4-2SR3-1S")
            // A PATCH without the field keeps it.
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"model":"7942"}"#
            )
            #expect(device.loadInformation == "SCCP42.9-4-2SR3-1S")
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"loadInformation":null}"#
            )
            #expect(device.loadInformation == nil)
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"loadInformation":"SCCP41.9-4-2SR3-1S"}"#
            )
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"loadInformation":""}"#
            )
            #expect(device.loadInformation == nil)

            var error = try await client.error(
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"loadInformation":"../../etc/passwd"}"#,
                status: .badRequest
            )
            #expect(error.field == "device.loadInformation")
            #expect(error.message.contains("load name like SCCP41.9-4-2SR3-1S"))
            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334466","loadInformation":"SCCP 41"}"#,
                status: .badRequest
            )
            #expect(error.field == "device.loadInformation")
            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334466","loadInformation":41}"#,
                status: .badRequest
            )
            #expect(error.field == "device.loadInformation")
        }
        #expect(try await harness.store.device(named: "SEP001122334466") == nil)
        #expect(try await harness.store.device(named: "SEP001122334455")?.loadInformation == nil)
    }
}
