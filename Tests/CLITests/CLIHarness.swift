import AdminHTTP
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Store
import Testing
import ToolSupport

/// A live status the CLI tests set.
actor StaticLiveStatus: AdminLiveStatus {
    var devices: [AdminAPI.RegisteredDevice] = []
    var calls: [AdminAPI.ActiveCall] = []

    func set(devices: [AdminAPI.RegisteredDevice], calls: [AdminAPI.ActiveCall]) {
        self.devices = devices
        self.calls = calls
    }

    func counts() async throws -> AdminLiveCounts {
        AdminLiveCounts(registeredDevices: devices.count, activeCalls: calls.count)
    }

    func registeredDevices() async throws -> [AdminAPI.RegisteredDevice] { devices }
    func activeCalls() async throws -> [AdminAPI.ActiveCall] { calls }
    func resetDevice(named name: String) async throws -> Bool { devices.contains { $0.name == name } }
}

/// What one run of the `strowger` binary printed and how it exited.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// An admin server on a free loopback port, over an in-memory Store, with its token in a data directory, and a way
/// to run the built `strowger` binary against it.
struct CLIHarness: Sendable {
    static let logger = Logger(label: "strowger.cli.tests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let version = "9.9.9-cli"

    let store: Store
    let live: StaticLiveStatus
    let dataDirectory: URL
    let port: Int

    var serverURL: String { "http://127.0.0.1:\(port)" }

    /// Runs `body` with a server, stopping it afterwards.
    static func withServer(_ body: @Sendable (CLIHarness) async throws -> Void) async throws {
        let store = Store(database: try StrowgerDatabase.inMemory())
        let live = StaticLiveStatus()
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        try await AdminTokenFile.createIfNeeded(store: store, dataDirectory: dataDirectory)

        let server = AdminServer(
            configuration: .init(host: "127.0.0.1", port: 0),
            routes: AdminRoutes(store: store, live: live, metrics: AdminMetrics(), version: version),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let harness = CLIHarness(
                store: store,
                live: live,
                dataDirectory: dataDirectory,
                port: try await server.boundPort()
            )
            do {
                try await body(harness)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Runs `strowger ARGUMENTS --server URL --data-dir DIR` (the connection options are added unless `connect` is
    /// false).
    func run(_ arguments: [String], connect: Bool = true, input: Data? = nil) async throws -> CLIResult {
        let connection = connect ? ["--server", serverURL, "--data-dir", dataDirectory.path] : []
        return try await Self.run(arguments + connection, input: input)
    }

    /// Runs a command that must succeed; its standard output.
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await run(arguments)
        #expect(
            result.status == 0,
            "strowger \(arguments.joined(separator: " ")): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        return result.stdout
    }

    /// Runs a command that must fail; its standard error.
    func fail(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await run(arguments)
        #expect(
            result.status != 0,
            "strowger \(arguments.joined(separator: " ")) succeeded: \(result.stdout)",
            sourceLocation: sourceLocation
        )
        return result.stderr
    }

    /// Runs the binary with `arguments`, output to files (so that a large output cannot block it), without
    /// `STROWGER_SERVER` and `STROWGER_TOKEN` from this process's environment.
    static func run(_ arguments: [String], input: Data? = nil) async throws -> CLIResult {
        let result = try await ToolProcess.run(
            [try binary().path] + arguments,
            input: input,
            environment: ["STROWGER_SERVER": nil, "STROWGER_TOKEN": nil]
        )
        return CLIResult(
            status: result.status,
            stdout: result.standardOutputText,
            stderr: result.standardErrorText
        )
    }

    /// The built `strowger`: `$STROWGER_BINARY`, else next to the test bundle in the build products directory
    /// (`swift build --build-tests` builds both), else `.build/debug/strowger` in the package.
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["STROWGER_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("strowger"))
            directory.deleteLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("strowger"))
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/strowger"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        throw BinaryNotFound(searched: candidates.map(\.path))
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "the strowger binary was not found (run `swift build --build-tests` first); looked in \(searched)"
        }
    }
}
