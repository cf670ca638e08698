/// Registration, unregistration, auto-registration and directory changes.
extension CallControlCore {
    mutating func register(_ name: DeviceName, capabilities: DeviceCapabilities) {
        guard devices[name] == nil else {
            emit(.registrationRejected(name, .alreadyRegistered))
            return
        }
        if directory.devices[name] == nil {
            let settings = directory.settings.autoRegistration
            guard settings.isEnabled else {
                emit(.registrationRejected(name, .unknownDevice))
                return
            }
            guard name.isAutoRegistrationCandidate else {
                emit(.registrationRejected(name, .invalidDeviceName))
                return
            }
            guard let number = nextFreeAutoRegistrationNumber() else {
                emit(.registrationRejected(name, .autoRegistrationRangeExhausted))
                return
            }
            directory.upsert(
                LineConfiguration(number: number, maxCalls: settings.maxCalls, busyTrigger: settings.busyTrigger)
            )
            directory.upsert(DeviceConfiguration(name: name, lines: [number]))
            emit(.autoRegistered(name, number))
        }
        guard let configuration = directory.devices[name] else {
            preconditionFailure("device \(name) vanished from the directory during its registration")
        }
        let profile = makeProfile(configuration)
        devices[name] = RegisteredDevice(profile: profile, capabilities: capabilities)
        emit(.registrationAccepted(name, profile))
        emit(.deviceStatusChanged(name, .registered(profile, capabilities)))
        reportDeviceStates(name)
    }

    /// The lowest free number at or after the cursor (wrapping once), or nil if the range is full.
    mutating func nextFreeAutoRegistrationNumber() -> DirectoryNumber? {
        guard !autoRegistrationExhausted else { return nil }
        let range = directory.settings.autoRegistration.numbers
        var candidate = autoRegistrationCursor.flatMap { range.contains($0) ? $0 : nil } ?? range.lowerBound
        for _ in 0..<range.count {
            let number = DirectoryNumber(String(candidate))
            let next = candidate == range.upperBound ? range.lowerBound : candidate + 1
            if !directory.isNumberInUse(number) {
                autoRegistrationCursor = next
                return number
            }
            candidate = next
        }
        autoRegistrationExhausted = true
        return nil
    }

    func makeProfile(_ configuration: DeviceConfiguration) -> DeviceProfile {
        let lines = configuration.lines.enumerated().map { offset, number in
            let line = directory.lineConfiguration(for: number)
            return LineAppearance(
                instance: LineInstance(UInt32(offset + 1)),
                number: number,
                displayName: line.displayName,
                forwardAll: line.forwardAll,
                forwardBusy: line.forwardBusy,
                forwardNoAnswer: line.forwardNoAnswer
            )
        }
        return DeviceProfile(
            name: configuration.name,
            lines: lines,
            speedDials: configuration.speedDials,
            softkeys: configuration.softkeys ?? .standardUser
        )
    }

    /// Removes the device and clears every call it has; the other parties return to idle. Nothing is sent to the
    /// device itself: it is removed first, so ``indicate(_:_:)`` skips it.
    mutating func unregister(_ name: DeviceName, reason: ReleaseReason) {
        guard let device = devices.removeValue(forKey: name) else { return }
        for reference in device.legs {
            release(reference, reason: reason)
        }
        emit(.deviceStatusChanged(name, .unregistered))
    }

    mutating func applyDirectoryChange(_ change: DirectoryChange) {
        autoRegistrationExhausted = false
        switch change {
        case .replace(let replacement):
            directory = replacement
            autoRegistrationCursor = nil
            for name in devices.keys.sorted() { reconcile(name) }
        case .upsertDevice(let configuration):
            directory.upsert(configuration)
            reconcile(configuration.name)
        case .removeDevice(let name):
            directory.removeDevice(named: name)
            autoRegistrationCursor = nil
            reconcile(name)
        case .upsertLine(let line):
            directory.upsert(line)
            for name in directory.devices(carrying: line.number) { reconcile(name) }
        case .removeLine(let number):
            directory.removeLine(number)
            autoRegistrationCursor = nil
            for name in directory.devices(carrying: number) { reconcile(name) }
        case .replaceRoutePatterns(let patterns):
            directory.replaceRoutePatterns(patterns)
        case .replaceSettings(let settings):
            directory.settings = settings
            autoRegistrationCursor = nil
        case .upsertHuntGroup(let group):
            directory.upsert(group)
        case .removeHuntGroup(let pilot):
            directory.removeHuntGroup(pilot: pilot)
        case .upsertPickupGroup(let group):
            directory.upsert(group)
        case .removePickupGroup(let number):
            directory.removePickupGroup(number: number)
        case .replaceMeetMeRanges(let ranges):
            directory.replaceMeetMeRanges(ranges)
        }
    }

    /// Brings a registered device in line with the directory: drops it if it was removed, reports a changed profile.
    mutating func reconcile(_ name: DeviceName) {
        guard let device = devices[name] else { return }
        guard let configuration = directory.devices[name] else {
            unregister(name, reason: .deviceLost)
            emit(.unregister(name, reason: .removedFromDirectory))
            return
        }
        let profile = makeProfile(configuration)
        if profile != device.profile {
            devices[name]?.profile = profile
            emit(.configurationChanged(name, profile))
            emit(.deviceStatusChanged(name, .registered(profile, device.capabilities)))
        }
        reportDeviceStates(name)
    }
}
