import CallControl

/// What each event changes. Every handler updates the engine's facts and marks the users and numbers whose view may
/// have changed; ``reportChanges()`` then recomputes them and tells the watchers.
extension PresenceEngine {
    // MARK: - From CallControl

    mutating func lineStateChanged(_ number: DirectoryNumber, _ state: LineState) {
        guard (lineStates[number] ?? .idle) != state else { return }
        lineStates[number] = state == .idle ? nil : state
        changedNumbers.insert(number)
        for name in numberDevices[number] ?? [] {
            guard let device = devices[name], device.isRegistered, let presentity = device.presentity else { continue }
            changedUsers.insert(presentity)
        }
    }

    mutating func deviceRegistered(_ name: DeviceName, profile: DeviceProfile, capabilities: DeviceCapabilities) {
        var device = devices[name] ?? Device()
        let oldPresentity = device.presentity
        let oldLines = device.lines
        let wasRegistered = device.isRegistered
        let oldDials = device.busyLamps.filter(\.isFromProfile)

        var lines: [DirectoryNumber] = []
        for appearance in profile.lines where !lines.contains(appearance.number) {
            lines.append(appearance.number)
        }
        let dials = profile.speedDials.compactMap { speedDial -> BusyLamp? in
            guard speedDial.isBusyLampField, let number = Self.watchedNumber(speedDial.number) else { return nil }
            return BusyLamp(index: speedDial.index, target: .number(number), isFromProfile: true)
        }
        device.lines = lines
        device.isRegistered = true
        device.supportsVideo = capabilities.supportsVideo
        devices[name] = device

        // A number that gains or loses this device may have other owners now (revealed); the others only change
        // state (from unknown to idle, say), which watchers that may not see them never learn.
        updateNumberIndex(of: name, from: oldLines, to: lines)
        for number in lines { changedNumbers.insert(number) }
        move(name, from: oldPresentity, to: device.presentity)
        if let presentity = device.presentity { changedUsers.insert(presentity) }

        if !wasRegistered || dials != oldDials {
            for dial in oldDials {
                unsubscribe(.busyLampField(name, index: dial.index), from: dial.target)
            }
            for dial in dials {
                subscribeLamp(dial, of: name)
            }
        } else if oldPresentity != device.presentity {
            refreshBusyLampViews(of: name)
        }
    }

    mutating func deviceUnregistered(_ name: DeviceName) {
        guard let device = devices[name], device.isRegistered else { return }
        removeBusyLampWatchers(of: name)
        devices[name]?.isRegistered = false
        for number in device.lines { changedNumbers.insert(number) }
        if let presentity = device.presentity { changedUsers.insert(presentity) }
    }

    // MARK: - From the Store

    mutating func deviceOwnerChanged(_ name: DeviceName, owner: UserName?) {
        var device = devices[name] ?? Device()
        if devices[name] != nil, device.owner == owner { return }
        let oldPresentity = device.presentity
        device.owner = owner
        devices[name] = device
        move(name, from: oldPresentity, to: device.presentity)
        for number in device.lines {
            changedNumbers.insert(number)
            revealedNumbers.insert(number)
        }
        // The device's BLF speed dials now see as someone else.
        if oldPresentity != device.presentity { refreshBusyLampViews(of: name) }
    }

    mutating func deviceRemoved(_ name: DeviceName) {
        guard let device = devices[name] else { return }
        removeBusyLampWatchers(of: name)
        updateNumberIndex(of: name, from: device.lines, to: [])
        for number in device.lines {
            changedNumbers.insert(number)
            revealedNumbers.insert(number)
        }
        move(name, from: device.presentity, to: nil)
        devices[name] = nil
    }

    mutating func userUpdated(_ user: PresenceUser) {
        var presentity = presentities[user.name] ?? Presentity()
        let oldVisibility = presentity.visibility
        presentity.user = user
        presentities[user.name] = presentity
        changedUsers.insert(user.name)
        if oldVisibility != user.visibility { visibilityChanged(of: user.name) }
    }

    mutating func userRemoved(_ name: UserName) {
        guard var presentity = presentities[name], presentity.user != nil else { return }
        let oldVisibility = presentity.visibility
        let oldStatus = presentity.status
        presentity.user = nil
        presentity.status = .available
        presentities[name] = presentity
        changedUsers.insert(name)
        if oldVisibility != .everyone { visibilityChanged(of: name) }
        if oldStatus.availability == .doNotDisturb { markNumbers(of: name) }
    }

    // MARK: - From users

    mutating func statusChanged(_ name: UserName, _ status: UserStatus) {
        guard let old = presentities[name]?.status, old != status else { return }
        presentities[name]?.status = status
        changedUsers.insert(name)
        // Do-not-disturb set by the user shows on BLF lamps of the user's numbers.
        if (old.availability == .doNotDisturb) != (status.availability == .doNotDisturb) { markNumbers(of: name) }
    }

    mutating func doNotDisturbChanged(_ name: DeviceName, isOn: Bool) {
        var device = devices[name] ?? Device()
        if devices[name] != nil, device.doNotDisturb == isOn { return }
        device.doNotDisturb = isOn
        devices[name] = device
        for number in device.lines { changedNumbers.insert(number) }
        if let presentity = device.presentity { changedUsers.insert(presentity) }
    }

    // MARK: - Helpers

    /// The directory number a BLF speed dial watches: its number without a trailing `#`; nil if empty.
    static func watchedNumber(_ dialString: String) -> DirectoryNumber? {
        var text = Substring(dialString)
        if text.last == "#" { text = text.dropLast() }
        return text.isEmpty ? nil : DirectoryNumber(String(text))
    }

    /// Keeps ``numberDevices`` in step with a device's lines.
    mutating func updateNumberIndex(of name: DeviceName, from old: [DirectoryNumber], to new: [DirectoryNumber]) {
        for number in old where !new.contains(number) {
            guard var names = numberDevices[number] else { continue }
            names.removeAll { $0 == name }
            numberDevices[number] = names.isEmpty ? nil : names
            revealedNumbers.insert(number)
            changedNumbers.insert(number)
        }
        for number in new where !old.contains(number) {
            numberDevices[number, default: []].append(name)
            revealedNumbers.insert(number)
            changedNumbers.insert(number)
        }
    }

    /// Moves a device from one presentity to another (either may be nil), creating the new one if needed.
    mutating func move(_ name: DeviceName, from old: UserName?, to new: UserName?) {
        guard old != new else { return }
        if let old, var presentity = presentities[old] {
            presentity.devices.removeAll { $0 == name }
            presentities[old] = presentity
            changedUsers.insert(old)
        }
        if let new {
            presentities[new, default: Presentity()].devices.append(name)
            changedUsers.insert(new)
        }
    }

    /// A user's visibility changed: every watcher of the user, and of the user's numbers, gets its new view.
    mutating func visibilityChanged(of name: UserName) {
        revealedUsers.insert(name)
        for number in numbers(of: name) {
            changedNumbers.insert(number)
            revealedNumbers.insert(number)
        }
    }

    /// Marks every number of a presentity's devices as changed.
    mutating func markNumbers(of name: UserName) {
        for number in numbers(of: name) { changedNumbers.insert(number) }
    }

    /// The numbers of every device of a presentity, registered or not.
    func numbers(of name: UserName) -> [DirectoryNumber] {
        (presentities[name]?.devices ?? []).flatMap { devices[$0]?.lines ?? [] }
    }
}
