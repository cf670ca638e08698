import AdminHTTP
import CallControl
import Foundation
import Store
import Testing

/// Issue 17 from the command line: `strowger softkeys` and `device update --softkey-template`, run as the built
/// binary against a live admin API.
@Suite(.serialized) struct SoftkeysCLITests {
    @Test func templatesAreSetShownNamedAndRemoved() async throws {
        try await CLIHarness.withServer { harness in
            try await harness.store.save(DeviceRecord(name: "SEP000000004001"), lines: [], speedDials: nil)
            var output = try await harness.succeed([
                "softkeys", "set", "Lobby", "--state", "onHook=Redial, NewCall", "--state", "connected=EndCall,hold",
            ])
            #expect(output == "Saved softkey template Lobby\n")
            let stored = try #require(try await harness.store.softkeyTemplate(named: "lobby"))
            #expect(try stored.template().sets == [.onHook: [.redial, .newCall], .connected: [.endCall, .hold]])

            output = try await harness.succeed(["device", "update", "SEP000000004001", "--softkey-template", "lobby"])
            #expect(try await harness.store.device(named: "SEP000000004001")?.softkeyTemplate == "Lobby")
            let directory = try await harness.store.directory()
            #expect(directory.devices[DeviceName("SEP000000004001")]?.softkeys?.sets[.connected] == [.endCall, .hold])

            output = try await harness.succeed(["softkeys", "show", "Lobby"])
            #expect(output.contains("connected") && output.contains("EndCall Hold"))
            #expect(output.contains("onHold") && output.contains("(Standard User's)"))
            #expect(output.contains("SEP000000004001"))
            output = try await harness.succeed(["softkeys", "list"])
            #expect(output.contains("Standard User (built in)") && output.contains("Lobby"))

            // In use: refused, and the message names the device.
            output = try await harness.fail(["softkeys", "remove", "Lobby"])
            #expect(output.contains("SEP000000004001"))
            _ = try await harness.succeed(["device", "update", "SEP000000004001", "--softkey-template", ""])
            output = try await harness.succeed(["softkeys", "remove", "Lobby"])
            #expect(output == "Removed softkey template Lobby\n")
            #expect(try await harness.store.softkeyTemplates().isEmpty)
        }
    }

    @Test func badArgumentsSayWhatWasWrong() async throws {
        try await CLIHarness.withServer { harness in
            var output = try await harness.fail(["softkeys", "set", "Lobby", "--state", "onHook=Redial,CFwdAll"])
            #expect(output.contains("no softkey 'CFwdAll'"))
            output = try await harness.fail(["softkeys", "set", "Lobby", "--state", "talking=Hold"])
            #expect(output.contains("no call state 'talking'"))
            output = try await harness.fail(["softkeys", "set", "Standard User", "--state", "onHook=Redial"])
            #expect(output.contains("cannot be changed"))
            try await harness.store.save(DeviceRecord(name: "SEP000000004001"), lines: [], speedDials: nil)
            output = try await harness.fail(["device", "update", "SEP000000004001", "--softkey-template", "Nope"])
            #expect(output.contains("no softkey template named \"Nope\""))
        }
    }
}
