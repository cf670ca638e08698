import AdminHTTP
import Foundation
import Logging
import Store
import StrowgerApp
import Testing

/// `strowger presence show|set` and `strowger user update --presence-visibility` against a whole running server
/// (presence lives in the CallControl host, which the admin-only harness does not have).
@Suite(.serialized) struct PresenceCLITests {
    @Test func setAndShowPresenceAndHideAUser() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-cli-presence-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path
        configuration.bindAddress = "127.0.0.1"
        configuration.adminBindAddress = "127.0.0.1"
        configuration.sccpPort = 0
        configuration.sccpsPort = 0
        configuration.adminPort = 0
        configuration.tftpPort = 0
        configuration.clusterPort = 0
        let application = try await StrowgerApplication(configuration: configuration, logger: CLIHarness.logger)
        let run = Task { try await application.run(gracefulShutdownSignals: []) }
        defer { run.cancel() }
        let port = try await application.adminServer.boundPort()
        let connection = ["--server", "http://127.0.0.1:\(port)", "--data-dir", directory.path]
        func strowger(_ arguments: [String]) async throws -> CLIResult {
            try await CLIHarness.run(arguments + connection)
        }

        #expect(try await strowger(["user", "add", "alice"]).status == 0)
        #expect(try await strowger(["user", "add", "bob"]).status == 0)
        // The Store's change reaches presence a moment after the write.
        var set = try await strowger(["presence", "set", "alice", "away", "--note", "back at 3"])
        for _ in 0..<100 where set.status != 0 {
            try await Task.sleep(for: .milliseconds(50))
            set = try await strowger(["presence", "set", "alice", "away", "--note", "back at 3"])
        }
        #expect(set.status == 0, "\(set.stderr)")
        // No phone: offline, with the status she set.
        #expect(set.stdout == "alice is offline\n")
        let table = try await strowger(["presence", "show"])
        #expect(table.stdout.contains("alice"))
        #expect(table.stdout.contains("back at 3"))
        let json = try await strowger(["presence", "show", "alice", "--json"])
        let alice = try AdminAPI.makeDecoder().decode(AdminAPI.Presence.self, from: Data(json.stdout.utf8))
        #expect(alice.status == "away" && alice.note == "back at 3")

        let bad = try await strowger(["presence", "set", "alice", "asleep"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("presence status must be available, away, busy or dnd"))

        #expect(try await strowger(["user", "update", "alice", "--presence-visibility", "nobody"]).status == 0)
        func aliceAsBob() async throws -> AdminAPI.Presence {
            let shown = try await strowger(["presence", "show", "alice", "--as", "bob", "--json"])
            return try AdminAPI.makeDecoder().decode(AdminAPI.Presence.self, from: Data(shown.stdout.utf8))
        }
        var seen = try await aliceAsBob()
        for _ in 0..<100 where seen.visible {
            try await Task.sleep(for: .milliseconds(50))
            seen = try await aliceAsBob()
        }
        #expect(seen == .hidden("alice"))
    }
}
