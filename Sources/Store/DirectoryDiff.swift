public import CallControl

/// The changes that turn one directory into another, for a node that learns of another node's write only as "the
/// configuration changed" (the change log, ``ChangeFollower``) and must tell its call core what did.
///
/// The order is the one the core can apply one by one without ever seeing a device that shows a group or line in a
/// half-changed state: settings first, then lines and devices that exist in the new directory, then groups, the dial
/// plan and meet-me numbers, and the removals last (groups before the lines they list, devices before lines).
public enum DirectoryDiff {
    public static func changes(from old: Directory, to new: Directory) -> [DirectoryChange] {
        var changes: [DirectoryChange] = []
        if old.settings != new.settings { changes.append(.replaceSettings(new.settings)) }
        for number in new.lines.keys.sorted() where old.lines[number] != new.lines[number] {
            if let line = new.lines[number] { changes.append(.upsertLine(line)) }
        }
        for name in new.devices.keys.sorted() where old.devices[name] != new.devices[name] {
            if let device = new.devices[name] { changes.append(.upsertDevice(device)) }
        }
        for pilot in new.huntGroups.keys.sorted() where old.huntGroups[pilot] != new.huntGroups[pilot] {
            if let group = new.huntGroups[pilot] { changes.append(.upsertHuntGroup(group)) }
        }
        for number in new.pickupGroups.keys.sorted() where old.pickupGroups[number] != new.pickupGroups[number] {
            if let group = new.pickupGroups[number] { changes.append(.upsertPickupGroup(group)) }
        }
        if old.routePatterns != new.routePatterns { changes.append(.replaceRoutePatterns(new.routePatterns)) }
        if old.meetMeRanges != new.meetMeRanges { changes.append(.replaceMeetMeRanges(new.meetMeRanges)) }
        for pilot in old.huntGroups.keys.sorted() where new.huntGroups[pilot] == nil {
            changes.append(.removeHuntGroup(pilot))
        }
        for number in old.pickupGroups.keys.sorted() where new.pickupGroups[number] == nil {
            changes.append(.removePickupGroup(number))
        }
        for name in old.devices.keys.sorted() where new.devices[name] == nil {
            changes.append(.removeDevice(name))
        }
        for number in old.lines.keys.sorted() where new.lines[number] == nil {
            changes.append(.removeLine(number))
        }
        return changes
    }

    /// The changes that turn one presence directory into another: users and device owners.
    public static func changes(from old: PresenceDirectory, to new: PresenceDirectory) -> [PresenceDirectoryChange] {
        var changes: [PresenceDirectoryChange] = []
        let oldUsers = Dictionary(old.users.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let newUsers = Dictionary(new.users.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for user in new.users where oldUsers[user.name.lowercased()] != user {
            changes.append(.upsertUser(user))
        }
        let oldOwners = Dictionary(old.devices.map { ($0.device, $0.owner) }, uniquingKeysWith: { first, _ in first })
        let newOwners = Dictionary(new.devices.map { ($0.device, $0.owner) }, uniquingKeysWith: { first, _ in first })
        for device in new.devices {
            if let oldOwner = oldOwners[device.device], oldOwner == device.owner { continue }
            changes.append(.deviceOwner(device.device, owner: device.owner))
        }
        for device in old.devices where newOwners[device.device] == nil {
            changes.append(.removeDevice(device.device))
        }
        for user in old.users where newUsers[user.name.lowercased()] == nil {
            changes.append(.removeUser(user.name))
        }
        return changes
    }
}
