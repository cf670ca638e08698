import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServerNIO
import SkinnyPhone
import Store
import StrowgerApp
import Testing
import ToolSupport

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13's attacks, scaled down to seconds, against a real server on loopback: each fails on the code before the
/// fix and passes after it.
@Suite struct HardeningTests {
    // MARK: - Defect 1: phone hijack by letter case

    /// Registering `SEP00aabbccddee` while `SEP00AABBCCDDEE` is configured gave the stored device a second number
    /// and reset the real phone. Now both spellings are one device: the live phone keeps it.
    @Test func aLowerCaseNameCannotTakeOverAConfiguredPhone() async throws {
        try await TestServer.with { server in
            let store = server.application.store
            try await store.insert(LineRecord(number: "2001"))
            try await store.save(DeviceRecord(name: "SEP00AABBCCDDEE"), lines: ["2001"], speedDials: nil)
            try await server.waitUntilRouted("2001", to: "SEP00AABBCCDDEE")
            let (real, number) = try await server.registeredPhone("SEP00AABBCCDDEE")
            #expect(number == "2001")

            let attacker = try await server.phone("SEP00aabbccddee", source: "127.0.61.1")
            await #expect {
                _ = try await attacker.register(timeout: TestServer.timeout)
            } throws: { error in
                (error as? SkinnyPhoneError)?.text == "Device already registered"
            }
            // The Store still has one device with one line, and the real phone is still registered on its line.
            let devices = try await store.deviceDetails()
            #expect(devices.map(\.device.name) == ["SEP00AABBCCDDEE"])
            #expect(devices.first?.lines == ["2001"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(real.channel.isActive)
            #expect(try await server.isRegistered("SEP00AABBCCDDEE"))
            #expect(try await !server.isRegistered("SEP00aabbccddee"))
        }
    }

    /// When the lower-case name registered first, the administrator's later device took it over and its number rang
    /// the attacker. Now the auto-registered device is stored in the canonical spelling, the API finds it by any
    /// spelling, and adding the same MAC again is a conflict rather than a second device.
    @Test func aLowerCaseNameRegisteringFirstIsStoredInTheCanonicalSpelling() async throws {
        try await TestServer.with { server in
            let attacker = try await server.phone("SEP00aabbccddee", source: "127.0.61.2")
            _ = try await attacker.register(timeout: TestServer.timeout)
            let store = server.application.store
            try await Self.eventually("the device is saved") { try await store.devices().count == 1 }
            #expect(try await store.devices().map(\.name) == ["SEP00AABBCCDDEE"])
            #expect(try await server.isRegistered("SEP00AABBCCDDEE"))

            let client = try await server.adminClient()
            let found = try await client.get("/api/devices/sep00aabbccddee", as: AdminAPI.Device.self)
            #expect(found.name == "SEP00AABBCCDDEE")
            await #expect {
                _ = try await client.send(
                    .post,
                    "/api/devices",
                    json: AdminAPI.Device(name: "SEP00AABBCCDDEE"),
                    as: AdminAPI.Device.self
                )
            } throws: { error in
                (error as? AdminClientError)?.status == 409
            }
        }
    }

    // MARK: - Defect 6: auto-registration drain

    /// Random `SEP` names from one address filled the whole range at 7 a second. Now one address gets
    /// `perSource` new devices per window, everyone together `total`, and known devices are never limited.
    @Test func randomNamesCannotDrainTheNumberRange() async throws {
        let limits: (inout ServerConfiguration) -> Void = { configuration in
            configuration.autoRegistrationLimits.perSource = RateLimit(events: 4, per: .seconds(60))
            configuration.autoRegistrationLimits.total = RateLimit(events: 10, per: .seconds(60))
        }
        try await TestServer.with(configure: limits) { server in
            let store = server.application.store
            try await store.insert(LineRecord(number: "2001"))
            try await store.save(DeviceRecord(name: "SEP0000000002A1"), lines: ["2001"], speedDials: nil)
            try await server.waitUntilRouted("2001", to: "SEP0000000002A1")

            // One address, twelve random names as fast as the server answers.
            var fromOne: [Bool] = []
            for index in 0..<12 {
                fromOne.append(try await Self.register(server, String(format: "SEPBAD%09X", index), "127.0.62.1"))
            }
            #expect(fromOne.filter { $0 }.count == 4)
            // Twenty more addresses, one name each: the total allows six more.
            var fromMany: [Bool] = []
            for index in 0..<20 {
                fromMany.append(
                    try await Self.register(server, String(format: "SEPBEE%09X", index), "127.0.63.\(index + 1)")
                )
            }
            #expect(fromMany.filter { $0 }.count == 6)
            // A configured phone registers from the attacker's address all the same.
            #expect(try await Self.register(server, "SEP0000000002A1", "127.0.62.1"))
            try await Self.eventually("ten auto-registrations saved") { try await store.devices().count == 11 }
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await store.devices().count == 11)

            let sccp = try #require(server.application.guardStatistics().first { $0.service == "sccp" })
            #expect(sccp[.autoRegistrationRateExceeded] == 22)
            let metrics = try await server.adminClient().metrics()
            #expect(Self.metric(metrics, #"strowger_auto_registrations{outcome="refused_per_source"}"#) == 8)
            #expect(Self.metric(metrics, #"strowger_auto_registrations{outcome="refused_total"}"#) == 14)
            #expect(Self.metric(metrics, #"strowger_auto_registrations{outcome="saved"}"#) == 10)
        }
    }

    /// A metric and a warning when the range is 80 % used, so that an administrator hears of a drain (or a range
    /// too small) before phones are turned away.
    @Test func eightyPercentOfTheRangeIsReportedOnce() async throws {
        let logs = CapturedLogs()
        let smallRange: (inout ServerConfiguration) -> Void = { $0.autoRegistrationRange = 1000...1009 }
        try await TestServer.with(logger: logs.logger, configure: smallRange) { server in
            for index in 0..<8 {
                #expect(
                    try await Self.register(server, String(format: "SEP0000000AB%03d", index), "127.0.64.\(index + 1)")
                )
            }
            try await Self.eventually("the 80 % warning") {
                logs.messages.contains { $0.contains("auto-registration range is 80 % used") }
            }
            let metrics = try await server.adminClient().metrics()
            #expect(Self.metric(metrics, "strowger_auto_registration_numbers_used") == 8)
            #expect(Self.metric(metrics, "strowger_auto_registration_numbers_total") == 10)
            #expect(try await Self.register(server, "SEP0000000AB100", "127.0.64.100"))
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(logs.messages.filter { $0.contains("80 % used") }.count == 1)
        }
    }

    // MARK: - Defect 9: unbounded event streams

    /// A thousand presence streams took 190 MiB. Now each client (address and token) holds a few and the server a
    /// bounded number; one more is refused before it starts, and a closed stream gives its place back.
    @Test func eventStreamsAreCappedPerClientAndInAll() async throws {
        let limits: (inout ServerConfiguration) -> Void = {
            $0.eventStreamLimits = EventStreamLimits(maximumStreams: 4, maximumStreamsPerClient: 3)
        }
        try await TestServer.with(configure: limits) { server in
            let port = try await server.application.adminServer.boundPort()
            let token = try #require(try AdminTokenFile.read(from: server.dataDirectory))
            let second = try await server.application.store.createAdminToken(name: "dashboard").secret
            var open: [SSEClient] = []
            for _ in 0..<3 {
                let client = try await SSEClient.connect(port: port, token: token, path: "/api/presence/events")
                try await client.wait("the stream to start") { $0.status }
                #expect(client.snapshot.status == 200)
                open.append(client)
            }
            let perClient = try await SSEClient.connect(port: port, token: token, path: "/api/presence/events")
            #expect(try await perClient.wait("an answer") { $0.status } == 429)
            // Another client (its own token) still gets one: the server's fourth.
            let other = try await SSEClient.connect(port: port, token: second, path: "/api/presence/events")
            #expect(try await other.wait("an answer") { $0.status } == 200)
            let total = try await SSEClient.connect(port: port, token: second, path: "/api/presence/events")
            #expect(try await total.wait("an answer") { $0.status } == 503)
            // A closed stream gives its place back.
            await open[0].close()
            try await Self.eventually("a place freed") {
                let retry = try await SSEClient.connect(port: port, token: second, path: "/api/presence/events")
                let status = try await retry.wait("an answer") { $0.status }
                await retry.close()
                return status == 200
            }
            for client in open + [perClient, other, total] { await client.close() }
            let admin = try #require(server.application.guardStatistics().first { $0.service == "admin" })
            #expect(admin[.eventStreamLimit] >= 2)
        }
    }

    // MARK: - Defect 7: the admin token

    /// The token's row was stored before its file; one failed write (the path a directory) left a token written
    /// nowhere, and every later start wrote none. Now the file is written first: the start fails and says why,
    /// nothing is stored, and once the path is fixed the next start writes a token that works.
    @Test func aTokenFileThatCannotBeWrittenStoresNoTokenAndSaysWhy() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-token-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("admin-token"),
            withIntermediateDirectories: true
        )
        await #expect {
            _ = try await TestServer.start(dataDirectory: directory)
        } throws: { error in
            "\(error)".contains("admin-token") && "\(error)".contains("not a regular file")
        }
        do {
            let store = Store(database: try StrowgerDatabase(directory: directory))
            #expect(try await store.adminTokens().isEmpty)
        }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("admin-token"))
        let server = try await TestServer.start(dataDirectory: directory)
        let status = try await server.adminClient().get("/api/status", as: AdminAPI.Status.self)
        #expect(status.devices == 0)
        await server.stop(keepingData: true)
    }

    /// A data directory an earlier version left locked (its `default` token stored, its file missing) gets a new
    /// `default` token at the next start.
    @Test func aLostDefaultTokenIsReplacedAtTheNextStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-token-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = Store(database: try StrowgerDatabase(directory: directory))
            _ = try await store.createAdminToken(name: AdminTokenFile.defaultTokenName)
        }
        let server = try await TestServer.start(dataDirectory: directory)
        let status = try await server.adminClient().get("/api/status", as: AdminAPI.Status.self)
        #expect(status.devices == 0)
        #expect(try await server.application.store.adminTokens().map(\.name) == [AdminTokenFile.defaultTokenName])
        await server.stop(keepingData: true)
    }

    // MARK: - Defects 8 and 10: the data directory

    /// Files left world-readable by an earlier version are made private at start, and the directory 0700.
    @Test func theDataDirectoryAndItsFilesAreMadePrivate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-modes-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        do {
            _ = try StrowgerDatabase(directory: directory)
        }
        chmod(directory.appendingPathComponent("strowger.db").path, 0o644)
        let server = try await TestServer.start(dataDirectory: directory)
        try await server.application.store.insert(LineRecord(number: "1001"))
        #expect(try Self.mode(directory) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in ["strowger.db", "strowger.db-wal", "strowger.db-shm", "admin-token", "ca-key.pem"] {
            #expect(files.contains(name), "\(name)")
        }
        for name in files {
            #expect(try Self.mode(directory.appendingPathComponent(name)) == 0o600, "\(name)")
        }
        await server.stop(keepingData: true)
    }

    /// After a clean stop the data stayed in the WAL, so copying `strowger.db` alone copied nothing. Now the log is
    /// checkpointed at shutdown.
    @Test func aCleanStopLeavesEverythingInTheDatabaseFile() async throws {
        let server = try await TestServer.start()
        defer { try? FileManager.default.removeItem(at: server.dataDirectory) }
        try await server.application.store.insert(LineRecord(number: "4242"))
        try await server.stopGracefully()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-copy-\(UUID())")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: server.dataDirectory.appendingPathComponent("strowger.db"),
            to: copy.appendingPathComponent("strowger.db")
        )
        let store = Store(database: try StrowgerDatabase(directory: copy))
        #expect(try await store.lines().map(\.number) == ["4242"])
    }

    /// A read-only data directory was accepted, and auto-registrations were never saved. Now the start stops with
    /// an error that says so. (A read-only tmpfs: root can write anywhere else.)
    @Test(.enabled(if: getuid() == 0, "mounts a tmpfs (root)"))
    func aReadOnlyDataDirectoryStopsTheStart() async throws {
        try await Tmpfs.with(megabytes: 8) { mount in
            let directory = mount.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try await Tmpfs.remount(mount, readOnly: true)
            await #expect {
                _ = try await TestServer.start(dataDirectory: directory)
            } throws: { error in
                "\(error)".contains("not writable")
            }
            try await Tmpfs.remount(mount, readOnly: false)
        }
    }

    /// With the disk full, auto-registrations were acknowledged and never saved. Now a phone whose device cannot be
    /// saved is told no (after the Store's retries), the failure is counted, and the number is not handed out in
    /// memory only; once there is room again, the phone registers and is saved.
    @Test(.enabled(if: getuid() == 0, "mounts a tmpfs (root)"))
    func aFullDiskRefusesNewPhonesInsteadOfForgettingThem() async throws {
        try await Tmpfs.with(megabytes: 8) { mount in
            let directory = mount.appendingPathComponent("data")
            let server = try await TestServer.start(dataDirectory: directory) { configuration in
                configuration.autoRegistrationLimits.pauseAfterSaveFailure = .milliseconds(500)
            }
            // A known phone first, then the disk fills up.
            _ = try await server.registeredPhone("SEP0000000000F1")
            let filler = mount.appendingPathComponent("filler")
            _ = try await ToolProcess.run(["dd", "if=/dev/zero", "of=\(filler.path)", "bs=64k"])
            // Whatever room the database's log still has, use it up.
            for index in 0..<50_000 {
                do {
                    try await server.application.store.insert(LineRecord(number: "8\(index)"))
                } catch {
                    break
                }
            }

            let refused = try await server.phone("SEP0000000000F2", source: "127.0.65.1")
            await #expect {
                _ = try await refused.register(timeout: TestServer.timeout)
            } throws: { error in
                (error as? SkinnyPhoneError)?.text == "Database unavailable"
            }
            #expect(try await !server.isRegistered("SEP0000000000F2"))
            #expect(try await server.application.store.device(named: "SEP0000000000F2") == nil)
            let metrics = try await server.adminClient().metrics()
            #expect((Self.metric(metrics, #"strowger_store_write_failures{writer="auto_registration"}"#) ?? 0) >= 1)
            #expect((Self.metric(metrics, #"strowger_store_write_retries{writer="device_reports"}"#) ?? 0) >= 3)
            // The number it would have had is still free: the core forgot it.
            let free = try await server.application.host.withCore { core in
                !core.directory.isNumberInUse(DirectoryNumber("1001"))
            }
            #expect(free)

            try FileManager.default.removeItem(at: filler)
            try await Task.sleep(for: .seconds(1))
            let again = try await server.phone("SEP0000000000F2", source: "127.0.65.2")
            _ = try await again.register(timeout: TestServer.timeout)
            try await Self.eventually("the device is saved") {
                try await server.application.store.device(named: "SEP0000000000F2") != nil
            }
            await server.stop(keepingData: true)
        }
    }

    // MARK: - Helpers

    /// Registers `name` from `source`; true if it was accepted, false if it got RegisterReject.
    static func register(_ server: TestServer, _ name: String, _ source: String) async throws -> Bool {
        let phone = try await server.phone(name, source: source)
        defer { phone.channel.close(promise: nil) }
        do {
            _ = try await phone.register(timeout: TestServer.timeout)
            return true
        } catch let error as SkinnyPhoneError where error.code == .registerRejected {
            return false
        }
    }

    /// The value of the metric line starting with `name` followed by a space.
    static func metric(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    static func eventually(
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now.advanced(by: TestServer.timeout)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("never: \(what)", sourceLocation: sourceLocation)
                throw TestServerError.statusTimedOut(what)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A tmpfs mounted on a new temporary directory, for disks that fill up or turn read-only.
enum Tmpfs {
    static func with(megabytes: Int, _ body: (URL) async throws -> Void) async throws {
        let mount = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-tmpfs-\(UUID())")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let mounted = try await ToolProcess.run([
            "mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", mount.path,
        ])
        try #require(mounted.termination.succeeded, "mount: \(mounted.standardErrorText)")
        do {
            try await body(mount)
        } catch {
            _ = try? await ToolProcess.run(["umount", "-l", mount.path])
            try? FileManager.default.removeItem(at: mount)
            throw error
        }
        _ = try await ToolProcess.run(["umount", "-l", mount.path])
        try? FileManager.default.removeItem(at: mount)
    }

    static func remount(_ mount: URL, readOnly: Bool) async throws {
        let result = try await ToolProcess.run(["mount", "-o", "remount,\(readOnly ? "ro" : "rw")", mount.path])
        try #require(result.termination.succeeded, "remount: \(result.standardErrorText)")
    }
}

/// Log lines kept in memory (the test's own handler; the process's logging system is never bootstrapped).
final class CapturedLogs: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var messages: [String] { self.lines.withLockedValue { $0 } }

    var logger: Logger {
        var logger = Logger(label: "strowger-test", factory: { _ in Handler(logs: self) })
        logger.logLevel = .info
        return logger
    }

    fileprivate func append(_ line: String) {
        self.lines.withLockedValue { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            self.logs.append("\(event.level) \(event.message)")
        }
    }
}
