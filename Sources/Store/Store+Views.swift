import CallControl
public import Foundation

/// A device with what an administrator wants to see with it, read in one transaction.
public struct DeviceDetails: Sendable, Hashable {
    public var device: DeviceRecord
    /// The owner's user name.
    public var owner: String?
    /// Directory numbers in button order.
    public var lines: [String]
    /// Speed dials by button index.
    public var speedDials: [SpeedDialRecord]
    /// When the device last registered (or was last seen registered): set at every RegisterAck and when a
    /// registered connection ends. Nil for a device that has not registered since it was added (or, for devices
    /// older than migration `addDeviceLastRegistered`, since the upgrade).
    public var lastRegisteredAt: Date?

    public init(
        device: DeviceRecord,
        owner: String?,
        lines: [String],
        speedDials: [SpeedDialRecord],
        lastRegisteredAt: Date? = nil
    ) {
        self.device = device
        self.owner = owner
        self.lines = lines
        self.speedDials = speedDials
        self.lastRegisteredAt = lastRegisteredAt
    }
}

/// A line with the devices that show it.
public struct LineDetails: Sendable, Hashable {
    public var line: LineRecord
    /// Device names, sorted.
    public var devices: [String]
    /// Those of ``devices`` that are in do-not-disturb, sorted.
    public var doNotDisturbDevices: [String]

    public init(line: LineRecord, devices: [String], doNotDisturbDevices: [String] = []) {
        self.line = line
        self.devices = devices
        self.doNotDisturbDevices = doNotDisturbDevices
    }
}

/// A user with the devices they own.
public struct UserDetails: Sendable, Hashable {
    public var user: UserRecord
    /// Device names, sorted.
    public var devices: [String]

    public init(user: UserRecord, devices: [String]) {
        self.user = user
        self.devices = devices
    }
}

/// How many of each thing are configured.
public struct StoreCounts: Sendable, Hashable {
    public var devices: Int
    public var lines: Int
    public var users: Int
    public var routePatterns: Int
    public var callDetailRecords: Int
}

extension Store {
    /// Devices by name with their owner, lines and speed dials (all of them, or the one named `name`), in a fixed
    /// number of queries however many devices there are.
    public func deviceDetails(named name: String? = nil) async throws -> [DeviceDetails] {
        let name = name.map { DeviceName.canonicalSpelling(of: $0) }
        return try await read { db in
            let devices =
                if let name {
                    try db.fetchAll(DeviceRecord.self, "SELECT * FROM device WHERE name = ?", name)
                } else {
                    try db.fetchAll(DeviceRecord.self, orderBy: "name")
                }
            return try Self.details(of: devices, db)
        }
    }

    /// Lines by number with the devices that show them (all, or the one numbered `number`).
    public func lineDetails(number: String? = nil) async throws -> [LineDetails] {
        try await read { db in
            let lines =
                if let number {
                    try db.fetchAll(LineRecord.self, "SELECT * FROM line WHERE number = ?", number)
                } else {
                    try db.fetchAll(LineRecord.self, orderBy: "number")
                }
            guard !lines.isEmpty else { return [] }
            var devices: [Int64: [String]] = [:]
            var doNotDisturb: [Int64: [String]] = [:]
            let rows = try db.fetchAll(
                """
                SELECT lineAppearance.lineId, device.name, device.doNotDisturb
                FROM lineAppearance JOIN device ON device.id = lineAppearance.deviceId
                \(number != nil ? "WHERE lineAppearance.lineId = ?" : "")
                ORDER BY device.name
                """,
                number != nil ? [lines.first?.id.sqlValue ?? .null] : []
            )
            for row in rows {
                let lineID = try row.get(0, as: Int64.self)
                let name = try row.get(1, as: String.self)
                devices[lineID, default: []].append(name)
                if try row.get(2, as: Bool.self) { doNotDisturb[lineID, default: []].append(name) }
            }
            return lines.map { line in
                LineDetails(
                    line: line,
                    devices: line.id.flatMap { devices[$0] } ?? [],
                    doNotDisturbDevices: line.id.flatMap { doNotDisturb[$0] } ?? []
                )
            }
        }
    }

    /// Users by name with the devices they own (all, or the one named `name`).
    public func userDetails(named name: String? = nil) async throws -> [UserDetails] {
        try await read { db in
            let users =
                if let name {
                    try db.fetchAll(UserRecord.self, "SELECT * FROM \"user\" WHERE name = ?", name)
                } else {
                    try db.fetchAll(UserRecord.self, orderBy: "name")
                }
            guard !users.isEmpty else { return [] }
            var devices: [Int64: [String]] = [:]
            let owned = try db.fetchAll("SELECT ownerId, name FROM device WHERE ownerId IS NOT NULL ORDER BY name")
            for row in owned {
                devices[try row.get(0, as: Int64.self), default: []].append(try row.get(1, as: String.self))
            }
            return users.map { user in
                UserDetails(user: user, devices: user.id.flatMap { devices[$0] } ?? [])
            }
        }
    }

    /// How many devices, lines, users, route patterns and CDRs are stored.
    public func counts() async throws -> StoreCounts {
        try await read { db in
            StoreCounts(
                devices: try db.fetchCount("SELECT COUNT(*) FROM device"),
                lines: try db.fetchCount("SELECT COUNT(*) FROM line"),
                users: try db.fetchCount("SELECT COUNT(*) FROM \"user\""),
                routePatterns: try db.fetchCount("SELECT COUNT(*) FROM routePattern"),
                callDetailRecords: try db.fetchCount("SELECT COUNT(*) FROM callDetailRecord")
            )
        }
    }
}
