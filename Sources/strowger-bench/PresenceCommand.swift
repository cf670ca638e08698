import ArgumentParser
import CallControl
import CallRuntime
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServerNIO

/// `strowger-bench presence`: issue 8's scale scenario through the production host path.
///
/// One `CallControlHost` (the server's: CallControl core and presence engine on one loop) with U devices, each the
/// phone of one user with one line and W BLF speed dials on the lines of the next W users (U × W subscriptions). Each
/// device has a `SessionHandle` whose lamp deliveries hop to an I/O event loop, as a real session's do; a delivery
/// counts when it runs there. Changes are real phone events (off hook, on hook) submitted to the host, at a steady
/// rate; the latency of a change is from its submission to its delivery at each of its W watchers.
struct PresenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Presence at scale: U users each watched by W BLF speed dials, changes timed to every watcher.",
        discussion: """
            Runs in this process (no sockets): the CallControlHost with its presence engine on one event loop, \
            sessions' lamp deliveries on --io-threads loops. Reports setup time, p50/p99/max from a line-state \
            change to its delivery at every watcher, deliveries missing or wrong, and resident memory. Issue 8 \
            asks p99 ≤ 100 ms at 20,000 users × 50 watchers.
            """
    )

    @Option(help: "Users (one phone and one line each).") var users = 20_000
    @Option(help: "BLF watchers per user (speed dials per phone).") var watchers = 50
    @Option(help: "Line-state changes to time.") var changes = 4_000
    @Option(help: "Changes per second.") var rate = 1_000.0
    @Option(name: .customLong("io-threads"), help: "Event loops the sessions' deliveries run on.") var ioThreads = 2
    @Option(help: "Admin event streams subscribed to every change (as the admin API's SSE clients are).")
    var streams = 1

    func validate() throws {
        guard (2...1_000_000).contains(users) else { throw ValidationError("--users must be 2...1000000") }
        guard (1...1000).contains(watchers), watchers < users else {
            throw ValidationError("--watchers must be 1...1000 and below --users")
        }
        guard changes >= 2, changes / 2 <= users, rate > 0, (1...64).contains(ioThreads), (0...1000).contains(streams)
        else {
            throw ValidationError(
                "--changes 2...2 × --users, --rate above 0; --io-threads 1...64; --streams 0...1000"
            )
        }
    }

    func run() async throws {
        let users = self.users
        let watchers = self.watchers
        print("presence: \(users) users × \(watchers) BLF watchers = \(users * watchers) subscriptions")
        let clock = ContinuousClock()
        let origin = clock.now
        let nanoseconds: @Sendable () -> Int64 = {
            let components = (ContinuousClock.now - origin).components
            return components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
        }

        // The directory: user i has device i with line number(i) and speed dials 1...W on the next W users.
        func number(_ user: Int) -> DirectoryNumber { DirectoryNumber(String(100_000 + user)) }
        func device(_ user: Int) -> DeviceName {
            let hex = String(user + 1, radix: 16, uppercase: true)
            return DeviceName("SEP" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex)
        }
        var devices: [DeviceConfiguration] = []
        devices.reserveCapacity(users)
        for user in 0..<users {
            let dials = (1...watchers).map { index in
                SpeedDial(
                    index: UInt32(index),
                    number: number((user + index) % users).rawValue,
                    label: "",
                    isBusyLampField: true
                )
            }
            devices.append(DeviceConfiguration(name: device(user), lines: [number(user)], speedDials: dials))
        }
        let directory = Directory(
            devices: devices,
            settings: CallControlSettings(autoRegistration: AutoRegistrationSettings(isEnabled: false))
        )
        devices = []

        let coreGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ioGroup = MultiThreadedEventLoopGroup(numberOfThreads: self.ioThreads)
        var logger = Logger(label: "strowger-bench.presence")
        logger.logLevel = .error
        let host = CallControlHost(
            core: CallControlCore(directory: directory),
            configuration: .init(),
            eventLoop: coreGroup.next(),
            logger: logger
        )

        // What each user's last change was, and when it was submitted.
        let recorder = DeliveryRecorder(users: users, watchers: watchers)
        var handles: [SessionHandle] = []
        handles.reserveCapacity(users)
        for user in 0..<users {
            let loop = ioGroup.next()
            handles.append(
                SessionHandle(
                    id: UInt64(user + 1),
                    remoteAddress: nil,
                    deliver: { _ in },
                    deliverBusyLamps: { updates in
                        loop.execute {
                            let now = nanoseconds()
                            for update in updates { recorder.delivered(to: user, update, at: now) }
                        }
                    },
                    close: {}
                )
            )
        }

        let setupStart = clock.now
        for user in 0..<users {
            host.submit(.deviceRegistered(device(user), DeviceCapabilities()), from: handles[user])
        }
        for _ in 0..<streams {
            _ = try await host.subscribePresence(seenBy: .administrator) { _ in true }
        }
        while try await host.status().registeredDevices < users {
            try await Task.sleep(for: .milliseconds(50))
        }
        // Every lamp got its first state (a lamp registered before the phone it watches gets unknown, then idle):
        // wait until no more arrive.
        var settled = 0
        var last = -1
        while settled < 3, clock.now - setupStart < .seconds(600) {
            try await Task.sleep(for: .milliseconds(100))
            let now = recorder.initialDeliveries
            settled = now == last && now >= users * watchers ? settled + 1 : 0
            last = now
        }
        let setup = clock.now - setupStart
        let counts = try await host.presenceCounts()
        print(
            "setup: \(users) registrations and \(recorder.initialDeliveries) initial lamp states in \(setup); "
                + "engine: \(counts.users) users, \(counts.subscriptions) subscriptions, \(counts.streams) streams"
        )

        // Changes: users in random order go off hook, and each goes back on hook `lag` changes later (long after its
        // first change reached its watchers), so that every change is timed against the right submission. Each user
        // changes at most twice.
        var generator = SystemRandomNumberGenerator()
        let order = Array(0..<users).shuffled(using: &generator)
        let pairs = self.changes / 2
        let lag = max(1, Int(self.rate / 10))  // 100 ms of changes
        let interval = Duration.seconds(1 / self.rate)
        let runStart = clock.now
        var next = runStart
        func change(_ user: Int, offHook: Bool) async throws {
            let name = device(user)
            recorder.changed(user, to: offHook ? .inUse : .idle, at: nanoseconds())
            host.submit(
                offHook ? .offHook(name, line: nil, call: nil) : .onHook(name, line: nil, call: nil),
                from: handles[user]
            )
            next = next.advanced(by: interval)
            if next > clock.now { try await Task.sleep(until: next, clock: clock) }
        }
        for step in 0..<(pairs + lag) {
            if step < pairs { try await change(order[step], offHook: true) }
            if step >= lag { try await change(order[step - lag], offHook: false) }
        }
        let submitted = clock.now - runStart
        let expected = pairs * 2 * watchers
        let waitStart = clock.now
        while recorder.timedDeliveries < expected, clock.now - waitStart < .seconds(30) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let result = recorder.result()
        let resident = ProcessSampler(pid: nil).read(at: 0)?.residentBytes ?? 0

        print("changes: \(pairs * 2) at \(format(self.rate, decimals: 0))/s over \(submitted)")
        print("deliveries: \(result.histogram.count) of \(expected) timed, \(result.wrong) with an unexpected state")
        if let summary = result.histogram.summary {
            print("change → every watcher's session: \(summary.text)")
            print(summary.p99 <= 100 ? "p99 ≤ 100 ms: yes" : "p99 ≤ 100 ms: NO")
        }
        print("resident memory: \(format(Double(resident) / 1_048_576, decimals: 1)) MiB")
        try await ioGroup.shutdownGracefully()
        try await coreGroup.shutdownGracefully()
        if result.histogram.count < expected || result.wrong > 0 { throw ExitCode(2) }
    }
}

/// Change times by user, and the latency histogram of deliveries; shared by the I/O loops.
final class DeliveryRecorder: Sendable {
    private struct State {
        /// When each user's last change was submitted (ns since the run's origin; -1: none) and the state it set.
        var changedAt: [Int64]
        var expected: [BusyLampState]
        var histogram = LatencyHistogram()
        var initial = 0
        var wrong = 0
    }

    private let state: NIOLockedValueBox<State>
    private let users: Int

    init(users: Int, watchers: Int) {
        self.users = users
        self.state = NIOLockedValueBox(
            State(
                changedAt: [Int64](repeating: -1, count: users),
                expected: [BusyLampState](repeating: .idle, count: users)
            )
        )
    }

    func changed(_ user: Int, to state: BusyLampState, at nanoseconds: Int64) {
        self.state.withLockedValue { recorded in
            recorded.changedAt[user] = nanoseconds
            recorded.expected[user] = state
        }
    }

    /// Speed dial `index` of `watcher`'s phone watches user `watcher + index`.
    func delivered(to watcher: Int, _ update: BusyLampUpdate, at nanoseconds: Int64) {
        let watched = (watcher + Int(update.index)) % users
        self.state.withLockedValue { recorded in
            let changedAt = recorded.changedAt[watched]
            guard changedAt >= 0 else {
                recorded.initial += 1
                return
            }
            if update.state != recorded.expected[watched] { recorded.wrong += 1 }
            recorded.histogram.record(nanoseconds: nanoseconds - changedAt)
        }
    }

    var initialDeliveries: Int { self.state.withLockedValue { $0.initial } }
    var timedDeliveries: Int { self.state.withLockedValue { $0.histogram.count } }

    func result() -> (histogram: LatencyHistogram, wrong: Int) {
        self.state.withLockedValue { ($0.histogram, $0.wrong) }
    }
}
