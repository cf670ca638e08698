public import CallControl

/// Issue 8's scale scenario as a function strowger-bench can call: N users, each with one registered phone and
/// watched by W others, then a stream of line-state changes, each timed from the event to the last output built.
///
/// Not a unit test: it reads a clock and takes seconds. The engine itself stays deterministic; only this driver
/// measures. `strowger-bench presence` (to be added by the lead) can print ``Result`` and read the process's RSS
/// around ``makeEngine()`` for memory.
public struct PresenceBenchmark: Sendable {
    /// How the watchers watch.
    public enum WatcherKind: Hashable, Sendable {
        /// Users watching users (a buddy list): W `.user` subscriptions per user.
        case users
        /// Phones watching numbers: each user's phone has W BLF speed dials on the others' numbers.
        case busyLampFields
    }

    public var users: Int
    public var watchersPerUser: Int
    public var watcherKind: WatcherKind
    /// One user in this many restricts its visibility to an allow-list of half its watchers, so that the privacy
    /// path is part of the measurement; 0 for none.
    public var restrictedEvery: Int
    /// Line-state changes to time.
    public var changes: Int

    public init(
        users: Int = 20_000,
        watchersPerUser: Int = 50,
        watcherKind: WatcherKind = .users,
        restrictedEvery: Int = 10,
        changes: Int = 20_000
    ) {
        self.users = max(2, users)
        self.watchersPerUser = min(max(0, watchersPerUser), self.users - 1)
        self.watcherKind = watcherKind
        self.restrictedEvery = max(0, restrictedEvery)
        self.changes = max(0, changes)
    }

    public struct Result: Sendable, CustomStringConvertible {
        public var users: Int
        public var subscriptions: Int
        /// Time to build the engine (registrations, users, subscriptions).
        public var setup: Duration
        public var changes: Int
        /// Outputs produced by the timed changes (updates to watchers).
        public var notifications: Int
        public var median: Duration
        public var p99: Duration
        public var maximum: Duration
        public var total: Duration

        public var description: String {
            "presence: \(users) users, \(subscriptions) subscriptions (setup \(setup)); \(changes) changes, "
                + "\(notifications) notifications in \(total): p50 \(median), p99 \(p99), max \(maximum) per change"
        }
    }

    /// The user of index `i`.
    public static func user(_ index: Int) -> UserName { UserName("user\(index)") }
    /// The directory number of user `i`'s phone.
    public static func number(_ index: Int) -> DirectoryNumber { DirectoryNumber(String(100_000 + index)) }
    /// The device name of user `i`'s phone: SEP + 12 hex digits.
    public static func device(_ index: Int) -> DeviceName {
        let hex = String(index, radix: 16, uppercase: true)
        return DeviceName("SEP" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex)
    }

    /// The watchers of user `i`: the next W users, wrapping.
    func watcherIndexes(of index: Int) -> [Int] {
        (1...max(1, watchersPerUser)).prefix(watchersPerUser).map { (index + $0) % users }
    }

    /// An engine with every user registered and watched: users × watchers subscriptions.
    public func makeEngine() -> PresenceEngine {
        var engine = PresenceEngine()
        for index in 0..<users {
            var visibility = PresenceVisibility.everyone
            if restrictedEvery > 0, index % restrictedEvery == 0 {
                visibility = .only(Set(watcherIndexes(of: index).prefix(watchersPerUser / 2).map(Self.user)))
            }
            _ = engine.handle(
                .userUpdated(PresenceUser(name: Self.user(index), capabilities: .web, visibility: visibility))
            )
            _ = engine.handle(.deviceOwnerChanged(Self.device(index), owner: Self.user(index)))
        }
        // Who each user watches (the inverse of "watched by the next W").
        for index in 0..<users {
            let watched = (1...max(1, watchersPerUser)).prefix(watchersPerUser).map { (index - $0 + users) % users }
            let line = LineAppearance(instance: 1, number: Self.number(index), displayName: "")
            switch watcherKind {
            case .users:
                _ = engine.handle(
                    .deviceRegistered(
                        Self.device(index),
                        DeviceProfile(name: Self.device(index), lines: [line], speedDials: []),
                        .unknown
                    )
                )
                for other in watched {
                    _ = engine.handle(.subscribe(.user(Self.user(index)), to: .user(Self.user(other))))
                }
            case .busyLampFields:
                let dials = watched.enumerated().map { offset, other in
                    SpeedDial(
                        index: UInt32(offset + 1),
                        number: Self.number(other).rawValue,
                        label: "",
                        isBusyLampField: true
                    )
                }
                _ = engine.handle(
                    .deviceRegistered(
                        Self.device(index),
                        DeviceProfile(name: Self.device(index), lines: [line], speedDials: dials),
                        .unknown
                    )
                )
            }
        }
        return engine
    }

    /// Builds the engine, then times `changes` line-state changes spread over the users (each toggles a line between
    /// in use and idle).
    public func run() -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        var engine = makeEngine()
        let setup = clock.now - start

        var busy = [Bool](repeating: false, count: users)
        var durations: [Duration] = []
        durations.reserveCapacity(changes)
        var notifications = 0
        for step in 0..<changes {
            let index = (step &* 7_919) % users
            busy[index].toggle()
            let event = PresenceEvent.lineStateChanged(Self.number(index), busy[index] ? .inUse : .idle)
            let before = clock.now
            let outputs = engine.handle(event)
            durations.append(clock.now - before)
            notifications += outputs.count
        }
        let sorted = durations.sorted()
        /// The nearest-rank percentile, `percent` of 100 (integer arithmetic: no libm).
        func percentile(_ percent: Int) -> Duration {
            guard !sorted.isEmpty else { return .zero }
            return sorted[((sorted.count - 1) * percent + 99) / 100]
        }
        return Result(
            users: users,
            subscriptions: engine.subscriptionCount,
            setup: setup,
            changes: changes,
            notifications: notifications,
            median: percentile(50),
            p99: percentile(99),
            maximum: sorted.last ?? .zero,
            total: durations.reduce(.zero, +)
        )
    }
}
