import AdminHTTP
import Foundation
import NIOCore
import NIOPosix
import SkinnyPhone
import SkinnyWire
import Store
import Testing
import ToolSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Node A of a CallManager group dies with `kill -9` (issue 19 item 4): two `strowger serve` processes, A and B, with
/// the same phones and lines and the group [A, B], either each on its own SQLite database (everything entered on both
/// through the CLI) or both on one PostgreSQL database (entered once, through B). Four failover phones read the group
/// from A's cnf.xml over TFTP and register on A with a standby connection to B; two of them are in a call when A is
/// killed. Every phone is registered on B within three keepalive intervals, with its number; every CDR A acknowledged
/// before the kill is still there (read through B while A is dead, on the shared database; in A's own database when
/// it comes back); and the phones go back to A once they are idle.
@Suite(.serialized) struct ClusterKillTests {
    /// The servers' keepalive: short, so that the whole story takes seconds.
    static let keepAliveSeconds = 2
    static let phones = [
        (device: "SEP0000000F3001", number: "3301"), (device: "SEP0000000F3002", number: "3302"),
        (device: "SEP0000000F3003", number: "3303"), (device: "SEP0000000F3004", number: "3304"),
    ]
    static let timeout = Duration.seconds(20)

    static func temporaryDirectory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-kill-\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func succeed(_ server: ServeProcess, _ arguments: [String]) async throws -> String {
        let result = try await server.cli(arguments)
        try #require(result.status == 0, "strowger \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    static func callRecords(_ server: ServeProcess) async throws -> [AdminAPI.CallRecord] {
        let json = try await Self.succeed(server, ["cdr", "list", "--json"])
        return try AdminAPI.makeDecoder().decode([AdminAPI.CallRecord].self, from: Data(json.utf8))
    }

    /// Polls `probe` every 50 ms until it returns a value or `timeout` passes.
    static func eventually<T>(
        _ what: String,
        timeout: Duration,
        _ probe: () async throws -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let value = try await probe() { return value }
            guard clock.now < deadline else { throw TimedOut(description: "no \(what) within \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    /// The devices `server` lists as registered (`strowger show devices --json`).
    static func registeredDevices(_ server: ServeProcess) async throws -> Set<String> {
        let json = try await Self.succeed(server, ["show", "devices", "--json"])
        let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        return Set(objects.filter { $0["status"] as? String == "registered" }.compactMap { $0["name"] as? String })
    }

    /// The SCCP and SCCPS ports `server` bound, for a CallManager group member `127.0.0.1:SCCP:SCCPS`.
    static func member(_ server: ServeProcess) throws -> String {
        let sccps = try #require(server.bannerPort(after: "SCCPS (TLS) on 127.0.0.1:"), "no SCCPS port in the banner")
        return "127.0.0.1:\(server.sccpPort):\(sccps)"
    }

    /// Caller dials callee's number; both connected.
    static func call(from caller: SkinnyPhone, to callee: SkinnyPhone, number: String) async throws {
        try await caller.offHook()
        try await caller.waitForCallState(.offHook, timeout: Self.timeout)
        try await caller.dial(number)
        _ = try await callee.waitForRinging(timeout: Self.timeout)
        try await callee.answer()
        _ = try await caller.waitForCall(.connected, timeout: Self.timeout)
        _ = try await callee.waitForCall(.connected, timeout: Self.timeout)
    }

    static func hangUp(_ caller: SkinnyPhone, _ callee: SkinnyPhone) async throws {
        try await caller.onHook()
        try await caller.waitForIdle(timeout: Self.timeout)
        try await callee.waitForIdle(timeout: Self.timeout)
    }

    /// Where the nodes keep their data.
    enum Storage {
        /// Each node its own SQLite database in its data directory: everything is entered on both.
        case separate
        /// One PostgreSQL database both nodes share (`--database`): everything is entered once, through B.
        case shared(database: String, secretFile: URL)
    }

    @Test func nodeAKilledMidCallItsPhonesMoveToBWithinThreeKeepalivesAndComeBackWhenIdle() async throws {
        try await Self.killNodeA(storage: .separate)
    }

    /// The same on one shared PostgreSQL database (issue 19's cluster): configured once, and A's acknowledged CDRs
    /// are read through B while A is dead.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["STROWGER_TEST_POSTGRES_URL"] != nil,
            "STROWGER_TEST_POSTGRES_URL is not set (scripts/test sets it)"
        )
    )
    func nodeAKilledOnASharedDatabase() async throws {
        let server = try PostgresURL(
            parsing: try #require(ProcessInfo.processInfo.environment["STROWGER_TEST_POSTGRES_URL"])
        )
        let name = "strowger_kill_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = try await ToolProcess.run([
            "psql", "-h", server.host, "-p", "\(server.port)", "-U", server.user, "-d", server.database,
            "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)",
        ])
        try #require(created.status == 0, "\(created.standardErrorText)")
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-kill-\(UUID()).secret")
        try Data((0..<48).map { _ in UInt8.random(in: 0...255) }).write(to: secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        defer { try? FileManager.default.removeItem(at: secret) }
        try await Self.killNodeA(storage: .shared(database: "\(server.with(database: name))", secretFile: secret))
    }

    /// A free TCP port on loopback (bound, read, released), for node A, whose port must be known before it starts.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    static func killNodeA(storage: Storage) async throws {
        let directoryA = try Self.temporaryDirectory("a")
        let directoryB = try Self.temporaryDirectory("b")
        defer {
            try? FileManager.default.removeItem(at: directoryA)
            try? FileManager.default.removeItem(at: directoryB)
        }
        func arguments(_ node: String) -> [String] {
            let keepAlive = ["--keepalive", "\(Self.keepAliveSeconds)"]
            switch storage {
            case .separate:
                return keepAlive
            case .shared(let database, let secretFile):
                return keepAlive + ["--database", database, "--node", node, "--cluster-secret-file", secretFile.path]
            }
        }
        // A's SCCP port goes into the group before A starts: on the shared database A must find everything there
        // when it starts (a phone that reached A before A's call core learnt of it would be auto-registered).
        let portA = try await Self.freePort()
        let sccpsA = try await Self.freePort()
        var a: ServeProcess?
        var b: ServeProcess?
        var failoverPhones: [FailoverPhone] = []
        do {
            let nodeB = try await ServeProcess.start(dataDirectory: directoryB, arguments: arguments("b"))
            b = nodeB
            let group = "Pair"
            let members = ["127.0.0.1:\(portA):\(sccpsA)", try Self.member(nodeB)]
            func configure(_ node: ServeProcess) async throws {
                _ = try await Self.succeed(node, ["cmgroup", "set", group] + members)
                for phone in Self.phones {
                    _ = try await Self.succeed(node, ["line", "add", phone.number])
                    _ = try await Self.succeed(
                        node,
                        ["device", "add", phone.device, "--line", phone.number, "--callmanager-group", group]
                    )
                }
            }
            try await configure(nodeB)
            let nodeA = try await ServeProcess.start(
                dataDirectory: directoryA,
                arguments: arguments("a") + ["--sccp-port", "\(portA)"]
            )
            a = nodeA
            if case .separate = storage { try await configure(nodeA) }
            let tftpA = try #require(nodeA.bannerPort(after: "TFTP on UDP 127.0.0.1:"), "no TFTP port in the banner")

            // Each phone from an address of its own (as real phones are), its list from its cnf.xml on A.
            for (index, phone) in Self.phones.enumerated() {
                var configuration = SkinnyPhone.Configuration(deviceName: phone.device)
                configuration.localAddress = "127.0.3.\(index + 1)"
                failoverPhones.append(
                    try await FailoverPhone.start(
                        tftpHost: "127.0.0.1",
                        tftpPort: tftpA,
                        configuration: configuration,
                        policy: .init(fallbackProbeInterval: .milliseconds(300), registerTimeout: Self.timeout),
                        group: MultiThreadedEventLoopGroup.singleton
                    )
                )
            }
            for phone in failoverPhones {
                #expect(await phone.callManagers.map(\.port) == [portA, nodeB.sccpPort])
                #expect(await phone.status().registered == 0)
                try await Self.eventually("a standby connection to B", timeout: Self.timeout) {
                    await phone.status().standby == 1 ? () : nil
                }
            }
            var sccp: [SkinnyPhone] = []
            for phone in failoverPhones { sccp.append(try await phone.phone()) }

            // Two calls completed on A: their CDRs are acknowledged once the admin API lists them.
            try await Self.call(from: sccp[2], to: sccp[3], number: Self.phones[3].number)
            try await Self.hangUp(sccp[2], sccp[3])
            try await Self.call(from: sccp[3], to: sccp[2], number: Self.phones[2].number)
            try await Self.hangUp(sccp[3], sccp[2])
            let acknowledged = try await Self.eventually("A's two CDRs", timeout: Self.timeout) {
                let records = try await Self.callRecords(nodeA)
                return records.count == 2 ? records : nil
            }
            // And a call up on A when it dies.
            try await Self.call(from: sccp[0], to: sccp[1], number: Self.phones[1].number)

            let clock = ContinuousClock()
            let killedAt = clock.now
            #expect(await nodeA.stop(signal: SIGKILL) == SIGKILL)
            a = nil
            for (index, phone) in failoverPhones.enumerated() {
                let onB = try await phone.waitForRegistration(on: 1, timeout: Self.timeout)
                #expect(
                    try await onB.state().registration?.lines.first?.directoryNumber == Self.phones[index].number
                )
            }
            let took = clock.now - killedAt
            #expect(took < .seconds(3 * Self.keepAliveSeconds), "all phones on B after \(took)")
            if case .shared = storage {
                // A is dead; its acknowledged records are in the shared database, read here through B.
                #expect(try await Self.callRecords(nodeB) == acknowledged)
            }
            for phone in failoverPhones { #expect(await phone.status().failovers == 1) }
            #expect(try await Self.registeredDevices(nodeB) == Set(Self.phones.map(\.device)))

            // The call died with A (media went phone to phone, signalling with A); the two phones call again on B,
            // and are in that call when A returns.
            sccp = []
            for phone in failoverPhones { sccp.append(try await phone.phone()) }
            try await Self.call(from: sccp[1], to: sccp[0], number: Self.phones[0].number)

            let restarted = try await ServeProcess.start(
                dataDirectory: directoryA,
                arguments: arguments("a") + ["--sccp-port", "\(portA)"]
            )
            a = restarted
            // Nothing A acknowledged was lost: the same records, field for field.
            let afterRestart = try await Self.callRecords(restarted)
            #expect(afterRestart.map(\.id) == acknowledged.map(\.id))
            #expect(afterRestart == acknowledged)
            let devices = try await Self.succeed(restarted, ["device", "list"])
            for phone in Self.phones { #expect(devices.contains(phone.device)) }

            // The idle phones return to A; the two in a call stay on B.
            for index in [2, 3] {
                _ = try await failoverPhones[index].waitForRegistration(on: 0, timeout: Self.timeout)
                #expect(await failoverPhones[index].status().fallbacks == 1)
            }
            for index in [0, 1] {
                #expect(await failoverPhones[index].status().registered == 1)
                #expect(try await failoverPhones[index].phone().state().calls.count == 1)
            }
            // Once the call ends, they go back too, with their numbers.
            try await Self.hangUp(sccp[1], sccp[0])
            for (index, phone) in failoverPhones.enumerated() {
                let onA = try await phone.waitForRegistration(on: 0, timeout: Self.timeout)
                #expect(
                    try await onA.state().registration?.lines.first?.directoryNumber == Self.phones[index].number
                )
            }
            #expect(try await Self.registeredDevices(restarted) == Set(Self.phones.map(\.device)))
            try await Self.eventually("B with no phone registered", timeout: Self.timeout) {
                try await Self.registeredDevices(nodeB).isEmpty ? () : nil
            }
        } catch {
            for phone in failoverPhones { await phone.stop() }
            await a?.stop(signal: SIGTERM)
            await b?.stop(signal: SIGTERM)
            throw error
        }
        for phone in failoverPhones { await phone.stop() }
        #expect(await a?.stop(signal: SIGTERM) == 0)
        #expect(await b?.stop(signal: SIGTERM) == 0)
    }
}
