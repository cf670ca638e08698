import Dispatch
public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A tool started by `ToolProcess.start`: a server or a capture that runs until it is signalled.
///
/// A thread of its own waits for the tool's exit from the start; `waitForExit` suspends without holding a thread.
/// Dropping the last reference neither signals nor waits for the tool: stop it first. Output captured into
/// temporary files is removed then.
public final class RunningTool: Sendable {
    /// The tool's process ID.
    public let pid: Int32
    /// The executable and arguments it was started with.
    public let arguments: [String]
    private let files: SpawnFiles
    private let state = ExitState()

    init(pid: Int32, arguments: [String], files: SpawnFiles) {
        self.pid = pid
        self.arguments = arguments
        self.files = files
        let state = self.state
        DispatchQueue(label: "ToolProcess.start.\(pid)").async {
            // Waits without reaping first, so that `signal` (which checks under the same lock) can never reach a
            // process that has taken over the pid.
            Spawn.waitUntilExited(pid)
            state.exited { Spawn.waitForExit(pid) }
        }
    }

    deinit {
        self.files.remove()
    }

    /// Where standard output goes (the temporary file, or the file given); nil for `/dev/null`.
    public var standardOutputURL: URL? { self.files.standardOutputURL }
    /// Where standard error goes; the same as `standardOutputURL` with `standardError: .standardOutput`.
    public var standardErrorURL: URL? { self.files.standardErrorURL }

    /// What the tool has written to standard output so far.
    public func standardOutput() -> Data { SpawnFiles.contents(of: self.standardOutputURL) }
    /// What the tool has written to standard error so far.
    public func standardError() -> Data { SpawnFiles.contents(of: self.standardErrorURL) }

    /// How the tool ended; nil while it runs.
    public var termination: ToolTermination? { self.state.termination }
    /// Whether the tool has not exited yet.
    public var isRunning: Bool { self.termination == nil }

    /// Sends `signal` (SIGINT, SIGTERM, SIGKILL, …) to the tool, unless it has exited.
    public func signal(_ signal: Int32) {
        self.state.unlessExited { _ = kill(self.pid, signal) }
    }

    /// Waits, without blocking a thread, until the tool exits; how it ended. Cancelling the task does not end the
    /// wait.
    public func waitForExit() async -> ToolTermination {
        await withCheckedContinuation { continuation in
            self.state.add(
                waiter: { termination in
                    // A waiter added here is never cancelled, so it always gets a termination.
                    continuation.resume(returning: termination ?? .exited(-1))
                },
                cancellable: false
            )
        }
    }

    /// Waits at most `timeout` (less if the task is cancelled) for the tool to exit; how it ended, or nil if it is
    /// still running.
    public func waitForExit(timeout: Duration) async -> ToolTermination? {
        let first = await withTaskGroup(of: ToolTermination?.self) { group in
            group.addTask { await self.exitUnlessCancelled() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return first ?? self.termination
    }

    /// The tool's termination, or nil as soon as the task is cancelled.
    private func exitUnlessCancelled() async -> ToolTermination? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.state.add(
                    id: id,
                    waiter: { termination in continuation.resume(returning: termination) },
                    cancellable: true
                )
            }
        } onCancel: {
            self.state.cancel(id)
        }
    }
}

/// A tool's termination once known, and the continuations waiting for it, under a lock.
private final class ExitState: @unchecked Sendable {
    typealias Waiter = @Sendable (ToolTermination?) -> Void

    private let lock = NSLock()
    // Guarded by `lock`.
    private var _termination: ToolTermination?
    private var waiters: [UUID: Waiter] = [:]

    var termination: ToolTermination? {
        self.lock.withLock { self._termination }
    }

    /// Runs `body` under the lock if the tool has not been reaped.
    func unlessExited(_ body: () -> Void) {
        self.lock.withLock {
            if self._termination == nil { body() }
        }
    }

    /// Reaps the tool with `reap` under the lock, records how it ended and resumes every waiter.
    func exited(_ reap: () -> ToolTermination) {
        let (termination, waiters) = self.lock.withLock {
            let termination = reap()
            self._termination = termination
            let waiters = self.waiters.values
            self.waiters = [:]
            return (termination, waiters)
        }
        for waiter in waiters { waiter(termination) }
    }

    /// Calls `waiter` with the termination once known (at once if it is). A `cancellable` waiter added while its
    /// task is cancelled is called with nil at once.
    func add(id: UUID = UUID(), waiter: @escaping Waiter, cancellable: Bool) {
        enum Outcome {
            case added
            case exited(ToolTermination)
            case cancelled
        }
        let outcome: Outcome = self.lock.withLock {
            if let termination = self._termination { return .exited(termination) }
            // Checked under the lock that `cancel` takes: either this sees the cancellation, or `cancel` (which
            // runs after it is set) finds the waiter.
            if cancellable, Task.isCancelled { return .cancelled }
            self.waiters[id] = waiter
            return .added
        }
        switch outcome {
        case .added: break
        case .exited(let termination): waiter(termination)
        case .cancelled: waiter(nil)
        }
    }

    /// Calls the waiter `id` with nil, if it is still waiting.
    func cancel(_ id: UUID) {
        let waiter = self.lock.withLock { self.waiters.removeValue(forKey: id) }
        waiter?(nil)
    }
}
