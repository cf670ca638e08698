import AdminHTTP
import Foundation
import Store
import Testing

/// `strowger settings show|set` and `strowger device add|update --load`, run as the built binary against a live admin
/// API.
@Suite(.serialized) struct SettingsCLITests {
    @Test func setAndShowTheDateTimeGroupAndLocales() async throws {
        try await CLIHarness.withServer { harness in
            var output = try await harness.succeed(["settings", "show"])
            #expect(output.contains("Date template:"), "\(output)")
            #expect(output.contains("D.M.Y"))
            #expect(output.contains("Greenwich Standard/Daylight Time"))

            output = try await harness.succeed([
                "settings", "set", "--date-template", "M/D/YA", "--time-zone", "Pacific Standard/Daylight Time",
                "--olson-time-zone", "America/Los_Angeles", "--ntp-server", "192.0.2.1", "--ntp-server",
                "ntp.example.net", "--user-locale", "English_United_States", "--network-locale", "United_States",
            ])
            #expect(output.contains("M/D/YA"), "\(output)")
            #expect(output.contains("192.0.2.1,ntp.example.net"), "\(output)")
            var settings = try await harness.store.settings()
            #expect(settings.dateTemplate == "M/D/YA")
            #expect(settings.timeZone == "Pacific Standard/Daylight Time")
            #expect(settings.olsonTimeZone == "America/Los_Angeles")
            #expect(settings.ntpServers == ["192.0.2.1", "ntp.example.net"])
            #expect(settings.userLocale == "English_United_States")
            #expect(settings.networkLocale == "United_States")

            _ = try await harness.succeed(["settings", "set", "--no-ntp-servers", "--olson-time-zone", ""])
            settings = try await harness.store.settings()
            #expect(settings.ntpServers.isEmpty)
            #expect(settings.olsonTimeZone == nil)
            #expect(settings.dateTemplate == "M/D/YA")

            let json = try await harness.succeed(["settings", "show", "--json"])
            let decoded = try AdminAPI.makeDecoder().decode(AdminAPI.Settings.self, from: Data(json.utf8))
            #expect(decoded.userLocale == "English_United_States")

            var error = try await harness.fail(["settings", "set", "--date-template", "DD/MM/YYYY"])
            #expect(error.contains("settings dateTemplate must be one of"), "\(error)")
            error = try await harness.fail(["settings", "set"])
            #expect(error.contains("nothing to change"), "\(error)")
        }
    }

    @Test func deviceLoads() async throws {
        try await CLIHarness.withServer { harness in
            _ = try await harness.succeed(["device", "add", "SEP001122334455", "--load", "SCCP41.9-4-2SR3-1S"])
            #expect(try await harness.store.device(named: "SEP001122334455")?.loadInformation == "SCCP41.9-4-2SR3-1S")
            let output = try await harness.succeed(["device", "show", "SEP001122334455"])
            #expect(output.contains("SCCP41.9-4-2SR3-1S"), "\(output)")
            _ = try await harness.succeed(["device", "update", "SEP001122334455", "--load", ""])
            #expect(try await harness.store.device(named: "SEP001122334455")?.loadInformation == nil)
            let error = try await harness.fail(["device", "update", "SEP001122334455", "--load", "SCCP 41"])
            #expect(error.contains("device loadInformation must be"), "\(error)")
        }
    }
}
