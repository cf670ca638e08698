import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawnp` and `waitpid`, the only system calls ToolProcess makes.
enum Spawn {
    /// Starts `arguments` with the standard descriptors `files` lays out and nothing else inherited; its pid.
    static func spawn(
        _ arguments: [String],
        environment overrides: [String: String?],
        files: SpawnFiles
    ) throws -> Int32 {
        guard let executable = arguments.first else {
            throw ToolProcessError(executable: "", reason: "no executable given")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files.addActions(to: &actions)
        Self.closeInheritedDescriptors(&actions)

        // The spawning thread may block signals (Dispatch's worker threads block most of them), and the child would
        // inherit the mask and never see SIGINT or SIGTERM. Start it with none blocked and every one at its
        // default action, as Foundation's Process does.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var environment = ProcessInfo.processInfo.environment
        for (name, value) in overrides {
            environment[name] = value
        }
        let argumentPointers = arguments.map { strdup($0) } + [nil]
        let environmentPointers = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argumentPointers + environmentPointers { free(pointer) }
        }
        var pid = pid_t()
        let error = posix_spawnp(&pid, executable, &actions, &attributes, argumentPointers, environmentPointers)
        guard error == 0 else {
            throw ToolProcessError(executable: executable, reason: String(cString: strerror(error)))
        }
        return pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), when the C library has it. Swift's Glibc
    /// module does not declare it, so it is looked up.
    private static let addCloseFrom: AddCloseFrom? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0),
        "posix_spawn_file_actions_addclosefrom_np"
    ).map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Closes every descriptor from 3 up in the child: the test process holds many sockets, and a tool needs none.
    ///
    /// Without `addclosefrom_np`, it closes those open now; one another thread opens before the spawn leaks into
    /// the child, which is harmless for a test tool. Closing one that has gone in the meantime fails with EBADF,
    /// which posix_spawn ignores.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor >= 3 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Blocks until `pid` exits and reaps it. `.exited(-1)` if it cannot be waited for (it is not a child of this
    /// process, or something else reaped it).
    static func waitForExit(_ pid: Int32) -> ToolTermination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return .exited(-1) }
        }
        // WIFEXITED, WEXITSTATUS and WTERMSIG are macros, which Swift does not import. Without WUNTRACED, a stopped
        // child is not reported, so the low seven bits are 0 (exited) or the signal.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    /// Blocks until `pid` has exited, leaving it a zombie: until it is reaped its pid cannot be reused, so a
    /// signal sent to it cannot reach another process.
    static func waitUntilExited(_ pid: Int32) {
        var information = siginfo_t()
        while waitid(P_PID, id_t(pid), &information, WEXITED | WNOWAIT) == -1 {
            guard errno == EINTR else { return }
        }
    }
}

/// The files a tool's standard descriptors are opened on, and the temporary directory that holds those of them
/// that ToolProcess makes (standard input and captured output).
struct SpawnFiles: Sendable {
    enum Target: Sendable {
        case nullDevice
        /// A path, opened for writing, created or truncated with `mode`.
        case file(String, mode: mode_t)
        /// Descriptor 1 (for standard error).
        case standardOutput
    }

    /// The temporary directory for standard input and captured output; made only when one of them needs it.
    let directory: URL
    let createsDirectory: Bool
    let inputPath: String?
    let standardOutput: Target
    let standardError: Target
    let capturesStandardOutput: Bool
    let capturesStandardError: Bool

    init(input: Data?, standardOutput: ToolProcess.Output, standardError: ToolProcess.Output) throws {
        var createsDirectory = input != nil
        if case .capture = standardOutput.destination { createsDirectory = true }
        if case .capture = standardError.destination { createsDirectory = true }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-tool-\(UUID().uuidString)"
        )
        if createsDirectory {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        self.directory = directory
        self.createsDirectory = createsDirectory
        if let input {
            let url = directory.appendingPathComponent("stdin")
            try input.write(to: url)
            self.inputPath = url.path
        } else {
            self.inputPath = nil
        }

        switch standardOutput.destination {
        case .capture:
            self.standardOutput = .file(directory.appendingPathComponent("stdout").path, mode: 0o600)
            self.capturesStandardOutput = true
        case .discard:
            self.standardOutput = .nullDevice
            self.capturesStandardOutput = false
        case .file(let path):
            self.standardOutput = .file(path, mode: 0o644)
            self.capturesStandardOutput = false
        case .standardOutput:
            preconditionFailure("standard output cannot go to itself; .standardOutput is for standard error")
        }
        switch standardError.destination {
        case .capture:
            self.standardError = .file(directory.appendingPathComponent("stderr").path, mode: 0o600)
            self.capturesStandardError = true
        case .discard:
            self.standardError = .nullDevice
            self.capturesStandardError = false
        case .file(let path):
            self.standardError = .file(path, mode: 0o644)
            self.capturesStandardError = false
        case .standardOutput:
            self.standardError = .standardOutput
            self.capturesStandardError = false
        }
    }

    /// Where standard output goes; nil for `/dev/null`.
    var standardOutputURL: URL? {
        switch self.standardOutput {
        case .nullDevice, .standardOutput: nil
        case .file(let path, _): URL(fileURLWithPath: path)
        }
    }

    /// Where standard error goes; nil for `/dev/null`.
    var standardErrorURL: URL? {
        switch self.standardError {
        case .nullDevice: nil
        case .file(let path, _): URL(fileURLWithPath: path)
        case .standardOutput: self.standardOutputURL
        }
    }

    /// Opens descriptors 0, 1 and 2 in the child.
    func addActions(to actions: inout posix_spawn_file_actions_t) {
        posix_spawn_file_actions_addopen(&actions, 0, self.inputPath ?? "/dev/null", O_RDONLY, 0)
        for (descriptor, target) in [(Int32(1), self.standardOutput), (2, self.standardError)] {
            switch target {
            case .nullDevice:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            case .file(let path, let mode):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, mode)
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, descriptor)
            }
        }
    }

    /// `termination` with the captured output.
    func result(_ termination: ToolTermination) -> ToolResult {
        ToolResult(
            termination: termination,
            standardOutput: self.capturesStandardOutput ? Self.contents(of: self.standardOutputURL) : Data(),
            standardError: self.capturesStandardError ? Self.contents(of: self.standardErrorURL) : Data()
        )
    }

    static func contents(of url: URL?) -> Data {
        url.flatMap { try? Data(contentsOf: $0) } ?? Data()
    }

    /// Removes the temporary directory, if one was made.
    func remove() {
        if self.createsDirectory {
            try? FileManager.default.removeItem(at: self.directory)
        }
    }
}
