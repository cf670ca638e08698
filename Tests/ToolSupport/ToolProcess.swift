import Dispatch
public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs external tools (strowger, curl, openssl, tshark, dumpcap) from tests, without Foundation's `Process`.
///
/// `swift test` runs every test target in one process, and `Process.run()` in swift-corelibs-foundation up to 6.3
/// crashes now and then: the child walks `/proc/self/fd` to close descriptors while other threads (the NIO tests
/// running alongside) open and close sockets (swift-corelibs-foundation PR 5472). One such crash ends the whole run.
/// Here the child is made by `posix_spawnp`, which closes every inherited descriptor from 3 up in one file action
/// (`posix_spawn_file_actions_addclosefrom_np`), and its exit is awaited with `waitpid` on a Dispatch thread of its
/// own, never on the cooperative pool that the servers under test need.
///
/// The executable, `arguments[0]`, is looked up on `PATH` unless it contains a slash. Standard input is
/// `/dev/null` unless `input` is given. The child starts with no blocked signals and every signal at its default
/// action, so SIGINT and SIGTERM reach it whichever thread spawned it.
public enum ToolProcess {
    /// Where a tool's standard output or standard error goes.
    public struct Output: Sendable {
        enum Destination: Sendable {
            case capture
            case discard
            case file(String)
            case standardOutput
        }

        let destination: Destination

        /// Into a temporary file: read back into the `ToolResult` (`run`), or readable while the tool runs
        /// (`RunningTool`). The file is removed afterwards.
        public static let capture = Output(destination: .capture)
        /// To `/dev/null`.
        public static let discard = Output(destination: .discard)
        /// Into the file at `url`, created or truncated. The caller owns the file.
        public static func file(_ url: URL) -> Output { Output(destination: .file(url.path)) }
        /// For standard error only: wherever standard output goes (`2>&1`).
        // swift-format-ignore: DontRepeatTypeInStaticProperties
        public static let standardOutput = Output(destination: .standardOutput)
    }

    /// Runs `arguments` to completion; its exit and what it wrote.
    ///
    /// Output goes to files rather than pipes, so that a tool with a large output cannot block on a full pipe.
    /// The tool cannot be cancelled: a cancelled task still waits for it.
    ///
    /// - Parameters:
    ///   - arguments: The executable, then its arguments.
    ///   - input: The tool's standard input; `/dev/null` when nil.
    ///   - environment: Changes to this process's environment for the tool: a nil value removes the variable.
    /// - Throws: `ToolProcessError` if the tool could not be started.
    public static func run(
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String?] = [:],
        standardOutput: Output = .capture,
        standardError: Output = .capture
    ) async throws -> ToolResult {
        let files = try SpawnFiles(input: input, standardOutput: standardOutput, standardError: standardError)
        defer { files.remove() }
        let pid = try Spawn.spawn(arguments, environment: environment, files: files)
        let termination = await withCheckedContinuation { continuation in
            // A serial queue of its own targets an overcommitting root queue: it always gets a thread, however
            // many other tools are being waited on.
            DispatchQueue(label: "ToolProcess.run.\(pid)").async {
                continuation.resume(returning: Spawn.waitForExit(pid))
            }
        }
        return files.result(termination)
    }

    /// Runs `arguments` to completion like `run`, blocking the calling thread until it exits.
    ///
    /// Only for quick probes (`curl -V`) and the lazy initialisers of `static let`s, which cannot await. Anywhere
    /// else use `run`: a blocked thread of the cooperative pool (two on a 2-core machine) stalls every other test.
    public static func runBlocking(
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String?] = [:],
        standardOutput: Output = .capture,
        standardError: Output = .capture
    ) throws -> ToolResult {
        let files = try SpawnFiles(input: input, standardOutput: standardOutput, standardError: standardError)
        defer { files.remove() }
        let pid = try Spawn.spawn(arguments, environment: environment, files: files)
        return files.result(Spawn.waitForExit(pid))
    }

    /// Starts `arguments` and returns at once: for servers and captures that run until they are signalled.
    ///
    /// What the tool writes can be read while it runs (`RunningTool.standardOutput()`), or found in the file given
    /// as `.file(url)`.
    ///
    /// - Throws: `ToolProcessError` if the tool could not be started.
    public static func start(
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String?] = [:],
        standardOutput: Output = .capture,
        standardError: Output = .capture
    ) throws -> RunningTool {
        let files = try SpawnFiles(input: input, standardOutput: standardOutput, standardError: standardError)
        let pid: Int32
        do {
            pid = try Spawn.spawn(arguments, environment: environment, files: files)
        } catch {
            files.remove()
            throw error
        }
        return RunningTool(pid: pid, arguments: arguments, files: files)
    }
}

/// How a tool ended.
public enum ToolTermination: Sendable, Hashable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// This signal ended it.
    case signalled(Int32)

    /// Foundation's `Process.terminationStatus`: the exit status, or the number of the signal that ended the tool.
    public var status: Int32 {
        switch self {
        case .exited(let status): status
        case .signalled(let signal): signal
        }
    }

    /// The shell's `$?`: the exit status, or 128 plus the number of the signal that ended the tool.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let status): status
        case .signalled(let signal): 128 + signal
        }
    }

    /// Whether the tool exited with status 0.
    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "ended by signal \(signal)"
        }
    }
}

/// How a tool run to completion ended, and what it wrote.
public struct ToolResult: Sendable {
    public var termination: ToolTermination
    /// Empty unless standard output was `.capture`d; with `standardError: .standardOutput`, both.
    public var standardOutput: Data
    /// Empty unless standard error was `.capture`d.
    public var standardError: Data

    /// Foundation's `Process.terminationStatus`: the exit status, or the number of the signal that ended the tool.
    public var status: Int32 { self.termination.status }
    /// Standard output as UTF-8 (invalid bytes replaced).
    public var standardOutputText: String { String(decoding: self.standardOutput, as: UTF8.self) }
    /// Standard error as UTF-8 (invalid bytes replaced).
    public var standardErrorText: String { String(decoding: self.standardError, as: UTF8.self) }
}

/// A tool that could not be started.
public struct ToolProcessError: Error, CustomStringConvertible {
    /// The executable, as given.
    public let executable: String
    /// What failed, with the C library's message.
    public let reason: String

    public var description: String { "could not start \(self.executable): \(self.reason)" }
}
