import AdminHTTP
import Foundation
import Store
import Testing
import ToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real `strowger serve` process on loopback with free ports, started from the built binary.
final class ServeProcess: Sendable {
    let tool: RunningTool
    let adminURL: String
    let sccpPort: Int
    let dataDirectory: URL
    /// Where the server's standard output and error go.
    let output: URL
    /// The HTTP provisioning port, from the banner (0 if it was not found).
    let httpPort: Int

    private init(tool: RunningTool, adminURL: String, sccpPort: Int, dataDirectory: URL, output: URL, httpPort: Int) {
        self.tool = tool
        self.adminURL = adminURL
        self.sccpPort = sccpPort
        self.dataDirectory = dataDirectory
        self.output = output
        self.httpPort = httpPort
    }

    /// What the server printed so far.
    var printed: String { (try? String(contentsOf: self.output, encoding: .utf8)) ?? "" }

    /// The port the banner names after `label` (e.g. "TFTP on UDP 127.0.0.1:"), or nil.
    func bannerPort(after label: String) -> Int? {
        let text = self.printed
        guard let range = text.range(of: label) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// Starts the server and waits for the line that names the admin API's port.
    ///
    /// - Parameters:
    ///   - prefix: a command the server runs under, e.g. `prlimit --nofile=512:512`.
    ///   - arguments: more `serve` options.
    static func start(
        dataDirectory: URL,
        prefix: [String] = [],
        arguments: [String] = []
    ) async throws -> ServeProcess {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).out")
        let clusterPort = arguments.contains("--cluster-port") ? [] : ["--cluster-port", "0"]
        // A restarted node keeps its SCCP port (its phones' lists name it).
        let sccpPort = arguments.contains("--sccp-port") ? [] : ["--sccp-port", "0"]
        let tool = try ToolProcess.start(
            prefix + [
                try CLIHarness.binary().path, "serve", "--data-dir", dataDirectory.path, "--bind", "127.0.0.1",
                "--admin-port", "0", "--sccps-port", "0", "--tftp-port", "0", "--http-port", "0",
                "--sip-port", "0", "--sips-port", "0", "--log-level", "warning",
            ] + sccpPort + clusterPort + arguments,
            standardOutput: .file(output),
            standardError: .standardOutput
        )

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while clock.now < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            let scheme = arguments.contains("--admin-tls") ? "https" : "http"
            if let admin = text.range(of: "admin API on \(scheme)://127.0.0.1:"),
                let sccp = text.range(of: "SCCP on 127.0.0.1:")
            {
                let adminPort = text[admin.upperBound...].prefix { $0.isNumber }
                let sccpPort = Int(text[sccp.upperBound...].prefix { $0.isNumber }) ?? 0
                if !adminPort.isEmpty, sccpPort > 0 {
                    let http = text.range(of: "HTTP provisioning on 127.0.0.1:")
                    return ServeProcess(
                        tool: tool,
                        adminURL: "\(scheme)://127.0.0.1:\(adminPort)",
                        sccpPort: sccpPort,
                        dataDirectory: dataDirectory,
                        output: output,
                        httpPort: http.flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) } ?? 0
                    )
                }
            }
            if !tool.isRunning {
                throw ServeFailure(description: "strowger serve exited: \(text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        tool.signal(SIGTERM)
        throw ServeFailure(description: "strowger serve did not print its admin port within 60 s")
    }

    /// Sends `signal` and waits for the process to exit; its exit status (or signal number).
    @discardableResult
    func stop(signal: Int32) async -> Int32 {
        self.tool.signal(signal)
        return await self.tool.waitForExit().status
    }

    /// Runs a CLI command against this server with the token from its data directory.
    func cli(_ arguments: [String]) async throws -> CLIResult {
        try await CLIHarness.run(arguments + ["--server", adminURL, "--data-dir", dataDirectory.path])
    }

    struct ServeFailure: Error, CustomStringConvertible {
        let description: String
    }
}

@Suite(.serialized) struct ServeProcessTests {
    /// `--admin-tls`: the API and the web pages over HTTPS with the certificate Strowger made for SCCPS, which curl
    /// and the CLI verify against the Strowger CA; the session cookies are `Secure`; plain HTTP gets no answer.
    @Test func theAdminPortServesHTTPSWithTheStrowgerCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-admin-tls-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeProcess.start(dataDirectory: directory, arguments: ["--admin-tls"])
        do {
            try await Self.checkHTTPS(server, directory)
        } catch {
            await server.stop(signal: SIGTERM)
            throw error
        }
        #expect(await server.stop(signal: SIGTERM) == 0)
    }

    static func checkHTTPS(_ server: ServeProcess, _ directory: URL) async throws {
        let authority = directory.appendingPathComponent("ca-cert.pem").path
        let port = server.adminURL.split(separator: ":").last.map(String.init) ?? ""

        let health = try await ToolProcess.run(["curl", "-sS", "--cacert", authority, "\(server.adminURL)/health"])
        #expect(health.status == 0, "\(health.standardErrorText)")
        #expect(health.standardOutputText == #"{"status":"ok"}"#)
        let page = try await ToolProcess.run([
            "curl", "-sS", "-D", "-", "-o", "/dev/null", "--cacert", authority, "https://localhost:\(port)/web/signin",
        ])
        #expect(page.standardOutputText.contains("HTTP/1.1 200"), "\(page.standardOutputText)")
        #expect(page.standardOutputText.contains("HttpOnly; SameSite=Strict; Secure"))
        let plain = try await ToolProcess.run(["curl", "-sS", "--max-time", "5", "http://127.0.0.1:\(port)/health"])
        #expect(plain.status != 0, "plain HTTP was answered: \(plain.standardOutputText)")

        let status = try await server.cli(["show", "status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Active calls:"))
        let untrusted = try await CLIHarness.run([
            "show", "status", "--server", server.adminURL, "--data-dir", directory.path, "--ca-file", "/dev/null",
        ])
        #expect(untrusted.status != 0, "the CLI trusted a server it has no CA for")
    }

    @Test func acknowledgedWritesSurviveAKill9AndARestart() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-serve-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dataDirectory) }

        // First start: the admin token file is created, readable by its owner only.
        let first = try await ServeProcess.start(dataDirectory: dataDirectory)
        let tokenFile = AdminTokenFile.url(in: dataDirectory)
        let permissions = try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions]
        #expect((permissions as? NSNumber)?.intValue == 0o600)
        let token = try AdminTokenFile.read(from: dataDirectory)

        let csv = dataDirectory.appendingPathComponent("phones.csv")
        try """
        DEVICE NAME,MODEL,DIRECTORY NUMBER 1,DISPLAY 1,SPEED DIAL NUMBER 1,SPEED DIAL LABEL 1
        SEP0000000000A1,7960,5001,Alice,5002,Bob
        SEP0000000000B2,7940,5002,Bob,5001,Alice

        """.write(to: csv, atomically: true, encoding: .utf8)
        for command in [
            ["line", "add", "5003", "--name", "Carol"],
            ["device", "add", "SEP0000000000C3", "--model", "7970", "--line", "5003"],
            ["import", csv.path],
            ["line", "forward", "5001", "--all", "5003"],
            ["route", "add", "9.5XXX", "--to", "5003"],
        ] {
            let result = try await first.cli(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        // Every write above was acknowledged; now the process dies without any chance to clean up.
        let status = await first.stop(signal: SIGKILL)
        #expect(status == SIGKILL)

        let second = try await ServeProcess.start(dataDirectory: dataDirectory)
        #expect(try AdminTokenFile.read(from: dataDirectory) == token)
        let devices = try await second.cli(["device", "list", "--json"])
        #expect(devices.status == 0, "\(devices.stderr)")
        let list = try JSONDecoder().decode([AdminAPI.Device].self, from: Data(devices.stdout.utf8))
        #expect(list.map(\.name) == ["SEP0000000000A1", "SEP0000000000B2", "SEP0000000000C3"])
        #expect(list.first?.speedDials.first?.label == "Bob")
        let line = try await second.cli(["line", "show", "5001", "--json"])
        let alice = try JSONDecoder().decode(AdminAPI.Line.self, from: Data(line.stdout.utf8))
        #expect(alice.forwardAll == "5003")
        #expect(alice.displayName == "Alice")
        let routes = try await second.cli(["route", "list"])
        #expect(routes.stdout.contains("9.5XXX"))

        // SIGTERM is a clean shutdown: exit status 0.
        #expect(await second.stop(signal: SIGTERM) == 0)
    }

    /// The README's walkthrough, command for command: start, add two phones and their lines, import a CSV, show the
    /// devices, place a call with the simulator, read the CDR.
    @Test func theReadmeWalkthrough() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-walkthrough-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let server = try await ServeProcess.start(dataDirectory: dataDirectory)

        func run(_ arguments: [String]) async throws -> String {
            let result = try await server.cli(arguments)
            #expect(result.status == 0, "strowger \(arguments.joined(separator: " ")): \(result.stderr)")
            return result.stdout
        }
        _ = try await run(["line", "add", "1001", "--name", "Alice"])
        _ = try await run(["line", "add", "1002", "--name", "Bob"])
        _ = try await run(["device", "add", "SEP001122334455", "--model", "7960", "--line", "1001"])
        _ = try await run(["device", "add", "SEP00112233AABB", "--model", "7960", "--line", "1002"])

        let csv = dataDirectory.appendingPathComponent("phones.csv")
        try """
        DEVICE NAME,MODEL,DESCRIPTION,DIRECTORY NUMBER 1,DISPLAY 1,SPEED DIAL NUMBER 1,SPEED DIAL LABEL 1
        SEP0000000000C1,7940,Carol's desk,2001,Carol,1001,Alice
        SEP0000000000D1,7940,Dave's desk,2002,Dave,1002,Bob

        """.write(to: csv, atomically: true, encoding: .utf8)
        #expect(try await run(["import", csv.path]).contains("2 rows"))

        let devices = try await run(["show", "devices"])
        #expect(devices.split(separator: "\n").count == 6)
        #expect(devices.contains("SEP0000000000C1  unregistered"))

        // The simulator is part of the strowger binary: it needs no server of its own.
        let call = try await CLIHarness.run([
            "simulate", "call", "--caller", "SEP001122334455", "--callee", "SEP00112233AABB", "--sccp-port",
            "\(server.sccpPort)", "--talk", "1",
        ])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(call.stdout.contains("SEP001122334455 registered with line 1001 (Alice)"))
        #expect(call.stdout.contains("1001 calls 1002"))
        #expect(call.stdout.contains("hung up after 1 s"))

        // The CDR is written within a quarter second of the hang-up.
        var records = ""
        for _ in 0..<100 {
            records = try await run(["cdr", "list"])
            if records.contains("normalClearing") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(records.contains("1001  SEP001122334455  1002    1002  SEP00112233AABB"))
        #expect(records.contains("normalClearing  caller"))
        #expect(await server.stop(signal: SIGTERM) == 0)
    }
}
