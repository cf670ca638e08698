import AdminHTTP
import CallControl
import Foundation
import NIOCore
import NIOPosix
import Store
import StrowgerApp
import Testing
import ToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13's attacks on a real `strowger serve`, and the CLI commands it added, scaled down to seconds.
@Suite(.serialized) struct HardeningServeTests {
    static func newDataDirectory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Defect 3: 20,000 idle connections to the admin port, no token needed, used up the process's descriptors and
    /// SCCP, TFTP and HTTP stopped. Scaled down: a server with 512 descriptors, 600 idle admin connections. The
    /// admin port takes only its share; phones register and call, TFTP and HTTP serve.
    @Test func idleAdminConnectionsDoNotStopThePhones() async throws {
        let directory = try Self.newDataDirectory("fds")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeProcess.start(dataDirectory: directory, prefix: ["prlimit", "--nofile=512:512"])
        let adminPort = try #require(Int(server.adminURL.split(separator: ":").last ?? ""))
        let held = try await IdleConnections.open(600, port: adminPort)
        #expect(held.count > 100, "the kernel completes connections into the backlog")

        let call = try await CLIHarness.run([
            "simulate", "call", "--caller", "SEP0000000000E1", "--callee", "SEP0000000000E2", "--sccp-port",
            "\(server.sccpPort)", "--talk", "1",
        ])
        #expect(call.status == 0, "\(call.stdout) \(call.stderr)")
        #expect(call.stdout.contains("hung up after 1 s"))
        let tftp = try #require(server.bannerPort(after: "TFTP on UDP 127.0.0.1:"))
        let http = try #require(server.bannerPort(after: "HTTP provisioning on 127.0.0.1:"))
        let viaTFTP = try await ToolProcess.run(
            [
                "curl", "--silent", "--max-time", "10", "--output", "/dev/null",
                "tftp://127.0.0.1:\(tftp)/XMLDefault.cnf.xml",
            ]
        )
        #expect(viaTFTP.status == 0)
        let viaHTTP = try await ToolProcess.run(
            [
                "curl", "--silent", "--max-time", "10", "--output", "/dev/null", "--write-out", "%{http_code}",
                "http://127.0.0.1:\(http)/XMLDefault.cnf.xml",
            ]
        )
        #expect(viaHTTP.standardOutputText == "200")
        for channel in held { channel.close(promise: nil) }
        #expect(await server.stop(signal: SIGTERM) == 0)
    }

    /// Defect 5: 16 MiB of newlines made one import peak at 1.4 GiB (three at once 2.7 GiB), 16 MiB of commas at
    /// 0.5 GiB. Now the body is parsed as it arrives: the server's peak memory hardly moves.
    @Test func hostileImportsDoNotBloatTheServer() async throws {
        let directory = try Self.newDataDirectory("csv")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeProcess.start(dataDirectory: directory)
        let token = try #require(try AdminTokenFile.read(from: directory))
        let newlines = FileManager.default.temporaryDirectory.appendingPathComponent("newlines-\(UUID()).csv")
        let commas = FileManager.default.temporaryDirectory.appendingPathComponent("commas-\(UUID()).csv")
        defer {
            try? FileManager.default.removeItem(at: newlines)
            try? FileManager.default.removeItem(at: commas)
        }
        try Data(repeating: UInt8(ascii: "\n"), count: 16 << 20 - 1).write(to: newlines)
        try (Data("DEVICE NAME,MODEL\n".utf8) + Data(repeating: UInt8(ascii: ","), count: 16 << 20 - 64)).write(
            to: commas
        )
        let before = try Self.peakResidentMiB(server.tool.pid)

        func post(_ file: URL) async throws -> String {
            try await ToolProcess.run([
                "curl", "--silent", "--max-time", "60", "--output", "/dev/null", "--write-out", "%{http_code}",
                "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: text/csv", "--data-binary",
                "@\(file.path)", "\(server.adminURL)/api/import",
            ]).standardOutputText
        }
        #expect(try await post(newlines) == "400")
        #expect(try await post(commas) == "400")
        let parallel = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<3 { group.addTask { try await post(newlines) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(parallel.allSatisfy { $0 == "400" || $0 == "409" }, "\(parallel)")
        let after = try Self.peakResidentMiB(server.tool.pid)
        #expect(after - before < 200, "peak RSS grew from \(before) to \(after) MiB")
        #expect(await server.stop(signal: SIGTERM) == 0)
    }

    /// Defects 10 and 11 through the CLI: the files are private, a backup is a consistent copy taken while the server
    /// runs, restore refuses a running server and brings the copy back once it is stopped.
    @Test func backupAndRestore() async throws {
        let directory = try Self.newDataDirectory("backup")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeProcess.start(dataDirectory: directory)
        for command in [["line", "add", "1001"], ["device", "add", "SEP0000000000A1", "--line", "1001"]] {
            let result = try await server.cli(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(try HardeningCLITests.mode(directory) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            #expect(try HardeningCLITests.mode(directory.appendingPathComponent(name)) == 0o600, "\(name)")
        }

        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-\(UUID()).backup")
        defer { try? FileManager.default.removeItem(at: backup) }
        let made = try await server.cli(["backup", backup.path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("1 devices"))
        #expect(try HardeningCLITests.mode(backup) == 0o600)
        #expect(try await server.cli(["backup", backup.path]).status != 0)

        _ = try await server.cli(["device", "add", "SEP0000000000B2", "--line", "1001"])
        let refused = try await CLIHarness.run(["restore", backup.path, "--data-dir", directory.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("stop it before you restore a backup"), "\(refused.stderr)")
        #expect(await server.stop(signal: SIGTERM) == 0)

        let restored = try await CLIHarness.run(["restore", backup.path, "--data-dir", directory.path])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("kept as"))
        let again = try await ServeProcess.start(dataDirectory: directory)
        let devices = try await again.cli(["device", "list", "--json"])
        let list = try JSONDecoder().decode([AdminAPI.Device].self, from: Data(devices.stdout.utf8))
        #expect(list.map(\.name) == ["SEP0000000000A1"])
        #expect(await again.stop(signal: SIGTERM) == 0)
    }

    /// The cluster port has its option, like every other service: two servers on one host, each on its own.
    @Test func twoServersRunSideBySideOnTheirOwnClusterPorts() async throws {
        let first = try Self.newDataDirectory("cluster-a")
        let second = try Self.newDataDirectory("cluster-b")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let ports = try Self.freeUDPPorts(2)
        let a = try await ServeProcess.start(dataDirectory: first, arguments: ["--cluster-port", "\(ports[0])"])
        let b = try await ServeProcess.start(dataDirectory: second, arguments: ["--cluster-port", "\(ports[1])"])
        #expect(a.printed.contains("Cluster on UDP port \(ports[0])"))
        #expect(b.printed.contains("Cluster on UDP port \(ports[1])"))
        #expect(await a.stop(signal: SIGTERM) == 0)
        #expect(await b.stop(signal: SIGTERM) == 0)
    }

    /// Peak resident memory (VmHWM) of a process, in MiB.
    static func peakResidentMiB(_ pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            return (kilobytes ?? 0) / 1024
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    static func freeUDPPorts(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        var channels: [any Channel] = []
        for _ in 0..<count {
            let channel = try DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).wait()
            ports.append(channel.localAddress?.port ?? 0)
            channels.append(channel)
        }
        for channel in channels { try channel.close().wait() }
        return ports
    }
}

/// Idle TCP connections held open.
enum IdleConnections {
    /// Opens up to `count` connections to `port` at once, each given 2 s to connect; those that connected.
    static func open(_ count: Int, port: Int) async throws -> [any Channel] {
        try await withThrowingTaskGroup(of: (any Channel)?.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .connectTimeout(.seconds(2))
                        .connect(host: "127.0.0.1", port: port)
                        .get()
                }
            }
            return try await group.reduce(into: []) { held, channel in
                if let channel { held.append(channel) }
            }
        }
    }
}

/// The CLI's side of issue 13: canonical names, `show devices --json`, the token's sources, prune.
@Suite struct HardeningCLITests {
    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    @Test func namesAreCanonicalInTheCLIAndTheImport() async throws {
        try await CLIHarness.withServer { harness in
            #expect(try await harness.succeed(["device", "add", "sep00aabbccddee"]).contains("SEP00AABBCCDDEE"))
            let csv = harness.dataDirectory.appendingPathComponent("phones.csv")
            try "MAC ADDRESS,MODEL\n00aabbccddff,7960\n".write(to: csv, atomically: true, encoding: .utf8)
            _ = try await harness.succeed(["import", csv.path])
            #expect(try await harness.store.devices().map(\.name) == ["SEP00AABBCCDDEE", "SEP00AABBCCDDFF"])
            #expect(try await harness.succeed(["device", "show", "Sep00aabbccddff"]).contains("SEP00AABBCCDDFF"))
            #expect(try await harness.succeed(["device", "remove", "sep00aabbccddff"]).contains("SEP00AABBCCDDFF"))
        }
    }

    /// `show devices --json` printed `[]` while the table listed the unregistered devices; both now say the same.
    @Test func showDevicesJSONSaysWhatTheTableSays() async throws {
        try await CLIHarness.withServer { harness in
            _ = try await harness.succeed(["line", "add", "1001"])
            _ = try await harness.succeed(["device", "add", "SEP0000000000A1", "--model", "7960", "--line", "1001"])
            _ = try await harness.succeed(["device", "add", "SEP0000000000B2"])
            await harness.live.set(
                devices: [
                    AdminAPI.RegisteredDevice(
                        name: "SEP0000000000B2",
                        address: "192.0.2.7:51000",
                        model: "7970",
                        protocolVersion: 17
                    )
                ],
                calls: []
            )
            let json = try await harness.succeed(["show", "devices", "--json"])
            let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
            #expect(rows.map { $0["name"] as? String } == ["SEP0000000000A1", "SEP0000000000B2"])
            #expect(rows.map { $0["status"] as? String } == ["unregistered", "registered"])
            #expect(rows.first?["model"] as? String == "7960")
            #expect(rows.last?["address"] as? String == "192.0.2.7:51000")
            let table = try await harness.succeed(["show", "devices"])
            #expect(table.contains("SEP0000000000A1  unregistered"))
            #expect(table.contains("SEP0000000000B2  registered"))
        }
    }

    /// Defect 10: `--token` shows in the process list. It still works, with a warning; `STROWGER_TOKEN` and
    /// `--token-file` work without one.
    @Test func theTokenComesFromTheEnvironmentOrAFile() async throws {
        try await CLIHarness.withServer { harness in
            let token = try #require(try AdminTokenFile.read(from: harness.dataDirectory))
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("nowhere-\(UUID())").path
            let binary = try CLIHarness.binary().path
            let onCommandLine = try await ToolProcess.run(
                [binary, "show", "status", "--server", harness.serverURL, "--data-dir", elsewhere, "--token", token],
                environment: ["STROWGER_TOKEN": nil]
            )
            #expect(onCommandLine.status == 0)
            #expect(
                onCommandLine.standardErrorText.contains("warning: --token puts the admin token in the process list")
            )
            let fromEnvironment = try await ToolProcess.run(
                [binary, "show", "status", "--server", harness.serverURL, "--data-dir", elsewhere],
                environment: ["STROWGER_TOKEN": token]
            )
            #expect(fromEnvironment.status == 0, "\(fromEnvironment.standardErrorText)")
            #expect(!fromEnvironment.standardErrorText.contains("warning"))
            let file = harness.dataDirectory.appendingPathComponent("copy-of-token")
            try (token + "\n").write(to: file, atomically: true, encoding: .utf8)
            let fromFile = try await ToolProcess.run(
                [
                    binary, "show", "status", "--server", harness.serverURL, "--data-dir", elsewhere, "--token-file",
                    file.path,
                ],
                environment: ["STROWGER_TOKEN": nil]
            )
            #expect(fromFile.status == 0, "\(fromFile.standardErrorText)")
        }
    }

    /// `strowger device prune --auto-registered --unused-for 30d` gives the numbers of long-gone auto-registered
    /// phones back.
    @Test func pruneRemovesLongUnusedAutoRegistrations() async throws {
        try await CLIHarness.withServer { harness in
            let old = Date().addingTimeInterval(-40 * 86_400)
            try await harness.store.recordAutoRegistration(device: "SEP0000000000C1", number: "1000", now: old)
            try await harness.store.recordAutoRegistration(device: "SEP0000000000C2", number: "1001", now: old)
            try await harness.store.recordAutoRegistration(device: "SEP0000000000C3", number: "1002")
            #expect(try await harness.fail(["device", "prune", "--unused-for", "30d"]).contains("--auto-registered"))
            let dry = try await harness.succeed([
                "device", "prune", "--auto-registered", "--unused-for", "30d", "--dry-run",
            ])
            #expect(dry.contains("Would remove 2 phones"))
            #expect(try await harness.store.devices().count == 3)
            let pruned = try await harness.succeed(["device", "prune", "--auto-registered", "--unused-for", "30d"])
            #expect(pruned.contains("Removed 2 phones: SEP0000000000C1, SEP0000000000C2"))
            #expect(pruned.contains("Removed 2 lines: 1000, 1001"))
            #expect(try await harness.store.devices().map(\.name) == ["SEP0000000000C3"])
            let shown = try await harness.succeed(["device", "show", "SEP0000000000C3"])
            #expect(shown.contains("Last registered"))
        }
    }
}
