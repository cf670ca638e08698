import Foundation
import NIOCore
import NIOPosix
import ToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A live capture of a UDP port range on the loopback interface with dumpcap, read back with tshark decoding the
/// given ports as RTP. Readiness and completeness are checked with a probe datagram to `probePort` (a port of the
/// range that nothing listens on and that is not decoded as RTP): once it is in the file, everything sent before it
/// is too.
final class RTPCapture: Sendable {
    let file: URL
    private let errorFile: URL
    private let probePort: Int
    private let dumpcap: RunningTool

    private init(file: URL, errorFile: URL, probePort: Int, dumpcap: RunningTool) {
        self.file = file
        self.errorFile = errorFile
        self.probePort = probePort
        self.dumpcap = dumpcap
    }

    /// - Parameter tcpPort: a TCP port captured too (a server's SCCP port, to read what it told the phones).
    static func start(
        ports: ClosedRange<Int>,
        probePort: Int,
        tcpPort: Int? = nil,
        timeout: Duration
    ) async throws -> RTPCapture {
        guard let dumpcap = PacketCapture.dumpcap else { throw CaptureError("dumpcap is not installed") }
        let directory = FileManager.default.temporaryDirectory
        let token = UUID().uuidString
        let file = directory.appendingPathComponent("strowger-rtp-\(token).pcapng")
        let errorFile = directory.appendingPathComponent("strowger-rtp-\(token).err")
        // dumpcap stops by itself after 10 minutes, should a test never stop it; a test on a loaded machine may take
        // minutes, and a capture that ended before the test did fails its final probe.
        let filter =
            "udp portrange \(ports.lowerBound)-\(ports.upperBound)" + (tcpPort.map { " or tcp port \($0)" } ?? "")
        let tool = try ToolProcess.start(
            [dumpcap.path, "-i", "lo", "-f", filter, "-w", "-", "-q", "-a", "duration:600"],
            standardOutput: .file(file),
            standardError: .file(errorFile)
        )
        let capture = RTPCapture(file: file, errorFile: errorFile, probePort: probePort, dumpcap: tool)
        do {
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

    func stop(timeout: Duration = .seconds(20)) async throws {
        do {
            try await self.probe(timeout: timeout)
        } catch {
            await self.terminate()
            throw error
        }
        await self.terminate()
    }

    private func terminate() async {
        guard self.dumpcap.isRunning else { return }
        self.dumpcap.signal(SIGKILL)
        _ = await self.dumpcap.waitForExit()
    }

    /// Removes the capture's files, and ends dumpcap if a failed test never stopped it (it would run 600 s).
    func remove() {
        if self.dumpcap.isRunning { self.dumpcap.signal(SIGKILL) }
        try? FileManager.default.removeItem(at: self.file)
        try? FileManager.default.removeItem(at: self.errorFile)
    }

    private var errorText: String {
        (try? String(contentsOf: self.errorFile, encoding: .utf8)) ?? ""
    }

    private var fileSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: self.file.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Sends one datagram to the probe port and waits until the file has grown by it.
    private func probe(timeout: Duration) async throws {
        let before = self.fileSize
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: self.probePort)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(string: "probe")))
        try await self.waitUntil("the probe datagram in the capture", timeout: timeout) {
            self.fileSize >= before + 40
        }
        try await channel.close()
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

    /// tshark over the capture with `port` decoded as SCCP, and `arguments` after.
    func tshark(decodingAsSkinny port: Int, _ arguments: [String]) async throws -> String {
        guard let tshark = PacketCapture.tshark else { throw CaptureError("tshark is not installed") }
        let all = ["-r", self.file.path, "-n", "-d", "tcp.port==\(port),skinny"] + arguments
        let (status, output, errorOutput) = try await PacketCapture.run(tshark, all)
        guard status == 0 else { throw CaptureError("tshark exited with status \(status): \(errorOutput)") }
        return output
    }

    /// tshark over the capture with `ports` decoded as RTP, and `arguments` after.
    func tshark(decodingAsRTP ports: [Int], _ arguments: [String]) async throws -> String {
        guard let tshark = PacketCapture.tshark else { throw CaptureError("tshark is not installed") }
        var all = ["-r", self.file.path, "-n"]
        for port in ports { all += ["-d", "udp.port==\(port),rtp"] }
        let (status, output, errorOutput) = try await PacketCapture.run(tshark, all + arguments)
        guard status == 0 else { throw CaptureError("tshark exited with status \(status): \(errorOutput)") }
        return output
    }
}
