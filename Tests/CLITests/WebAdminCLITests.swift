import AdminHTTP
import Foundation
import Store
import Testing

/// `strowger admin add|list|password|remove` (web accounts) and `strowger export`, against a live admin server.
@Suite struct WebAdminCLITests {
    @Test func accountsAreManagedFromTheCommandLine() async throws {
        try await CLIHarness.withServer { harness in
            let added = try await harness.run(
                ["admin", "add", "carol", "--password-stdin"],
                input: Data("correct horse\n".utf8)
            )
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("Added carol"))
            let stored = try #require(try await harness.store.webAccount(named: "carol"))
            #expect(stored.passwordHash.hasPrefix("$scrypt$ln=15,r=8,p=3$"))

            let list = try await harness.succeed(["admin", "list"])
            #expect(list.contains("admin") && list.contains("built in") && list.contains("carol"))

            let again = try await harness.run(
                ["admin", "add", "Carol", "--password-stdin"],
                input: Data("another one\n".utf8)
            )
            #expect(again.status != 0)
            #expect(again.stderr.contains("an account named \"Carol\" already exists"))

            let short = try await harness.run(
                ["admin", "add", "dave", "--password-stdin"],
                input: Data("short\n".utf8)
            )
            #expect(short.stderr.contains("account password must be at least 8 characters"))

            let changed = try await harness.run(
                ["admin", "password", "carol", "--password-stdin"],
                input: Data("battery staple\n".utf8)
            )
            #expect(changed.status == 0, "\(changed.stderr)")
            #expect(try await harness.store.webAccount(named: "carol")?.passwordHash != stored.passwordHash)

            #expect(try await harness.succeed(["admin", "remove", "carol"]).contains("Removed carol"))
            #expect(try await harness.store.webAccounts().isEmpty)
            #expect(try await harness.fail(["admin", "remove", "carol"]).contains("no account named \"carol\""))
        }
    }

    @Test func exportWritesTheCSVThatImportReads() async throws {
        try await CLIHarness.withServer { harness in
            let csv =
                "DEVICE NAME,DESCRIPTION,DIRECTORY NUMBER 1,DISPLAY 1\nSEP0000000000C1,\"Desk, front\",3001,Carol\n"
            try await harness.store.apply(try DirectoryCSV.parse(csv).batch)
            let file = harness.dataDirectory.appendingPathComponent("out.csv")
            #expect(try await harness.succeed(["export", file.path]).contains("Exported to"))
            let written = try String(contentsOf: file, encoding: .utf8)
            #expect(written.contains("SEP0000000000C1,,\"Desk, front\",,3001,Carol,,,,2,2\r\n"))
            #expect(try await harness.succeed(["export"]) == written)
            let (batch, rows) = try DirectoryCSV.parse(written)
            #expect(rows == 1)
            #expect(batch.devices.first?.description == "Desk, front")
        }
    }
}
