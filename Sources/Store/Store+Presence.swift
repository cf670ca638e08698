public import CallControl

/// What presence needs from the Store, as it changes: users (display name, capabilities, privacy, the status they
/// set) and who owns each device (docs/presence.md, "Wiring").
public enum PresenceDirectoryChange: Hashable, Sendable {
    /// A user was added or changed (also when only their status changed).
    case upsertUser(UserRecord)
    /// The user with this name was deleted (or renamed: an `upsertUser` of the new name comes first).
    case removeUser(String)
    /// The device exists and is owned by this user (nil: no owner).
    case deviceOwner(DeviceName, owner: String?)
    /// The device was deleted (or renamed: a `deviceOwner` of the new name follows).
    case removeDevice(DeviceName)
}

/// Everything presence needs from the Store at start-up.
public struct PresenceDirectory: Hashable, Sendable {
    /// Every user, by name.
    public var users: [UserRecord]
    /// Every device with its owner's name, by device name.
    public var devices: [DeviceOwner]

    public struct DeviceOwner: Hashable, Sendable {
        public var device: DeviceName
        public var owner: String?

        public init(device: DeviceName, owner: String?) {
            self.device = device
            self.owner = owner
        }
    }

    public init(users: [UserRecord], devices: [DeviceOwner]) {
        self.users = users
        self.devices = devices
    }
}

extension Store {
    /// A snapshot of users and device owners and the changes committed after it, with nothing missed or repeated in
    /// between (read and subscribed on the writer's queue, as ``directoryAndChanges()``).
    public func presenceDirectoryAndChanges() async throws -> (
        directory: PresenceDirectory, changes: AsyncStream<PresenceDirectoryChange>
    ) {
        let broadcaster = self.presenceBroadcaster
        return try await transaction { db in
            (try Self.fetchPresenceDirectory(db), broadcaster.subscribe())
        }
    }

    /// The changes to users and device owners committed from now on, in commit order.
    public func presenceChanges() -> AsyncStream<PresenceDirectoryChange> {
        presenceBroadcaster.subscribe()
    }

    /// Sets the status a user set for presence, and its note. Throws ``StoreError`` `notFound` for an unknown name,
    /// `invalidValue` for a note that is too long or has control characters.
    @discardableResult
    public func setPresenceStatus(
        ofUserNamed name: String,
        _ status: UserRecord.PresenceStatus,
        note: String
    ) async throws -> UserRecord {
        try Validation.text(
            note,
            field: "user.presenceNote",
            maximumLength: UserRecord.maximumPresenceNoteLength,
            allowsEmpty: true
        )
        return try await writeWithPresence { db, _, presence in
            guard var user = try db.fetchOne(UserRecord.self, "SELECT * FROM \"user\" WHERE name = ?", name) else {
                throw StoreError.notFound("user.name", "no user named \(Validation.quoted(name))")
            }
            user.presenceStatus = status
            user.presenceNote = note
            try db.update(user)
            presence.append(.upsertUser(user))
            return user
        }
    }

    static func fetchPresenceDirectory(_ db: any SQLConnection) throws -> PresenceDirectory {
        let users = try db.fetchAll(UserRecord.self, orderBy: "name")
        let rows = try db.fetchAll(
            """
            SELECT device.name, "user".name
            FROM device LEFT JOIN "user" ON "user".id = device.ownerId
            ORDER BY device.name
            """
        )
        let devices = try rows.map { row in
            PresenceDirectory.DeviceOwner(
                device: DeviceName(try row.get(0, as: String.self)),
                owner: try row.get(1, as: String?.self)
            )
        }
        return PresenceDirectory(users: users, devices: devices)
    }

    /// The owner of the device named `name` now (nil: no owner or no such device).
    static func ownerName(ofDevice name: DeviceName, _ db: any SQLConnection) throws -> String? {
        try db.fetchValue(
            String.self,
            "SELECT \"user\".name FROM device JOIN \"user\" ON \"user\".id = device.ownerId WHERE device.name = ?",
            name.rawValue
        )
    }

    /// The presence changes that directory changes imply: a device upserted has an owner (perhaps new), a device
    /// removed is gone, a replaced directory replaces every user and owner.
    static func presenceChanges(
        impliedBy changes: [DirectoryChange],
        _ db: any SQLConnection
    ) throws
        -> [PresenceDirectoryChange]
    {
        var presence: [PresenceDirectoryChange] = []
        for change in changes {
            switch change {
            case .upsertDevice(let device):
                presence.append(.deviceOwner(device.name, owner: try ownerName(ofDevice: device.name, db)))
            case .removeDevice(let name):
                presence.append(.removeDevice(name))
            case .replace:
                let directory = try fetchPresenceDirectory(db)
                presence += directory.users.map(PresenceDirectoryChange.upsertUser)
                presence += directory.devices.map { .deviceOwner($0.device, owner: $0.owner) }
            case .upsertLine, .removeLine, .replaceRoutePatterns, .replaceSettings, .upsertHuntGroup, .removeHuntGroup,
                .upsertPickupGroup, .removePickupGroup, .replaceMeetMeRanges:
                continue
            }
        }
        return presence
    }

    /// The names of the devices the user with `id` owns.
    static func deviceNames(ownedBy id: Int64, _ db: any SQLConnection) throws -> [DeviceName] {
        try db.fetchColumn(String.self, "SELECT name FROM device WHERE ownerId = ? ORDER BY name", id)
            .map(DeviceName.init(rawValue:))
    }
}
