/// Do-not-disturb (per device) and message waiting (per line): device states that the session shows and presence
/// reads, kept in step with the directory.
extension CallControlCore {
    /// The DND softkey: flips the device's do-not-disturb. The directory copy changes at once (the host persists it
    /// when it sees ``CallCommand/doNotDisturbChanged(_:isOn:)``).
    mutating func toggleDoNotDisturb(_ name: DeviceName) {
        guard var configuration = directory.devices[name], devices[name] != nil else { return }
        configuration.doNotDisturb.toggle()
        directory.upsert(configuration)
        devices[name]?.doNotDisturb = configuration.doNotDisturb
        emit(.doNotDisturbChanged(name, isOn: configuration.doNotDisturb))
    }

    /// Reports the device's do-not-disturb and message lamps where they differ from what it was last told (at
    /// registration: everything that is on).
    mutating func reportDeviceStates(_ name: DeviceName) {
        guard let device = devices[name], let configuration = directory.devices[name] else { return }
        if configuration.doNotDisturb != device.doNotDisturb {
            devices[name]?.doNotDisturb = configuration.doNotDisturb
            emit(.doNotDisturbChanged(name, isOn: configuration.doNotDisturb))
        }
        for appearance in device.profile.lines {
            let isOn = directory.lineConfiguration(for: appearance.number).messageWaiting
            guard isOn != device.messageWaiting.contains(appearance.instance) else { continue }
            if isOn {
                devices[name]?.messageWaiting.insert(appearance.instance)
            } else {
                devices[name]?.messageWaiting.remove(appearance.instance)
            }
            emit(.messageWaiting(name, line: appearance.instance, isOn: isOn))
        }
    }
}
