import CallControl

/// The aggregation rules of docs/presence.md, privacy, and reporting changes to watchers.
extension PresenceEngine {
    // MARK: - Aggregation

    /// A presentity's presence from the current facts (docs/presence.md, "Users").
    func currentPresence(of name: UserName) -> UserPresence {
        guard let presentity = presentities[name] else { return .unknownUser }
        var capabilities = (presentity.user?.capabilities ?? []).subtracting(.fromDevices)
        var line = LineState.idle
        var isRegistered = false
        var doNotDisturb = false
        for deviceName in presentity.devices {
            guard let device = devices[deviceName], device.isRegistered else { continue }
            isRegistered = true
            capabilities.insert(.voice)
            if device.supportsVideo { capabilities.insert(.video) }
            if device.doNotDisturb { doNotDisturb = true }
            for number in device.lines {
                if let state = lineStates[number], state > line { line = state }
            }
        }
        let activity: PresenceActivity
        if !isRegistered {
            activity = .offline
        } else {
            switch line {
            case .inUse: activity = .onCall
            case .ringing: activity = .ringing
            case .held: activity = .onHold
            case .idle: activity = doNotDisturb ? .doNotDisturb : .available
            }
        }
        return UserPresence(
            state: Self.combine(activity, presentity.status),
            activity: activity,
            status: presentity.status,
            capabilities: capabilities,
            displayName: presentity.user?.displayName ?? ""
        )
    }

    /// The combined state: what the phones say wins; when they say nothing (registered, idle, no device DND), the
    /// status the user set decides (docs/presence.md, "Combining").
    static func combine(_ activity: PresenceActivity, _ status: UserStatus) -> PresenceState {
        switch activity {
        case .offline: .offline
        case .onCall: .onCall
        case .ringing: .ringing
        case .onHold: .onHold
        case .doNotDisturb: .doNotDisturb
        case .available:
            switch status.availability {
            case .available: .available
            case .away: .away
            case .busy: .busy
            case .doNotDisturb: .doNotDisturb
            }
        }
    }

    /// What a BLF watching `number` shows to someone allowed to see it (docs/presence.md, "Numbers").
    func currentNumberState(_ number: DirectoryNumber) -> BusyLampState {
        var isRegistered = false
        var everyCarrierInDoNotDisturb = true
        for name in numberDevices[number] ?? [] {
            guard let device = devices[name], device.isRegistered else { continue }
            isRegistered = true
            if !isInDoNotDisturb(device) { everyCarrierInDoNotDisturb = false }
        }
        guard isRegistered else { return .unknown }
        switch lineStates[number] ?? .idle {
        case .ringing: return .ringing
        case .inUse, .held: return .inUse
        case .idle: return everyCarrierInDoNotDisturb ? .doNotDisturb : .idle
        }
    }

    /// Whether a device would not ring: DND on the device, or its user set do-not-disturb.
    func isInDoNotDisturb(_ device: Device) -> Bool {
        if device.doNotDisturb { return true }
        guard let presentity = device.presentity else { return false }
        return presentities[presentity]?.status.availability == .doNotDisturb
    }

    // MARK: - Privacy

    /// Who a watcher sees as: a BLF as its device's user, a user as themselves, an anonymous client as nobody.
    func viewer(of watcher: Watcher) -> UserName? {
        switch watcher {
        case .busyLampField(let device, _): devices[device]?.presentity
        case .user(let name): name
        case .anonymous, .administrator: nil
        }
    }

    /// Whether privacy does not apply to the watcher (the administrator).
    func seesEverything(_ watcher: Watcher) -> Bool {
        if case .administrator = watcher { return true }
        return false
    }

    func mayView(_ user: UserName, _ viewer: UserName?) -> Bool {
        guard let visibility = presentities[user]?.visibility else { return true }
        return visibility.allows(viewer, toSee: user)
    }

    /// A number may be seen if every user whose device carries it may be seen: a shared line is as private as its
    /// most private owner.
    func mayView(_ number: DirectoryNumber, _ viewer: UserName?) -> Bool {
        for name in numberDevices[number] ?? [] {
            guard let owner = devices[name]?.presentity else { continue }
            if !mayView(owner, viewer) { return false }
        }
        return true
    }

    /// The owners of `number` that restrict who sees them (each once); empty when the number is public.
    func restrictingOwners(of number: DirectoryNumber) -> [(name: UserName, visibility: PresenceVisibility)] {
        var owners: [(name: UserName, visibility: PresenceVisibility)] = []
        for name in numberDevices[number] ?? [] {
            guard let owner = devices[name]?.presentity, let visibility = presentities[owner]?.visibility,
                visibility != .everyone, !owners.contains(where: { $0.name == owner })
            else { continue }
            owners.append((owner, visibility))
        }
        return owners
    }

    // MARK: - Reporting

    /// After an event: recomputes every marked user and watched number and tells the watchers what changed for
    /// them. A watcher that may not see a target hears nothing about its changes (not even that one happened);
    /// when visibility itself changed, every watcher of the target gets its current view.
    mutating func reportChanges() {
        for name in changedUsers.keys {
            let presence = currentPresence(of: name)
            let revealed = revealedUsers.contains(name)
            if presence != (presentities[name]?.presence ?? .unknownUser) || revealed {
                presentities[name]?.presence = presence
                notifyWatchers(of: name, presence, revealed: revealed)
            }
            if let presentity = presentities[name], presentity.isEmpty { presentities[name] = nil }
        }
        for number in changedNumbers.keys {
            guard let previous = numberStates[number] else { continue }  // nobody watches it
            let state = currentNumberState(number)
            let revealed = revealedNumbers.contains(number)
            guard state != previous || revealed else { continue }
            numberStates[number] = state
            notifyWatchers(of: number, state, revealed: revealed)
        }
        changedUsers.removeAll()
        changedNumbers.removeAll()
        revealedUsers.removeAll(keepingCapacity: true)
        revealedNumbers.removeAll(keepingCapacity: true)
    }

    /// O(watchers of the user + watchers of every user).
    mutating func notifyWatchers(of name: UserName, _ presence: UserPresence, revealed: Bool) {
        let visibility = presentities[name]?.visibility ?? .everyone
        for target in [WatchTarget.user(name), .allUsers] {
            guard let list = watchers[target] else { continue }
            for watcher in list {
                let allowed =
                    visibility == .everyone || seesEverything(watcher)
                    || visibility.allows(viewer(of: watcher), toSee: name)
                guard allowed || revealed else { continue }
                emit(to: watcher, user: name, allowed ? .visible(presence) : .hidden)
            }
        }
    }

    /// O(watchers of the number × owners that restrict it).
    mutating func notifyWatchers(of number: DirectoryNumber, _ state: BusyLampState, revealed: Bool) {
        guard let list = watchers[.number(number)] else { return }
        let owners = restrictingOwners(of: number)
        for watcher in list {
            var allowed = true
            if !owners.isEmpty, !seesEverything(watcher) {
                let viewer = viewer(of: watcher)
                allowed = owners.allSatisfy { $0.visibility.allows(viewer, toSee: $0.name) }
            }
            guard allowed || revealed else { continue }
            emit(to: watcher, number: number, allowed ? state : .unknown)
        }
    }

    /// The watcher's current view of `target`, whatever it was told before (on subscribing, or when the watcher
    /// sees as someone else now).
    mutating func emitCurrentView(to watcher: Watcher, of target: WatchTarget) {
        let viewer = viewer(of: watcher)
        let all = seesEverything(watcher)
        switch target {
        case .user(let name):
            emit(
                to: watcher,
                user: name,
                all || mayView(name, viewer) ? .visible(currentPresence(of: name)) : .hidden
            )
        case .number(let number):
            emit(
                to: watcher,
                number: number,
                all || mayView(number, viewer) ? currentNumberState(number) : .unknown
            )
        case .allUsers:
            for name in presentities.keys.sorted() {
                emit(
                    to: watcher,
                    user: name,
                    all || mayView(name, viewer) ? .visible(currentPresence(of: name)) : .hidden
                )
            }
        }
    }

    mutating func emit(to watcher: Watcher, user name: UserName, _ view: PresenceView) {
        switch watcher {
        case .busyLampField(let device, let index):
            let state: BusyLampState
            switch view {
            case .visible(let presence): state = presence.busyLampState
            case .hidden: state = .unknown
            }
            output.append(.busyLamp(device, index: index, state))
        case .user, .anonymous, .administrator:
            output.append(.userPresence(watcher, name, view))
        }
    }

    mutating func emit(to watcher: Watcher, number: DirectoryNumber, _ state: BusyLampState) {
        switch watcher {
        case .busyLampField(let device, let index):
            output.append(.busyLamp(device, index: index, state))
        case .user, .anonymous, .administrator:
            output.append(.numberState(watcher, number, state))
        }
    }
}
