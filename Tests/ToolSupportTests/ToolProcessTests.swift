import Foundation
import Testing
import ToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// ToolProcess against /bin/sh and coreutils, which every machine that runs the tests has.
@Suite struct ToolProcessTests {
    @Test func runCapturesStandardOutputAndStandardErrorApart() async throws {
        let result = try await ToolProcess.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(result.termination == .exited(3))
        #expect(result.status == 3)
        #expect(result.standardOutputText == "out\n")
        #expect(result.standardErrorText == "err\n")
    }

    @Test func standardErrorCanGoWithStandardOutput() async throws {
        let result = try await ToolProcess.run(
            ["sh", "-c", "echo out; echo err >&2; echo again"],
            standardError: .standardOutput
        )
        #expect(result.termination.succeeded)
        #expect(result.standardOutputText == "out\nerr\nagain\n")
        #expect(result.standardError.isEmpty)
    }

    @Test func inputIsStandardInputAndNullDeviceOtherwise() async throws {
        let echoed = try await ToolProcess.run(["cat"], input: Data("hello\n".utf8))
        #expect(echoed.standardOutputText == "hello\n")
        let empty = try await ToolProcess.run(["cat"])
        #expect(empty.termination.succeeded)
        #expect(empty.standardOutput.isEmpty)
    }

    /// A few megabytes, more than a pipe holds: the tool must not block on its output.
    @Test func aLargeOutputDoesNotBlock() async throws {
        let result = try await ToolProcess.run(["head", "-c", "4000000", "/dev/zero"])
        #expect(result.termination.succeeded)
        #expect(result.standardOutput.count == 4_000_000)
    }

    /// PATH, which every test process has (setenv here would race with the other tests' reads of the environment).
    @Test func theEnvironmentIsInheritedWithOverrides() async throws {
        let path = try #require(ProcessInfo.processInfo.environment["PATH"])
        let inherited = try await ToolProcess.run(["sh", "-c", "echo \"$PATH\""])
        #expect(inherited.standardOutputText == path + "\n")
        // `env` rather than the shell, which sets a PATH of its own. It is still looked up on this process's PATH.
        let overridden = try await ToolProcess.run(
            ["env"],
            environment: ["PATH": nil, "TOOL_PROCESS_TEST_SET": "set"]
        )
        let variables = overridden.standardOutputText.split(separator: "\n")
        #expect(!variables.contains { $0.hasPrefix("PATH=") })
        #expect(variables.contains("TOOL_PROCESS_TEST_SET=set"))
    }

    @Test func anAbsolutePathRunsWithoutPathLookup() async throws {
        let result = try await ToolProcess.run(["/bin/sh", "-c", "exit 0"])
        #expect(result.termination == .exited(0))
    }

    @Test func aMissingExecutableThrows() async throws {
        await #expect(throws: ToolProcessError.self) {
            try await ToolProcess.run(["strowger-no-such-tool-\(UUID().uuidString)"])
        }
        #expect(throws: ToolProcessError.self) {
            try ToolProcess.runBlocking(["/nonexistent/strowger-tool"])
        }
    }

    /// A descriptor this process holds without close-on-exec stays out of the tool.
    @Test func theToolInheritsOnlyTheStandardDescriptors() async throws {
        let file = open("/dev/null", O_RDONLY)
        try #require(file >= 0)
        defer { close(file) }
        // Far above what the shell opens itself; F_DUPFD leaves close-on-exec off.
        let descriptor = fcntl(file, F_DUPFD, 64)
        try #require(descriptor >= 64)
        defer { close(descriptor) }
        // The shell lists its own descriptors: 0, 1 and 2, and perhaps the one it reads the directory with.
        let result = try await ToolProcess.run(["sh", "-c", "cd /proc/self/fd && echo *"])
        let inherited = result.standardOutputText.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
            .sorted()
        #expect(Array(inherited.prefix(3)) == [0, 1, 2])
        #expect(inherited.allSatisfy { $0 <= 3 }, "the tool has descriptors \(inherited)")
    }

    @Test func runBlockingWaitsOnTheCallingThread() throws {
        let result = try ToolProcess.runBlocking(["sh", "-c", "echo blocking"], standardError: .discard)
        #expect(result.termination.succeeded)
        #expect(result.standardOutputText == "blocking\n")
    }

    @Test func aSignalledToolReportsItsSignal() async throws {
        let result = try await ToolProcess.run(["sh", "-c", "kill -TERM $$"])
        #expect(result.termination == .signalled(SIGTERM))
        #expect(result.status == SIGTERM)
        #expect(result.termination.shellStatus == 128 + SIGTERM)
    }

    @Test func aStartedToolRunsUntilSignalledAndShowsItsOutputMeanwhile() async throws {
        let tool = try ToolProcess.start(["sh", "-c", "echo ready; exec sleep 60"])
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while String(decoding: tool.standardOutput(), as: UTF8.self) != "ready\n", clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(String(decoding: tool.standardOutput(), as: UTF8.self) == "ready\n")
        #expect(tool.isRunning)
        #expect(await tool.waitForExit(timeout: .milliseconds(100)) == nil)
        // SIGINT too reaches a tool started from a thread that blocks it.
        tool.signal(SIGINT)
        #expect(await tool.waitForExit(timeout: .seconds(20)) == .signalled(SIGINT))
        #expect(!tool.isRunning)
        #expect(await tool.waitForExit() == .signalled(SIGINT))
        // After the exit a signal goes nowhere.
        tool.signal(SIGKILL)
    }

    @Test func aToolThatHandlesSIGTERMExitsCleanly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tool-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("output")
        let tool = try ToolProcess.start(
            ["sh", "-c", "trap 'echo stopping; exit 0' TERM; echo started; while :; do sleep 0.05; done"],
            standardOutput: .file(output),
            standardError: .standardOutput
        )
        #expect(tool.standardOutputURL?.path == output.path)
        #expect(tool.standardErrorURL?.path == output.path)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while !String(decoding: tool.standardOutput(), as: UTF8.self).contains("started"), clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        tool.signal(SIGTERM)
        #expect(await tool.waitForExit() == .exited(0))
        #expect(try String(contentsOf: output, encoding: .utf8) == "started\nstopping\n")
    }

    @Test func waitingWithATimeoutEndsWhenTheTaskIsCancelled() async throws {
        let tool = try ToolProcess.start(["sleep", "60"], standardOutput: .discard, standardError: .discard)
        let waiter = Task { await tool.waitForExit(timeout: .seconds(60)) }
        waiter.cancel()
        #expect(await waiter.value == nil)
        tool.signal(SIGKILL)
        #expect(await tool.waitForExit() == .signalled(SIGKILL))
    }

    /// Many tools at once, the way parallel tests start them.
    @Test func manyToolsRunConcurrently() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let result = try await ToolProcess.run(["sh", "-c", "echo \(index)"])
                    #expect(result.standardOutputText == "\(index)\n")
                }
            }
            try await group.waitForAll()
        }
    }
}
