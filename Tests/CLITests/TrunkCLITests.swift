import Foundation
import Store
import Testing

/// `strowger trunk …` and `strowger route add --trunk` against a live admin API.
@Suite struct TrunkCLITests {
    @Test func trunksAreConfiguredFromTheCommandLine() async throws {
        try await CLIHarness.withServer { harness in
            var output = try await harness.succeed([
                "trunk", "add", "carrier", "--host", "sip.example.net:5070", "--transport", "tcp", "--register",
                "4930123:s3:cret", "--from-domain", "example.net", "--inbound-strip", "3", "--default-number", "1000",
            ])
            #expect(output == "Added trunk carrier: tcp://sip.example.net:5070\n")
            let stored = try #require(try await harness.store.trunk(named: "carrier"))
            #expect(stored.registrationUser == "4930123")
            #expect(stored.registrationPassword == "s3:cret")
            #expect(stored.inboundStrip == 3)

            output = try await harness.succeed(["trunk", "show", "carrier"])
            #expect(output.contains("Password:            set (not shown)"))
            #expect(!output.contains("s3:cret"))
            output = try await harness.succeed(["trunk", "list", "--json"])
            #expect(!output.contains("s3:cret"))
            #expect(output.contains("\"hasRegistrationPassword\" : true"))

            _ = try await harness.succeed(["trunk", "add", "pbx", "--host", "[2001:db8::5]"])
            #expect(try await harness.store.trunk(named: "pbx")?.host == "2001:db8::5")

            output = try await harness.succeed([
                "route", "add", "9.!", "--trunk", "carrier", "--strip-pre-dot", "--prefix", "+49",
            ])
            #expect(output.hasSuffix("9.! -> trunk carrier (strip pre-dot, prefix +49)\n"))
            var error = try await harness.fail(["trunk", "remove", "carrier"])
            #expect(error.contains("is the target of route pattern 9.!"))
            _ = try await harness.succeed(["route", "remove", "1"])
            _ = try await harness.succeed(["trunk", "update", "carrier", "--register", ""])
            #expect(try await harness.store.trunk(named: "carrier")?.registrationUser == nil)
            _ = try await harness.succeed(["trunk", "remove", "carrier"])
            #expect(try await harness.store.trunks().map(\.name) == ["pbx"])

            // The call limit: stored, shown beside the calls in progress, 0 back to the server's default, checked.
            _ = try await harness.succeed(["trunk", "update", "pbx", "--max-calls", "30"])
            #expect(try await harness.store.trunk(named: "pbx")?.maxCalls == 30)
            output = try await harness.succeed(["trunk", "show", "pbx"])
            #expect(output.contains(" of 30"), "\(output)")
            _ = try await harness.succeed(["trunk", "update", "pbx", "--max-calls", "0"])
            #expect(try await harness.store.trunk(named: "pbx")?.maxCalls == nil)
            output = try await harness.succeed(["trunk", "list"])
            #expect(output.contains(" of 200"), "\(output)")
            error = try await harness.fail(["trunk", "update", "pbx", "--max-calls", "5000"])
            #expect(error.contains("--max-calls must be 0-4096"))

            error = try await harness.fail(["trunk", "add", "x", "--host", "a:99999"])
            #expect(error.contains("the port must be 1-65535"))
            error = try await harness.fail(["trunk", "add", "x", "--host", "a", "--transport", "sctp"])
            #expect(error.contains("--transport must be udp, tcp or tls"))
            error = try await harness.fail(["trunk", "add", "x", "--host", "a", "--register", "nopassword"])
            #expect(error.contains("--register takes USER:PASSWORD"))
            error = try await harness.fail(["trunk", "add", "bad name", "--host", "a"])
            #expect(error.contains("trunk name"))
            error = try await harness.fail(["route", "add", "9!", "--trunk", "pbx", "--strip-pre-dot"])
            #expect(error.contains("--strip-pre-dot needs a '.'"))
            error = try await harness.fail(["route", "add", "8.!", "--trunk", "nowhere"])
            #expect(error.contains("no trunk named"))
        }
    }
}
