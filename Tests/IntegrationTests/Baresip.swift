import Foundation
import Testing
import ToolSupport

/// baresip (Debian's `baresip-core`), a real SIP user agent, run headless for a test: a configuration folder written
/// here (SIP on a loopback port, G.711 only, a WAV file as the microphone, no sound card), one account that answers
/// calls by itself, and RTP statistics printed when a call ends. It is driven by its command line (`-e "/dial …"`)
/// and stopped with SIGTERM. Its network is named by address (`net_interface 127.0.0.1`): baresip 1.0 looks an
/// interface name up with an ioctl that fails in some containers ("lo: could not get IPv4 address").
struct Baresip {
    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("baresip")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static let missing: Comment =
        "baresip is not installed: install it (apt-get install baresip-core) or run scripts/test, which does"

    let directory: URL
    let port: Int
    let tool: RunningTool

    /// Starts baresip listening on 127.0.0.1:`port` with the account `user`@127.0.0.1, running `commands` at start.
    /// With `controlPort`, its ctrl_tcp module reports every event (a call's received DTMF among them) as JSON
    /// netstrings to a client of 127.0.0.1:`controlPort`.
    static func start(port: Int, user: String, commands: [String] = [], controlPort: Int? = nil) throws -> Baresip {
        let executable = try #require(Self.executable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-baresip-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tone = directory.appendingPathComponent("tone.wav")
        try Self.toneWAV(seconds: 20).write(to: tone)
        let config = """
            poll_method epoll
            sip_listen 127.0.0.1:\(port)
            net_interface 127.0.0.1
            audio_player aubridge,speaker
            audio_alert aubridge,alert
            audio_source aufile,\(tone.path)
            rtp_ports 40000-49999
            rtp_stats yes
            rtcp_mux no
            jitter_buffer_delay 1-10
            module_path /usr/lib/baresip/modules
            module g711.so
            module aufile.so
            module aubridge.so
            module_tmp account.so
            module_app menu.so

            """ + (controlPort.map { "module_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:\($0)\n" } ?? "")
        try Data(config.utf8).write(to: directory.appendingPathComponent("config"))
        let account = "<sip:\(user)@127.0.0.1:\(port)>;regint=0;answermode=auto;audio_codecs=pcmu,pcma\n"
        try Data(account.utf8).write(to: directory.appendingPathComponent("accounts"))
        var arguments = [executable.path, "-f", directory.path]
        for command in commands { arguments += ["-e", command] }
        let tool = try ToolProcess.start(arguments, standardError: .standardOutput)
        return Baresip(directory: directory, port: port, tool: tool)
    }

    /// What baresip printed so far.
    var output: String { String(decoding: tool.standardOutput(), as: UTF8.self) }

    /// Waits until baresip printed `text`.
    func waitFor(_ text: String, timeout: Duration = .seconds(20)) async throws {
        try await Eventually.wait("baresip to print \"\(text)\"", timeout: timeout) {
            self.output.contains(text) ? true : nil
        }
    }

    /// Stops baresip (SIGTERM, then SIGKILL) and removes its folder.
    func stop() async {
        tool.signal(SIGTERM)
        if await tool.waitForExit(timeout: .seconds(5)) == nil {
            tool.signal(SIGKILL)
            _ = await tool.waitForExit(timeout: .seconds(5))
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The RTP packets baresip sent and received in its last call, from the statistics it prints when a call ends
    /// (`rtp_stats yes`): the `packets:` row under `Transmit: Receive:`.
    var lastCallPackets: (sent: Int, received: Int)? {
        let lines = output.split(whereSeparator: \.isNewline)
        guard let row = lines.last(where: { $0.hasPrefix("packets:") }) else { return nil }
        let numbers = row.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        return (numbers[0], numbers[1])
    }

    /// A mono 8 kHz 16-bit WAV of a 440 Hz tone: what baresip sends as its microphone.
    static func toneWAV(seconds: Int) -> Data {
        let rate = 8_000
        let samples = rate * seconds
        var data = Data()
        func append(_ value: UInt32, bytes: Int) {
            for index in 0..<bytes { data.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))) }
        }
        data.append(contentsOf: Array("RIFF".utf8))
        append(UInt32(36 + samples * 2), bytes: 4)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(16, bytes: 4)
        append(1, bytes: 2)  // PCM
        append(1, bytes: 2)  // mono
        append(UInt32(rate), bytes: 4)
        append(UInt32(rate * 2), bytes: 4)
        append(2, bytes: 2)
        append(16, bytes: 2)
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(samples * 2), bytes: 4)
        for index in 0..<samples {
            let value = Int16(8_000 * sin(2 * Double.pi * 440 * Double(index) / Double(rate)))
            append(UInt32(UInt16(bitPattern: value)), bytes: 2)
        }
        return data
    }
}
