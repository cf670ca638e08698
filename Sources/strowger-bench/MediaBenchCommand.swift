import ArgumentParser
import Foundation
import Logging
import Media
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone

/// `strowger-bench media`: issue 14's scale scenario for the media engine, over real UDP sockets on loopback.
///
/// The engine is the server's own `MediaServer` (sockets, one event loop, the 20 ms tick), started in this process
/// on a thread of its own: the call core does not drive it yet (phase 2), so the bench sends it the commands the
/// call core will (create conference, add participant, set remote, start music on hold). The simulated endpoints
/// are `RTPPeerGroup` sockets on another thread: each participant sends a sine tone of its own every 20 ms and all
/// of them record what arrives.
struct MediaBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "Media engine at scale: C conferences of P participants and L music-on-hold listeners, on loopback.",
        discussion: """
            Reports, after --warmup seconds and over --duration seconds: packets per second in and out of the \
            engine; how late packets left the engine (time handed to the socket minus the tick's due time) and \
            how late they arrived at the endpoints (each packet's arrival minus its RTP timestamp's time, less the \
            stream's smallest such offset), p50/p99/max and the count above 5 ms; drops of every kind; and the \
            engine thread's CPU (from /proc/self/task/TID/schedstat), in all and per stream. Issue 14 asks 100 \
            three-party conferences and 1,000 listeners on one core with p99 ≤ 5 ms and zero drops.
            """
    )

    @Option(help: "Conferences.") var conferences = 100
    @Option(help: "Participants per conference.") var participants = 3
    @Option(help: "Music-on-hold listeners.") var listeners = 1_000
    @Option(help: "Seconds measured.") var duration = 20.0
    @Option(help: "Seconds before measuring (jitter buffers fill, caches warm).") var warmup = 3.0
    @Option(
        name: .customLong("media-ports"),
        help: "The engine's UDP port range as FIRST-LAST (the participants' sockets come from it)."
    )
    var mediaPorts = "20000-29999"
    @Option(name: .customLong("json"), help: "Also write the figures as JSON to this file.") var jsonPath: String?

    func validate() throws {
        guard (1...1_000).contains(conferences), (2...8).contains(participants), (0...10_000).contains(listeners)
        else {
            throw ValidationError("--conferences 1...1000, --participants 2...8, --listeners 0...10000")
        }
        guard (1...3_600).contains(duration), (0...60).contains(warmup) else {
            throw ValidationError("--duration 1...3600 seconds, --warmup 0...60")
        }
        _ = try self.portRange()
    }

    func portRange() throws -> ClosedRange<UInt16> {
        let parts = mediaPorts.split(separator: "-")
        guard parts.count == 2, let low = UInt16(parts[0]), let high = UInt16(parts[1]), low >= 1024, low < high else {
            throw ValidationError("--media-ports must be FIRST-LAST, e.g. 20000-29999")
        }
        return low...high
    }

    func run() async throws {
        let streams = conferences * participants + listeners
        print(
            "media: \(conferences) conferences × \(participants) participants + \(listeners) music listeners"
                + " = \(streams) streams; warm-up \(warmup) s, measured \(duration) s"
        )
        let engineGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let peerGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = MediaServer(
            configuration: .init(
                bindHost: "127.0.0.1",
                engine: .init(
                    localHost: .ipv4(0x7F00_0001),
                    ports: try self.portRange(),
                    conferenceMaximum: participants,
                    maximumLegs: streams + 16
                )
            ),
            eventLoop: engineGroup.next(),
            logger: Logger(label: "media-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await server.start()
        let engineThread = try await engineGroup.next().submit { ThreadCPU.currentThreadID() }.get()
        let peerThread = try await peerGroup.next().submit { ThreadCPU.currentThreadID() }.get()
        let peers = RTPPeerGroup(eventLoop: peerGroup.next())

        let setupStart = ContinuousClock.now
        var leg: UInt64 = 0
        for conference in 0..<conferences {
            let id = ConferenceID(UInt64(conference))
            guard await server.execute(.createConference(id)) == .done else {
                throw BenchFailure("conference \(conference) was not created")
            }
            for member in 0..<participants {
                let codec: G711Codec = (conference + member).isMultiple(of: 2) ? .muLaw : .aLaw
                // Distinct tones per conference member, between 300 and 3,300 Hz.
                let frequency = 300 + Double((conference * participants + member) * 37 % 3_000)
                let (peer, address) = try await peers.addPeer(.init(codec: codec, toneFrequency: frequency))
                leg += 1
                let result = await server.execute(.addParticipant(MediaLegID(leg), conference: id, codec: codec))
                guard case .endpoint(let endpoint) = result, let remote = MediaSocketAddress(address) else {
                    throw BenchFailure("participant \(member) of conference \(conference): \(result)")
                }
                _ = await server.execute(.setRemote(MediaLegID(leg), remote))
                try await peers.setRemote(peer, try SocketAddress(endpoint))
            }
        }
        for listener in 0..<listeners {
            let codec: G711Codec = listener.isMultiple(of: 2) ? .muLaw : .aLaw
            let (_, address) = try await peers.addPeer(.init(codec: codec, toneFrequency: nil))
            leg += 1
            guard let remote = MediaSocketAddress(address) else { throw BenchFailure("listener address \(address)") }
            let result = await server.execute(
                .startMusicOnHold(MediaLegID(leg), source: BuiltInMusic.sourceName, codec: codec, remote: remote)
            )
            guard case .endpoint = result else { throw BenchFailure("listener \(listener): \(result)") }
        }
        print("set up \(leg) streams in \(String(format: "%.1f", (ContinuousClock.now - setupStart).seconds)) s")

        try await peers.start()
        try await Task.sleep(for: .seconds(warmup))
        // The measured window starts here.
        await server.resetLateness()
        try await peers.resetMeasurements()
        let engineStart = await server.statistics().statistics
        let peersSentStart = try await peers.packetsSent()
        let engineCPUStart = ThreadCPU.seconds(thread: engineThread)
        let peerCPUStart = ThreadCPU.seconds(thread: peerThread)
        let engineWaitStart = ThreadCPU.schedstat(thread: engineThread)?.waiting ?? 0
        let peerWaitStart = ThreadCPU.schedstat(thread: peerThread)?.waiting ?? 0
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(duration))
        let elapsed = (ContinuousClock.now - start).seconds
        let engineCPU = (ThreadCPU.seconds(thread: engineThread) ?? 0) - (engineCPUStart ?? 0)
        let peerCPU = (ThreadCPU.seconds(thread: peerThread) ?? 0) - (peerCPUStart ?? 0)
        let engineWait = (ThreadCPU.schedstat(thread: engineThread)?.waiting ?? 0) - engineWaitStart
        let peerWait = (ThreadCPU.schedstat(thread: peerThread)?.waiting ?? 0) - peerWaitStart
        let (engineEnd, lateness, socketErrors) = await server.statistics()
        let peersSent = try await peers.packetsSent() - peersSentStart
        let receptions = try await peers.stop()
        await server.stop()
        try await engineGroup.shutdownGracefully()
        try await peerGroup.shutdownGracefully()

        // Arrival lateness: each packet's offset less its stream's smallest.
        var arrival = LatenessHistogram()
        var received = 0
        var missing = 0
        var sequenceErrors = 0
        for reception in receptions {
            received += reception.packets
            missing += reception.missing
            sequenceErrors += reception.sequenceErrors
            guard let base = reception.offsets.min() else { continue }
            for offset in reception.offsets { arrival.record(UInt64(offset - base)) }
        }
        let participantsReceived = receptions.prefix(conferences * participants).reduce(0) { $0 + $1.packets }
        let report = MediaBenchReport(
            conferences: conferences,
            participants: conferences * participants,
            listeners: listeners,
            seconds: elapsed,
            packetsIntoEnginePerSecond: Double(engineEnd.packetsReceived - engineStart.packetsReceived) / elapsed,
            packetsOutOfEnginePerSecond: Double(engineEnd.packetsSent - engineStart.packetsSent) / elapsed,
            peerPacketsSentPerSecond: Double(peersSent) / elapsed,
            participantPacketsReceivedPerSecond: Double(participantsReceived) / elapsed,
            listenerPacketsReceivedPerSecond: Double(received - participantsReceived) / elapsed,
            sendLateness: .init(lateness),
            arrivalLateness: .init(arrival),
            droppedByEngine: (engineEnd.droppedSendBufferFull - engineStart.droppedSendBufferFull)
                + (engineEnd.droppedMalformed - engineStart.droppedMalformed)
                + (engineEnd.droppedWrongSource - engineStart.droppedWrongSource)
                + (engineEnd.droppedUnexpected - engineStart.droppedUnexpected),
            jitterLost: engineEnd.jitterLost - engineStart.jitterLost,
            jitterLate: engineEnd.jitterLate - engineStart.jitterLate,
            skippedTicks: Int(engineEnd.skippedTicks - engineStart.skippedTicks),
            missingAtEndpoints: missing,
            sequenceErrorsAtEndpoints: sequenceErrors,
            socketErrors: socketErrors,
            engineCPUPercent: 100 * engineCPU / elapsed,
            engineCPUMicrosecondsPerStreamSecond: 1e6 * engineCPU / elapsed / Double(streams),
            peerCPUPercent: 100 * peerCPU / elapsed,
            engineWaitedForCPUPercent: 100 * engineWait / elapsed,
            peerWaitedForCPUPercent: 100 * peerWait / elapsed,
            machine: MachineDescription.current()
        )
        report.print()
        if let jsonPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try encoder.encode(report).write(to: URL(fileURLWithPath: jsonPath))
        }
    }
}

/// What `strowger-bench media` measured.
struct MediaBenchReport: Codable {
    struct Quantiles: Codable {
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var maxMilliseconds: Double
        var packets: UInt64
        var above5Milliseconds: UInt64

        init(_ histogram: LatenessHistogram) {
            self.p50Milliseconds = Double(histogram.quantile(0.5)) / 1e6
            self.p99Milliseconds = Double(histogram.quantile(0.99)) / 1e6
            self.maxMilliseconds = Double(histogram.maximum) / 1e6
            self.packets = histogram.count
            self.above5Milliseconds = histogram.count(above: 5_000_000)
        }

        var text: String {
            String(
                format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms; %llu of %llu above 5 ms",
                p50Milliseconds,
                p99Milliseconds,
                maxMilliseconds,
                above5Milliseconds,
                packets
            )
        }
    }

    var conferences: Int
    var participants: Int
    var listeners: Int
    var seconds: Double
    var packetsIntoEnginePerSecond: Double
    var packetsOutOfEnginePerSecond: Double
    var peerPacketsSentPerSecond: Double
    var participantPacketsReceivedPerSecond: Double
    var listenerPacketsReceivedPerSecond: Double
    var sendLateness: Quantiles
    var arrivalLateness: Quantiles
    var droppedByEngine: Int
    var jitterLost: Int
    var jitterLate: Int
    var skippedTicks: Int
    var missingAtEndpoints: Int
    var sequenceErrorsAtEndpoints: Int
    var socketErrors: Int
    var engineCPUPercent: Double
    var engineCPUMicrosecondsPerStreamSecond: Double
    var peerCPUPercent: Double
    /// Time the engine's thread was ready to run but another thread had the core, in % of the measured time.
    var engineWaitedForCPUPercent: Double
    var peerWaitedForCPUPercent: Double
    var machine: MachineDescription

    func print() {
        let rows: [(String, String)] = [
            ("streams", "\(conferences) conferences, \(participants) participants, \(listeners) listeners"),
            ("measured", String(format: "%.1f s", seconds)),
            (
                "packets/s",
                String(
                    format:
                        "into engine %.0f (peers sent %.0f), out of engine %.0f (participants got %.0f, listeners %.0f)",
                    packetsIntoEnginePerSecond,
                    peerPacketsSentPerSecond,
                    packetsOutOfEnginePerSecond,
                    participantPacketsReceivedPerSecond,
                    listenerPacketsReceivedPerSecond
                )
            ),
            ("late leaving engine", sendLateness.text),
            ("late at endpoints", arrivalLateness.text),
            (
                "drops",
                "engine \(droppedByEngine), jitter lost \(jitterLost), jitter late \(jitterLate), skipped ticks"
                    + " \(skippedTicks), missing at endpoints \(missingAtEndpoints) (sequence gaps"
                    + " \(sequenceErrorsAtEndpoints)), socket errors \(socketErrors)"
            ),
            (
                "engine CPU",
                String(
                    format: "%.1f %% of one core; %.1f µs per stream per second (%.3f %% of a core per stream)",
                    engineCPUPercent,
                    engineCPUMicrosecondsPerStreamSecond,
                    engineCPUMicrosecondsPerStreamSecond / 1e4
                )
            ),
            (
                "waited for a CPU",
                String(
                    format: "engine thread %.1f %%, peers' thread %.1f %% of the time (other processes had the cores)",
                    engineWaitedForCPUPercent,
                    peerWaitedForCPUPercent
                )
            ),
            ("endpoints' CPU", String(format: "%.1f %% of one core (the simulated peers' thread)", peerCPUPercent)),
            ("machine", machine.text),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows {
            Swift.print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
    }
}

/// The machine a run was made on.
struct MachineDescription: Codable {
    var cores: Int
    var cpu: String
    var loadAverage: String

    static func current() -> MachineDescription {
        let cpuinfo = ProcFile.read("/proc/cpuinfo") ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) }
            ?? "unknown"
        let load = (ProcFile.read("/proc/loadavg") ?? "").split(separator: " ").prefix(3).joined(separator: " ")
        return MachineDescription(cores: System.coreCount, cpu: model, loadAverage: load)
    }

    var text: String { "\(cores) cores, \(cpu), load average \(loadAverage)" }
}

/// CPU time of one thread, from /proc/self/task/TID/schedstat (nanoseconds on the CPU, exact).
enum ThreadCPU {
    /// The calling thread's id, from /proc/thread-self/stat (its first field); 0 where /proc has none.
    static func currentThreadID() -> Int32 {
        guard let stat = ProcFile.read("/proc/thread-self/stat"), let first = stat.split(separator: " ").first else {
            return 0
        }
        return Int32(first) ?? 0
    }

    static func seconds(thread: Int32) -> Double? {
        self.schedstat(thread: thread)?.running
    }

    /// Seconds the thread ran on a CPU and seconds it was runnable but waited for one (schedstat fields 1 and 2).
    static func schedstat(thread: Int32) -> (running: Double, waiting: Double)? {
        guard let text = ProcFile.read("/proc/self/task/\(thread)/schedstat") else { return nil }
        let fields = text.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard fields.count >= 2 else { return nil }
        return (fields[0] / 1e9, fields[1] / 1e9)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
