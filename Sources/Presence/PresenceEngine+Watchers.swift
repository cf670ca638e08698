import CallControl

/// Subscriptions: the fan-out index (target → watchers) and its reverse (watcher → targets; for lamps, the device's
/// ``Device/busyLamps``).
///
/// Both are arrays inside dictionaries, mutated in place: adding is O(1), removing one subscription O(watchers of
/// the target + targets of the watcher), and a change fans out in O(watchers of the target). Arrays keep the order
/// of subscription, so outputs are deterministic.
extension PresenceEngine {
    /// Starts a subscription (if new) and tells the watcher its current view. A lamp watches one target: subscribing
    /// it to another replaces the first.
    mutating func subscribe(_ watcher: Watcher, to target: WatchTarget) {
        switch watcher {
        case .busyLampField(let device, let index):
            subscribeLamp(BusyLamp(index: index, target: target, isFromProfile: false), of: device)
        case .user, .anonymous, .administrator:
            if subscriptions[watcher]?.contains(target) != true {
                subscriptions[watcher, default: []].append(target)
                addToIndex(watcher, target)
            }
            emitCurrentView(to: watcher, of: target)
        }
    }

    /// Points lamp `lamp.index` of `device` at `lamp.target` and tells it its current view.
    mutating func subscribeLamp(_ lamp: BusyLamp, of device: DeviceName) {
        let watcher = Watcher.busyLampField(device, index: lamp.index)
        if case .allUsers = lamp.target { return }  // One lamp cannot show every user.
        if let position = devices[device]?.busyLamps.firstIndex(where: { $0.index == lamp.index }) {
            let old = devices[device]?.busyLamps[position].target
            devices[device]?.busyLamps[position] = lamp
            if let old, old != lamp.target {
                removeFromIndex(watcher, old)
                addToIndex(watcher, lamp.target)
            }
        } else {
            devices[device, default: Device()].busyLamps.append(lamp)
            addToIndex(watcher, lamp.target)
        }
        emitCurrentView(to: watcher, of: lamp.target)
    }

    mutating func unsubscribe(_ watcher: Watcher, from target: WatchTarget) {
        switch watcher {
        case .busyLampField(let device, let index):
            guard
                let position = devices[device]?.busyLamps.firstIndex(where: { $0.index == index && $0.target == target }
                )
            else { return }
            devices[device]?.busyLamps.remove(at: position)
            removeFromIndex(watcher, target)
        case .user, .anonymous, .administrator:
            // Mutated in place through the optional chain: no copy of the arrays.
            guard let position = subscriptions[watcher]?.firstIndex(of: target) else { return }
            subscriptions[watcher]?.remove(at: position)
            if subscriptions[watcher]?.isEmpty == true { subscriptions[watcher] = nil }
            removeFromIndex(watcher, target)
        }
    }

    mutating func unsubscribeAll(_ watcher: Watcher) {
        switch watcher {
        case .busyLampField(let device, let index):
            guard let lamp = devices[device]?.busyLamps.first(where: { $0.index == index }) else { return }
            unsubscribe(watcher, from: lamp.target)
        case .user, .anonymous, .administrator:
            guard let targets = subscriptions.removeValue(forKey: watcher) else { return }
            for target in targets { removeFromIndex(watcher, target) }
        }
    }

    /// Every lamp of the device stops watching (the device unregistered or was removed).
    mutating func removeBusyLampWatchers(of device: DeviceName) {
        for lamp in devices[device]?.busyLamps ?? [] {
            removeFromIndex(.busyLampField(device, index: lamp.index), lamp.target)
        }
        devices[device]?.busyLamps = []
    }

    /// The device's lamps see as someone else now: each gets its current view again.
    mutating func refreshBusyLampViews(of device: DeviceName) {
        for lamp in devices[device]?.busyLamps ?? [] {
            emitCurrentView(to: .busyLampField(device, index: lamp.index), of: lamp.target)
        }
    }

    private mutating func addToIndex(_ watcher: Watcher, _ target: WatchTarget) {
        watchers[target, default: []].append(watcher)
        subscriptionTotal += 1
        if case .number(let number) = target, numberStates[number] == nil {
            numberStates[number] = currentNumberState(number)
        }
    }

    private mutating func removeFromIndex(_ watcher: Watcher, _ target: WatchTarget) {
        guard let position = watchers[target]?.firstIndex(of: watcher) else { return }
        watchers[target]?.remove(at: position)
        subscriptionTotal -= 1
        if watchers[target]?.isEmpty == true {
            watchers[target] = nil
            if case .number(let number) = target { numberStates[number] = nil }
        }
    }
}
