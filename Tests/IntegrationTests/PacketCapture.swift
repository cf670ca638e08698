import Foundation
import NIOCore
import NIOPosix
import ToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A live capture of one TCP port on the loopback interface with dumpcap (Wireshark's capture engine, which tshark
/// itself runs), and tshark to read it back.
///
/// dumpcap writes the capture to its standard output, which goes to a file: on a pipe or file given as `-w -` it
/// flushes every packet, so the file shows at once what has been captured. Readiness and completeness are both
/// checked with a probe connection to the port: once the probe's packets are in the file, everything before them
/// is too.
final class PacketCapture: Sendable {
    /// The environment variable that makes missing capture tools (or missing root) a failure instead of a skip.
    /// scripts/test sets it.
    static let requireVariable = "STROWGER_REQUIRE_TSHARK"

    static var isRequired: Bool {
        ProcessInfo.processInfo.environment[Self.requireVariable] == "1"
    }

    static let tshark = executable(named: "tshark")
    static let dumpcap = executable(named: "dumpcap")
    static let isRoot = geteuid() == 0

    /// Why a capture cannot run here, or nil when it can.
    static var unavailableReason: String? {
        if Self.tshark == nil || Self.dumpcap == nil {
            return "tshark/dumpcap are not installed (apt-get install tshark, or run scripts/test)"
        }
        if !Self.isRoot {
            return "capturing on the loopback interface needs root"
        }
        return nil
    }

    static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    let file: URL
    let port: Int
    private let errorFile: URL
    private let dumpcap: RunningTool

    private init(file: URL, errorFile: URL, port: Int, dumpcap: RunningTool) {
        self.file = file
        self.errorFile = errorFile
        self.port = port
        self.dumpcap = dumpcap
    }

    /// Starts capturing TCP port `port` (and UDP port `udpPort`, when given: RTP to a peer) on `lo` and returns once
    /// packets to that port reach the file.
    static func start(port: Int, udpPort: Int? = nil, timeout: Duration) async throws -> PacketCapture {
        guard let dumpcap = Self.dumpcap else { throw CaptureError("dumpcap is not installed") }
        let directory = FileManager.default.temporaryDirectory
        let token = UUID().uuidString
        let file = directory.appendingPathComponent("strowger-call-\(token).pcapng")
        let errorFile = directory.appendingPathComponent("strowger-call-\(token).err")
        // Stops by itself after two minutes, should a failed test leave it behind.
        let tool = try ToolProcess.start(
            [
                dumpcap.path, "-i", "lo", "-f", "tcp port \(port)" + (udpPort.map { " or udp port \($0)" } ?? ""), "-w",
                "-", "-q", "-a", "duration:120",
            ],
            standardOutput: .file(file),
            standardError: .file(errorFile)
        )
        let capture = PacketCapture(file: file, errorFile: errorFile, port: port, dumpcap: tool)
        do {
            // dumpcap says "Capturing on 'Loopback: lo'" once the interface is open.
            try await capture.waitUntil("dumpcap to start capturing", timeout: timeout) {
                capture.errorText.contains("Capturing on")
            }
            try await capture.probe(timeout: timeout)
        } catch {
            await capture.terminate()
            throw error
        }
        return capture
    }

    /// Waits until everything sent so far is in the file, then stops dumpcap.
    func stop(timeout: Duration = .seconds(20)) async throws {
        do {
            try await self.probe(timeout: timeout)
        } catch {
            await self.terminate()
            throw error
        }
        await self.terminate()
    }

    /// Stops dumpcap and waits for it to exit.
    ///
    /// SIGKILL: nothing is lost, because dumpcap flushes every packet to the file, and `stop` checks with a probe
    /// that everything is in it before it gets here. (ToolProcess starts dumpcap with no signal blocked, so SIGINT
    /// and SIGTERM would reach it too; SIGKILL is kept because dumpcap cannot delay it.)
    private func terminate() async {
        guard self.dumpcap.isRunning else { return }
        self.dumpcap.signal(SIGKILL)
        _ = await self.dumpcap.waitForExit()
    }

    /// Removes the capture files.
    func remove() {
        try? FileManager.default.removeItem(at: self.file)
        try? FileManager.default.removeItem(at: self.errorFile)
    }

    private var errorText: String {
        (try? String(contentsOf: self.errorFile, encoding: .utf8)) ?? ""
    }

    private var fileSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: self.file.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Opens and closes a TCP connection to the port and waits until the file has grown by its packets.
    private func probe(timeout: Duration) async throws {
        let before = self.fileSize
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: self.port).get()
        try await channel.close()
        try await self.waitUntil("the probe connection's packets in the capture", timeout: timeout) {
            // SYN, SYN-ACK, ACK, FIN, …: at least three packets of some 80 bytes each.
            self.fileSize >= before + 200
        }
    }

    private func waitUntil(_ what: String, timeout: Duration, _ condition: () -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !condition() {
            guard self.dumpcap.isRunning else {
                throw CaptureError("dumpcap exited while waiting for \(what): \(self.errorText)")
            }
            guard clock.now < deadline else {
                throw CaptureError("timed out waiting for \(what); dumpcap said: \(self.errorText)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Reads `fields` of every frame with tshark, decoding the port as SCCP (and with `options`: more `-d` and `-o`
    /// arguments). Each frame maps a field to its occurrences, in order.
    func read(fields: [String], options: [String] = []) async throws -> [[String: [String]]] {
        guard let tshark = Self.tshark else { throw CaptureError("tshark is not installed") }
        var arguments =
            [
                "-r", self.file.path, "-n", "-d", "tcp.port==\(self.port),skinny",
                "-o", "tcp.desegment_tcp_streams:TRUE",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\(Self.aggregator)", "-E", "header=n",
                "-E", "separator=/t",
            ] + options
        for field in fields {
            arguments += ["-e", field]
        }
        let (status, output, errorOutput) = try await Self.run(tshark, arguments)
        guard status == 0 else {
            throw CaptureError("tshark exited with status \(status): \(errorOutput)")
        }
        return output.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            var values: [String: [String]] = [:]
            for (field, column) in zip(fields, columns) where !column.isEmpty {
                values[field] = column.split(separator: Character(Self.aggregator), omittingEmptySubsequences: false)
                    .map(String.init)
            }
            return values
        }
    }

    /// Separates the occurrences of one field: a control character no SCCP text here contains.
    static let aggregator = "\u{1F}"

    /// Runs a tool with its output in temporary files, so that a large output cannot fill a pipe and block it.
    static func run(_ executable: URL, _ arguments: [String]) async throws -> (Int32, String, String) {
        let result = try await ToolProcess.run([executable.path] + arguments)
        return (result.status, result.standardOutputText, result.standardErrorText)
    }
}

struct CaptureError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
