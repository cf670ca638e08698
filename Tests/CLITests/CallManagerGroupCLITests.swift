import AdminHTTP
import Foundation
import Store
import Testing

/// `strowger cmgroup list|show|set|delete` and `strowger device … --callmanager-group`, run as the built binary
/// against a live admin API.
@Suite(.serialized) struct CallManagerGroupCLITests {
    @Test func setShowListAndDeleteGroups() async throws {
        try await CLIHarness.withServer { harness in
            #expect(
                try await harness.succeed(["cmgroup", "list"])
                    == "No CallManager groups are configured: phones get the server's own nodes.\n"
            )
            var output = try await harness.succeed([
                "cmgroup", "set", "Berlin", "192.0.2.10", "[2001:db8::11]:2001:2444", "cm3.example.net:12000",
            ])
            #expect(output.contains("Primary:"), "\(output)")
            #expect(output.contains("192.0.2.10:2000:2443"))
            #expect(output.contains("[2001:db8::11]:2001:2444"))
            #expect(output.contains("cm3.example.net:12000:2443"))
            #expect(
                try await harness.store.callManagerGroup(named: "Berlin")?.members == [
                    .init(host: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                    .init(host: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
                    .init(host: "cm3.example.net", sccpPort: 12000, sccpsPort: 2443),
                ]
            )

            _ = try await harness.succeed(["device", "add", "SEP001122334455", "--callmanager-group", "Berlin"])
            output = try await harness.succeed(["device", "show", "SEP001122334455"])
            #expect(output.contains("Berlin"), "\(output)")
            output = try await harness.succeed(["cmgroup", "show", "berlin"])
            #expect(output.contains("SEP001122334455"), "\(output)")
            output = try await harness.succeed(["cmgroup", "list"])
            #expect(output.contains("Berlin"))
            #expect(output.contains("192.0.2.10:2000:2443, [2001:db8::11]:2001:2444, cm3.example.net:12000:2443"))
            let json = try await harness.succeed(["cmgroup", "show", "Berlin", "--json"])
            let group = try AdminAPI.makeDecoder().decode(AdminAPI.CallManagerGroup.self, from: Data(json.utf8))
            #expect(group.devices == ["SEP001122334455"])

            // Set again: the members are replaced.
            _ = try await harness.succeed(["cmgroup", "set", "Berlin", "192.0.2.20:2000:2443"])
            #expect(
                try await harness.store.callManagerGroup(named: "Berlin")?.members == [
                    .init(host: "192.0.2.20", sccpPort: 2000, sccpsPort: 2443)
                ]
            )

            // In use: refused with the count; free it, then it goes.
            var error = try await harness.fail(["cmgroup", "delete", "Berlin"])
            #expect(error.contains("is used by 1 device (SEP001122334455)"), "\(error)")
            _ = try await harness.succeed(["device", "update", "SEP001122334455", "--callmanager-group", ""])
            #expect(try await harness.store.device(named: "SEP001122334455")?.callManagerGroup == nil)
            #expect(try await harness.succeed(["cmgroup", "delete", "Berlin"]) == "Deleted CallManager group Berlin\n")

            // Bad input names what is wrong.
            error = try await harness.fail(["cmgroup", "set", "Berlin"])
            #expect(error.contains("give one to three members"), "\(error)")
            error = try await harness.fail(["cmgroup", "set", "Berlin", "a", "b", "c", "d"])
            #expect(error.contains("give one to three members"), "\(error)")
            error = try await harness.fail(["cmgroup", "set", "Berlin", "host:0"])
            #expect(error.contains("'0' is not a port between 1 and 65535"), "\(error)")
            error = try await harness.fail(["cmgroup", "set", "a/b", "host"])
            #expect(error.contains("callManagerGroup name must be letters, digits"), "\(error)")
            error = try await harness.fail(["cmgroup", "set", "Berlin", "host:2443:2443"])
            #expect(error.contains("sccpsPort must differ from its sccpPort"), "\(error)")
            error = try await harness.fail(["cmgroup", "show", "Nowhere"])
            #expect(error.contains("no CallManager group named \"Nowhere\""), "\(error)")
            error = try await harness.fail(["device", "add", "SEP001122334466", "--callmanager-group", "Nowhere"])
            #expect(error.contains("no CallManager group named \"Nowhere\""), "\(error)")
        }
    }
}
