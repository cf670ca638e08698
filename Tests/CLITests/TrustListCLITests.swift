import AdminHTTP
import Foundation
import Testing
import ToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `strowger ctl show|reset` and `strowger firmware list|model` against a real `strowger serve` process.
@Suite(.serialized) struct TrustListCLITests {
    static func withServe(
        _ arguments: [String] = [],
        before: (URL) throws -> Void = { _ in },
        _ body: (ServeProcess) async throws -> Void
    ) async throws {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-ctl-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        try before(dataDirectory)
        let server = try await ServeProcess.start(dataDirectory: dataDirectory, arguments: arguments)
        do {
            try await body(server)
        } catch {
            await server.stop(signal: SIGTERM)
            throw error
        }
        #expect(await server.stop(signal: SIGTERM) == 0)
    }

    /// Runs a command that must succeed: `ctl` commands with `--data-dir` only (they read the data directory and the
    /// provisioning port, not the admin API), the others with the admin API's options too.
    static func succeed(
        _ server: ServeProcess,
        _ arguments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws -> String
    {
        let result = try await Self.run(server, arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    static func run(_ server: ServeProcess, _ arguments: [String]) async throws -> CLIResult {
        guard arguments.first == "ctl" else { return try await server.cli(arguments) }
        return try await CLIHarness.run(arguments + ["--data-dir", server.dataDirectory.path])
    }

    @Test func ctlShowPrintsTheListsAndResetRollsBackAndReplacesTheSAST() async throws {
        try await Self.withServe(["--trust-lists", "all"]) { server in
            let provisioning = ["--provisioning", "http://127.0.0.1:\(server.httpPort)"]
            var output = try await Self.succeed(server, ["ctl", "show"] + provisioning)
            #expect(output.contains("CTLFile.tlv:"), "\(output)")
            #expect(output.contains("ITLFile.tlv:"), "\(output)")
            #expect(output.contains("valid"), "\(output)")
            #expect(!output.contains("invalid"), "\(output)")
            #expect(output.contains("CN=Strowger SAST;OU=SAST;O=Strowger"), "\(output)")
            #expect(output.contains("SAST "), "\(output)")
            #expect(output.contains("CCM "), "\(output)")
            let json = try await Self.succeed(server, ["ctl", "show", "--json"] + provisioning)
            #expect(json.contains("\"signature\" : \"valid\""), "\(json)")

            // With --trust-lists all, every configured device gets its own; an unknown one gets none (it takes the
            // generic file).
            _ = try await Self.succeed(server, ["device", "add", "SEP0000000FB001"])
            output = try await Self.succeed(server, ["ctl", "show", "SEP0000000FB001"] + provisioning)
            #expect(output.contains("CTLSEP0000000FB001.tlv: "), "\(output)")
            #expect(output.contains("File name: CTLFile.tlv"), "\(output)")
            output = try await Self.succeed(server, ["ctl", "show", "SEP0000000FB0FF"] + provisioning)
            #expect(output.contains("CTLSEP0000000FB0FF.tlv: not served (404)"), "\(output)")

            let refused = try await Self.run(server, ["ctl", "reset", "--new-sast"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--new-sast goes with --finish"), "\(refused.stderr)")
            output = try await Self.succeed(server, ["ctl", "reset"])
            #expect(output.contains("Rollback started"), "\(output)")
            output = try await Self.succeed(server, ["ctl", "show", "SEP0000000FB0FF"] + provisioning)
            #expect(output.contains("none (an empty list"), "\(output)")
            #expect(output.contains("valid"), "\(output)")

            output = try await Self.succeed(server, ["ctl", "reset", "--finish", "--new-sast"])
            #expect(output.contains("New SAST"), "\(output)")
            output = try await Self.succeed(server, ["ctl", "show"] + provisioning)
            #expect(output.contains("CCM "), "\(output)")
            #expect(output.contains("valid"), "\(output)")
            #expect(!output.contains("invalid") && !output.contains("not checked"), "\(output)")
            let retired = try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory.path)
                .filter { $0.contains(".retired-") }
            #expect(retired.count == 2)
        }
    }

    @Test func firmwareListShowsLoadsAndDevicesWhoseLoadIsMissing() async throws {
        let makeFolder: (URL) throws -> Void = { directory in
            let folder = directory.appendingPathComponent("firmware", isDirectory: true)
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("German_Germany"),
                withIntermediateDirectories: true
            )
            for name in ["SCCP42.9-4-2SR3-1S.loads", "apps42.9-4-2ES26.sbn", "German_Germany/be-sccp.jar"] {
                try Data(repeating: 7, count: 1000).write(to: folder.appendingPathComponent(name))
            }
        }
        try await Self.withServe(before: makeFolder) { server in
            _ = try await Self.succeed(server, ["device", "add", "SEP0000000FB101", "--model", "7942"])
            _ = try await Self.succeed(
                server,
                ["device", "add", "SEP0000000FB102", "--model", "7960", "--load", "P00308010200"]
            )
            var output = try await Self.succeed(
                server,
                ["firmware", "model", "Cisco 7942", "--load", "SCCP42.9-4-2SR3-1S"]
            )
            #expect(output.contains("7942"), "\(output)")
            output = try await Self.succeed(server, ["firmware", "list"])
            #expect(output.contains("SCCP42.9-4-2SR3-1S"), "\(output)")
            #expect(output.contains("apps42.9-4-2ES26"), "\(output)")
            #expect(output.contains("German_Germany (1 files)"), "\(output)")
            #expect(output.contains("P00308010200  SEP0000000FB102  7960   device"), "\(output)")
            let json = try await Self.succeed(server, ["firmware", "list", "--json"])
            #expect(json.contains("\"missing\""), "\(json)")
            _ = try await Self.succeed(server, ["firmware", "clear-model", "7942"])
            output = try await Self.succeed(server, ["firmware", "list"])
            #expect(!output.contains("sha1 (default)"), "\(output)")
        }
    }
}
