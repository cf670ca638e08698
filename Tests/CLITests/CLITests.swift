import AdminHTTP
import CallControl
import Certificates
import Foundation
import Store
import StrowgerApp
import Testing

@Suite(.serialized) struct CLITests {
    @Test func showVersionActiveWithoutAServer() async throws {
        let result = try await CLIHarness.run([
            "show", "version", "active", "--server", "http://127.0.0.1:1", "--token", "none",
        ])
        #expect(result.status == 0)
        #expect(result.stdout == "Active Master Version: \(StrowgerVersion.current)\n")
    }

    @Test func showVersionActiveWithAServer() async throws {
        try await CLIHarness.withServer { harness in
            let output = try await harness.succeed(["show", "version", "active"])
            #expect(output.contains("Active Master Version: \(StrowgerVersion.current)"))
            #expect(output.contains("Running Server Version: \(CLIHarness.version)"))
        }
    }

    @Test func addPhonesAndLinesThenListThem() async throws {
        try await CLIHarness.withServer { harness in
            #expect(
                try await harness.succeed(["line", "add", "1001", "--name", "Alice"]) == "Added line 1001 (Alice)\n"
            )
            _ = try await harness.succeed(["line", "add", "1002", "--name", "Bob", "--max-calls", "4"])
            #expect(
                try await harness.succeed(["device", "add", "SEP001122334455", "--model", "7960", "--line", "1001"])
                    == "Added device SEP001122334455 with lines 1001\n"
            )
            _ = try await harness.succeed([
                "device", "add", "sep00112233aabb", "--model", "7970", "--line", "1002", "--speed-dial", "1:1001:Alice",
            ])

            let table = try await harness.succeed(["device", "list"])
            let rows = table.split(separator: "\n")
            #expect(rows.count == 4)
            #expect(rows[0].hasPrefix("Device"))
            #expect(rows[2].hasPrefix("SEP001122334455  7960"))
            #expect(rows[3].contains("SEP00112233AABB"))

            let json = try await harness.succeed(["device", "list", "--json"])
            let devices = try JSONDecoder().decode([AdminAPI.Device].self, from: Data(json.utf8))
            #expect(devices.map(\.lines) == [["1001"], ["1002"]])
            #expect(devices[1].speedDials.first?.label == "Alice")

            let lines = try await harness.succeed(["line", "list"])
            #expect(lines.contains("1001  Alice"))
            let show = try await harness.succeed(["line", "show", "1002"])
            #expect(show.contains("Max calls:"))
            #expect(show.contains("4 (busy at 2)"))

            let stored = try await harness.store.directory()
            #expect(stored.devices.count == 2)
        }
    }

    @Test func changeForwardsOwnersSpeedDialsAndRoutes() async throws {
        try await CLIHarness.withServer { harness in
            _ = try await harness.succeed(["line", "add", "1001"])
            _ = try await harness.succeed(["line", "add", "1002"])
            _ = try await harness.succeed(["device", "add", "SEP001122334455", "--line", "1001"])

            var output = try await harness.succeed(["line", "forward", "1001", "--all", "1002", "--busy", "1002"])
            #expect(output.contains("Forward all:       1002"))
            output = try await harness.succeed(["line", "forward", "1001", "--all", "none"])
            #expect(output.contains("Forward all:       -"))
            #expect(output.contains("Forward busy:      1002"))
            output = try await harness.succeed(["line", "forward", "1001", "--clear"])
            #expect(output.contains("Forward busy:      -"))
            #expect(try await harness.store.line(number: "1001")?.forwardBusy == nil)

            output = try await harness.succeed(["line", "update", "1001", "--new-number", "1005", "--name", "Alice"])
            #expect(output.contains("Line:              1005"))
            #expect(try await harness.store.directory().devices.values.first?.lines.map(\.rawValue) == ["1005"])

            _ = try await harness.succeed(["user", "add", "alice", "--display-name", "Alice Smith"])
            output = try await harness.succeed([
                "device", "update", "SEP001122334455", "--owner", "alice", "--line", "1005", "--line", "1002",
            ])
            #expect(output.contains("Owner:           alice"))
            #expect(output.contains("Lines:           1005,1002"))
            let users = try await harness.succeed(["user", "list"]).split(separator: "\n")
            #expect(users.count == 3)
            #expect(users[2].hasPrefix("alice  Alice Smith"))
            #expect(users[2].hasSuffix("voice         SEP001122334455"))

            #expect(
                try await harness.succeed(["speeddial", "add", "SEP001122334455", "3", "1002", "--label", "Bob"])
                    == "Speed dial 3 on SEP001122334455 dials 1002\n"
            )
            #expect(try await harness.succeed(["speeddial", "list", "SEP001122334455"]).contains("3      1002    Bob"))
            _ = try await harness.succeed(["speeddial", "remove", "SEP001122334455", "3"])
            #expect(
                try await harness.succeed(["speeddial", "list", "SEP001122334455"])
                    == "SEP001122334455 has no speed dials.\n"
            )

            output = try await harness.succeed(["route", "add", "9.1XXX", "--to", "1002", "--description", "outside"])
            #expect(output.hasPrefix("Added route 1: 9.1XXX -> 1002"))
            _ = try await harness.succeed(["route", "add", "900!", "--block"])
            output = try await harness.succeed(["route", "list"])
            #expect(output.contains("9.1XXX"))
            #expect(output.contains("blocked"))
            _ = try await harness.succeed(["route", "remove", "1"])
            #expect(try await harness.store.routePatterns().map(\.pattern) == ["900!"])

            _ = try await harness.succeed(["device", "remove", "SEP001122334455"])
            _ = try await harness.succeed(["line", "remove", "1002"])
            _ = try await harness.succeed(["user", "remove", "alice"])
            #expect(try await harness.succeed(["device", "list"]) == "No devices are configured.\n")
        }
    }

    @Test func badInputNamesTheFieldAndFails() async throws {
        try await CLIHarness.withServer { harness in
            var error = try await harness.fail(["line", "add", "10a1"])
            #expect(error.contains("line number must be 1 to 24 of 0-9"))
            error = try await harness.fail(["device", "add", "SEP0011"])
            #expect(error.contains("device name must be SEP followed by 12 hex digits"))
            error = try await harness.fail(["device", "add", "SEP001122334455", "--line", "1001"])
            #expect(error.contains("no line with number 1001"))
            error = try await harness.fail(["device", "show", "SEP001122334455"])
            #expect(error.contains("no device named"))
            error = try await harness.fail(["device", "add", "SEP001122334455", "--speed-dial", "x"])
            #expect(error.contains("--speed-dial must be INDEX:NUMBER"))
            error = try await harness.fail(["route", "add", "9X"])
            #expect(error.contains("--to NUMBER or --block"))

            // No token anywhere.
            let empty = harness.dataDirectory.appendingPathComponent("empty")
            let result = try await CLIHarness.run([
                "line", "list", "--server", harness.serverURL, "--data-dir", empty.path,
            ])
            #expect(result.status != 0)
            #expect(result.stderr.contains("no admin token"))
            // A wrong token.
            let wrong = try await CLIHarness.run(["line", "list", "--server", harness.serverURL, "--token", "nope"])
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("not valid"))
        }
        // No server.
        let result = try await CLIHarness.run(["line", "list", "--server", "http://127.0.0.1:1", "--token", "x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach"))
    }

    /// `--security-mode` and `--require-client-certificate` reach the Store; `cert issue` writes a certificate from
    /// the CA in the data directory and refuses bad names and a missing CA.
    @Test func deviceSecurityAndCertIssue() async throws {
        try await CLIHarness.withServer { harness in
            _ = try await harness.succeed(["device", "add", "SEP001122334455", "--security-mode", "encrypted"])
            var shown = try await harness.succeed(["device", "show", "SEP001122334455"])
            #expect(shown.contains("encrypted"), "\(shown)")
            var error = try await harness.fail(["device", "add", "SEP001122334466", "--security-mode", "paranoid"])
            #expect(error.contains("--security-mode must be one of non-secure, authenticated, encrypted"), "\(error)")
            error = try await harness.fail([
                "device", "update", "SEP001122334455", "--security-mode", "non-secure", "--require-client-certificate",
            ])
            #expect(error.contains("requiresClientCertificate needs securityMode"), "\(error)")
            _ = try await harness.succeed(["device", "update", "SEP001122334455", "--require-client-certificate"])
            shown = try await harness.succeed(["device", "show", "SEP001122334455"])
            #expect(shown.contains("required") && !shown.contains("not required"), "\(shown)")
            let stored = try #require(try await harness.store.device(named: "SEP001122334455"))
            #expect(stored.securityMode == .encrypted && stored.requiresClientCertificate)

            // cert issue: no CA yet (the server makes it on its first start), then with one.
            let output = harness.dataDirectory.appendingPathComponent("certs")
            let noCA = try await CLIHarness.run([
                "cert", "issue", "SEP001122334455", "--data-dir", harness.dataDirectory.path, "--output", output.path,
            ])
            #expect(noCA.status != 0)
            #expect(noCA.stderr.contains("no Strowger CA"), "\(noCA.stderr)")
            _ = try CertificateAuthority.loadOrCreate(
                in: harness.dataDirectory,
                configuration: .init(server: .init(makesRSACertificate: false))
            )
            let bad = try await CLIHarness.run(["cert", "issue", "SEP12", "--data-dir", harness.dataDirectory.path])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("'SEP12' is not a device name"), "\(bad.stderr)")
            let issued = try await CLIHarness.run([
                "cert", "issue", "sep001122334455", "--data-dir", harness.dataDirectory.path, "--output", output.path,
            ])
            #expect(issued.status == 0, "\(issued.stderr)")
            let certificate = output.appendingPathComponent("SEP001122334455-cert.pem").path
            #expect(FileManager.default.fileExists(atPath: certificate))
            let key = try FileManager.default.attributesOfItem(
                atPath: output.appendingPathComponent("SEP001122334455-key.pem").path
            )
            #expect((key[.posixPermissions] as? Int) == 0o600)
            let path = try await CLIHarness.run(["cert", "path", "--data-dir", harness.dataDirectory.path])
            #expect(path.stdout.contains("ca-cert.pem"))
        }
    }

    @Test func showStatusDevicesLinesAndCalls() async throws {
        try await CLIHarness.withServer { harness in
            _ = try await harness.succeed(["line", "add", "1001", "--name", "Alice"])
            _ = try await harness.succeed(["line", "add", "1002"])
            _ = try await harness.succeed(["device", "add", "SEP001122334455", "--line", "1001"])
            _ = try await harness.succeed(["device", "add", "SEP00112233AABB", "--line", "1002"])
            await harness.live.set(
                devices: [
                    AdminAPI.RegisteredDevice(
                        name: "SEP001122334455",
                        address: "127.0.0.1:50123",
                        model: "7960",
                        protocolVersion: 11,
                        lines: ["1001"],
                        activeCalls: 1
                    )
                ],
                calls: [
                    AdminAPI.ActiveCall(
                        caller: .init(device: "SEP001122334455", number: "1001", reference: 1, state: "ringingOut"),
                        callee: .init(device: "SEP00112233AABB", number: "1002", reference: 2, state: "ringingIn")
                    )
                ]
            )
            let status = try await harness.succeed(["show", "status"])
            #expect(status.contains("Version:            \(CLIHarness.version)"))
            #expect(status.contains("Registered devices: 1 of 2 configured"))
            #expect(status.contains("Active calls:       1"))

            let devices = try await harness.succeed(["show", "devices"])
            let rows = devices.split(separator: "\n")
            #expect(rows.count == 4)
            #expect(rows[2] == "SEP001122334455  registered    127.0.0.1:50123  7960   11        1001   1")
            #expect(rows[3] == "SEP00112233AABB  unregistered  -                -      -         1002   -")
            // The JSON says what the table says: both devices, registered or not.
            let json = try await harness.succeed(["show", "devices", "--json"])
            let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
            #expect(objects.map { $0["name"] as? String } == ["SEP001122334455", "SEP00112233AABB"])
            #expect(objects.first?["protocolVersion"] as? Int == 11)
            #expect(objects.last?["status"] as? String == "unregistered")

            let lines = try await harness.succeed(["show", "lines"])
            #expect(lines.contains("1001  Alice  SEP001122334455  SEP001122334455  1"))
            let calls = try await harness.succeed(["show", "calls"])
            // One row per leg, the caller's first (the call has no id: the live status gave none).
            #expect(calls.contains("-     SEP001122334455  1001    ringingOut"), "\(calls)")
            #expect(calls.contains("\n      SEP00112233AABB  1002    ringingIn"), "\(calls)")

            #expect(
                try await harness.succeed(["device", "reset", "SEP001122334455"]) == "Reset device SEP001122334455\n"
            )
            #expect(try await harness.succeed(["device", "reset", "SEP00112233AABB"]).contains("is not registered"))
        }
    }

    @Test func importACSVFile() async throws {
        try await CLIHarness.withServer { harness in
            let file = harness.dataDirectory.appendingPathComponent("phones.csv")
            try """
            DEVICE NAME,MODEL,DIRECTORY NUMBER 1,DISPLAY 1,SPEED DIAL NUMBER 1,SPEED DIAL LABEL 1
            SEP001122334455,7960,1001,Alice,1002,Bob
            SEP00112233AABB,7960,1002,Bob,1001,Alice

            """.write(to: file, atomically: true, encoding: .utf8)
            let output = try await harness.succeed(["import", file.path])
            #expect(output.contains("2 rows"))
            #expect(output.contains("lines 2 added"))
            #expect(output.contains("devices 2 added"))
            #expect(try await harness.store.devices().count == 2)

            let bad = harness.dataDirectory.appendingPathComponent("bad.csv")
            try """
            DEVICE NAME,DIRECTORY NUMBER 1,DISPLAY 1
            SEP0000000000AA,2001,Carol
            SEP0000000000BB,2002,Dan
            SEP0000000000CC,20x3,Eve

            """.write(to: bad, atomically: true, encoding: .utf8)
            let error = try await harness.fail(["import", bad.path])
            #expect(error.contains("bad.csv: CSV line 4: DIRECTORY NUMBER 1"))
            #expect(error.contains("nothing was imported"))
            #expect(try await harness.store.devices().count == 2)
            #expect(try await harness.store.line(number: "2001") == nil)

            let missing = try await harness.fail([
                "import", harness.dataDirectory.appendingPathComponent("nope.csv").path,
            ])
            #expect(missing.contains("cannot read"))
        }
    }

    @Test func readCallDetailRecords() async throws {
        try await CLIHarness.withServer { harness in
            let setup = Date(timeIntervalSince1970: 1_767_261_600)  // 2026-01-01T10:00:00Z
            try await harness.store.insert(
                CallDetailRecord(
                    callingDevice: "SEP001122334455",
                    callingNumber: "1001",
                    callingReference: 1,
                    dialedNumber: "1002",
                    calledNumber: "1002",
                    calledDevice: "SEP00112233AABB",
                    calledReference: 2,
                    setupTime: setup,
                    answerTime: setup.addingTimeInterval(3),
                    endTime: setup.addingTimeInterval(45.5),
                    endCause: .normalClearing,
                    releasedBy: .callee,
                    codec: .g711ulaw
                )
            )
            let table = try await harness.succeed(["cdr", "list", "--number", "1002"])
            #expect(
                table.contains(
                    "2026-01-01 10:00:00  1001  SEP001122334455  1002    1002  SEP00112233AABB  42.5 s    normalClearing  callee"
                )
            )
            #expect(try await harness.succeed(["cdr", "list", "--number", "1003"]) == "No call records match.\n")
            let json = try await harness.succeed(["cdr", "list", "--from", "2026-01-01", "--json"])
            #expect(json.contains("\"endCause\" : \"normalClearing\""))
            let error = try await harness.fail(["cdr", "list", "--from", "yesterday"])
            #expect(error.contains("from must be an ISO 8601 date"))
        }
    }
}
