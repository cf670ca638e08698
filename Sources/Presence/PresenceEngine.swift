public import CallControl

/// Presence: turns line states, registrations, user records and the status users set into each user's presence
/// and each watched number's busy-lamp state, and tells every watcher what it may see (docs/presence.md).
///
/// Events in, outputs out, like ``CallControlCore``: ``handle(_:)`` takes one ``PresenceEvent`` and returns the
/// ``PresenceOutput``s the host must pass on, in order. It performs no I/O and reads no clock, and the same events
/// in the same order always give the same outputs. It is a value type with a single owner (the host runs it next to
/// CallControl, feeding it the core's ``CallCommand/lineStateChanged(_:_:)`` and
/// ``CallCommand/deviceStatusChanged(_:_:)`` through ``handle(_:)-(CallCommand)``).
///
/// Cost: an event marks the users and numbers it may change; after the event each marked one is recomputed (a few
/// dictionary lookups per line of that user's devices) and, if what watchers see changed, every watcher of it is
/// told. Watchers are indexed by what they watch, so a change costs O(watchers of that user or number), never
/// O(all watchers). Memory is O(devices + users + subscriptions).
public struct PresenceEngine: Sendable {
    /// A device as presence knows it: from the Store (owner) and from its last registration (lines, BLF dials).
    struct Device: Sendable {
        var owner: UserName?
        /// Directory numbers in button order, from the last registration; kept while unregistered so that the
        /// number's owner (and so its privacy) stays known.
        var lines: [DirectoryNumber] = []
        var isRegistered = false
        var supportsVideo = false
        var doNotDisturb = false
        /// What each of the device's lamps (``Watcher/busyLampField(_:index:)``) watches, in the order they were
        /// subscribed: the BLF speed dials of the current registration and any lamp the host subscribed. Kept here
        /// rather than in ``PresenceEngine/subscriptions`` so that a phone's lamps cost one small array, not a
        /// dictionary entry each; they all go when the device unregisters.
        var busyLamps: [BusyLamp] = []

        /// The presentity the device counts for: its owner, or, with none, itself named by its first line.
        var presentity: UserName? { owner ?? lines.first.map(UserName.init(deviceNumber:)) }
    }

    /// One lamp of a device and what it watches. A lamp watches one thing at a time.
    struct BusyLamp: Hashable, Sendable {
        var index: UInt32
        var target: WatchTarget
        /// Subscribed by the engine from a BLF speed dial of the profile (rather than by the host).
        var isFromProfile: Bool
    }

    /// A user, a device-user, or a name a device's owner refers to.
    struct Presentity: Sendable {
        /// From the Store; nil for a device-user or an owner without a record.
        var user: PresenceUser?
        var status: UserStatus = .available
        /// Devices that count for this presentity, registered or not.
        var devices: [DeviceName] = []
        /// The presence last reported to watchers.
        var presence: UserPresence = .unknownUser

        /// Nothing names it any more: it can be forgotten.
        var isEmpty: Bool { user == nil && devices.isEmpty }

        var visibility: PresenceVisibility { user?.visibility ?? .everyone }
    }

    var devices: [DeviceName: Device] = [:]
    var presentities: [UserName: Presentity] = [:]
    /// Line states from CallControl; idle numbers are absent.
    var lineStates: [DirectoryNumber: LineState] = [:]
    /// Known devices (registered or not) that carry each number, in the order they were first seen.
    var numberDevices: [DirectoryNumber: [DeviceName]] = [:]
    /// The last state reported for each watched number; only numbers with watchers are kept.
    var numberStates: [DirectoryNumber: BusyLampState] = [:]
    /// Who watches what: the fan-out index.
    var watchers: [WatchTarget: [Watcher]] = [:]
    /// What each user or anonymous watcher watches, for ``PresenceEvent/unsubscribeAll(_:)``. Lamps are kept with
    /// their device (``Device/busyLamps``).
    var subscriptions: [Watcher: [WatchTarget]] = [:]
    /// Number of (watcher, target) pairs, kept so that ``subscriptionCount`` is O(1).
    var subscriptionTotal = 0

    // Work of the event being handled.
    var output: [PresenceOutput] = []
    /// Users whose presence may have changed.
    var changedUsers = OrderedKeys<UserName>()
    /// Numbers whose state may have changed.
    var changedNumbers = OrderedKeys<DirectoryNumber>()
    /// Users and numbers whose visibility may have changed: every watcher is told its view, even an unchanged one,
    /// because a watcher that could not see before may now (and the reverse).
    var revealedUsers: Set<UserName> = []
    var revealedNumbers: Set<DirectoryNumber> = []

    public init() {}

    /// Handles one event and returns what the host must pass on, in order.
    public mutating func handle(_ event: PresenceEvent) -> [PresenceOutput] {
        switch event {
        case .lineStateChanged(let number, let state):
            lineStateChanged(number, state)
        case .deviceRegistered(let name, let profile, let capabilities):
            deviceRegistered(name, profile: profile, capabilities: capabilities)
        case .deviceUnregistered(let name):
            deviceUnregistered(name)
        case .deviceOwnerChanged(let name, let owner):
            deviceOwnerChanged(name, owner: owner)
        case .deviceRemoved(let name):
            deviceRemoved(name)
        case .doNotDisturbChanged(let name, let isOn):
            doNotDisturbChanged(name, isOn: isOn)
        case .userUpdated(let user):
            userUpdated(user)
        case .userRemoved(let name):
            userRemoved(name)
        case .statusChanged(let name, let status):
            statusChanged(name, status)
        case .subscribe(let watcher, let target):
            subscribe(watcher, to: target)
        case .unsubscribe(let watcher, let target):
            unsubscribe(watcher, from: target)
        case .unsubscribeAll(let watcher):
            unsubscribeAll(watcher)
        }
        reportChanges()
        let result = output
        output = []
        return result
    }

    /// Handles a CallControl command if presence uses it (line states, device registrations); returns nothing for
    /// the others.
    public mutating func handle(_ command: CallCommand) -> [PresenceOutput] {
        guard let event = PresenceEvent(command) else { return [] }
        return handle(event)
    }

    // MARK: - Queries (admin API)

    /// Whether `user` names a presentity: a user record, a device's owner, or a device-user.
    public func knows(_ user: UserName) -> Bool { presentities[user] != nil }

    /// How `viewer` (nil: anonymous) sees `user` now, or nil if the engine does not know the name.
    public func presence(of user: UserName, seenBy viewer: UserName?) -> PresenceView? {
        guard let presentity = presentities[user] else { return nil }
        return presentity.visibility.allows(viewer, toSee: user) ? .visible(presentity.presence) : .hidden
    }

    /// `user`'s presence whatever their privacy (the administrator's view), or nil if the engine does not know the
    /// name.
    public func presence(of user: UserName) -> UserPresence? {
        presentities[user]?.presence
    }

    /// Every presentity as `viewer` sees it, by name. O(users log users).
    public func allPresence(seenBy viewer: UserName?) -> [(user: UserName, view: PresenceView)] {
        presentities.keys.sorted().map { name in
            let presentity = presentities[name] ?? Presentity()
            let view: PresenceView =
                presentity.visibility.allows(viewer, toSee: name) ? .visible(presentity.presence) : .hidden
            return (name, view)
        }
    }

    /// What a BLF watching `number` shows to `viewer` now.
    public func numberState(of number: DirectoryNumber, seenBy viewer: UserName?) -> BusyLampState {
        mayView(number, viewer) ? currentNumberState(number) : .unknown
    }

    /// Presentities known (users, owners named by devices, device-users).
    public var userCount: Int { presentities.count }
    /// Devices known (registered or not).
    public var deviceCount: Int { devices.count }
    /// Users and numbers that have at least one watcher.
    public var watchedTargetCount: Int { watchers.count }
    /// (Watcher, target) pairs. O(1).
    public var subscriptionCount: Int { subscriptionTotal }
}

/// Keys in the order they were first added, each once: deterministic iteration, unlike a `Set`.
struct OrderedKeys<Key: Hashable & Sendable>: Sendable {
    private(set) var keys: [Key] = []
    private var seen: Set<Key> = []

    mutating func insert(_ key: Key) {
        if seen.insert(key).inserted { keys.append(key) }
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        seen.removeAll(keepingCapacity: true)
    }

    var isEmpty: Bool { keys.isEmpty }
}
