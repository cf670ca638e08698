public import CallControl
import GRDB

/// The source of truth for configuration and the sink for CDRs (design.md, "Store").
///
/// Every method is `async` and runs its SQL on GRDB's own queues (`try await writer.read/write`), so calling it
/// never blocks an event loop or a cooperative thread. Writes are validated first and fail with a ``StoreError`` that
/// names the field.
///
/// CallControl never reads the database on the call path. It starts from ``directory()`` and is kept current by
/// ``changes()``: every committed write that affects routing yields the ``DirectoryChange`` values that bring the
/// in-memory directory to the state just committed, in commit order. Copies of a `Store` share their subscribers;
/// open one `Store` per database.
public struct Store: Sendable {
    public let database: StrowgerDatabase
    let broadcaster = ChangeBroadcaster<DirectoryChange>()
    /// Users and device owners for presence (``presenceDirectoryAndChanges()``).
    let presenceBroadcaster = ChangeBroadcaster<PresenceDirectoryChange>()
    /// The SIP trunks, whole, after every change to them (``trunksAndChanges()``).
    let trunkBroadcaster = ChangeBroadcaster<[TrunkRecord]>()

    /// The node this Store writes for: its name in the change log (``ChangeFollower``).
    public var node: String { follower.node }
    /// Follows the change log for other nodes' writes to a shared database.
    let follower: ChangeFollower

    /// A Store over `database`. `node` names this server in the change log; nodes sharing one PostgreSQL database
    /// must have different names (`strowger serve --node`).
    public init(database: StrowgerDatabase, node: String = "local") {
        self.database = database
        self.follower = ChangeFollower(node: node)
    }

    // MARK: - Directory and changes

    /// The changes committed from now on, in commit order. The stream ends when the caller stops iterating or
    /// ``finishChanges()`` is called.
    ///
    /// To start CallControl, prefer ``directoryAndChanges()``, which cannot miss or repeat a change between the
    /// snapshot and the stream.
    public func changes() -> AsyncStream<DirectoryChange> {
        broadcaster.subscribe()
    }

    /// Everything CallControl needs, as one consistent snapshot: devices with their lines in button order, their
    /// speed dials, do-not-disturb and music source, line settings, route patterns in order, hunt and pickup groups,
    /// meet-me numbers, and settings.
    public func directory() async throws -> Directory {
        try await read { db in try Self.fetchDirectory(db) }
    }

    /// A snapshot and the changes committed after it, with nothing missed or repeated in between: the snapshot is
    /// read and the subscription made on the writer's queue, between two transactions.
    public func directoryAndChanges() async throws -> (directory: Directory, changes: AsyncStream<DirectoryChange>) {
        let broadcaster = self.broadcaster
        return try await transaction { db in
            (try Self.fetchDirectory(db), broadcaster.subscribe())
        }
    }

    /// Ends every stream returned by ``changes()`` (at shutdown).
    public func finishChanges() {
        broadcaster.finish()
        presenceBroadcaster.finish()
        trunkBroadcaster.finish()
    }

    // MARK: - Plumbing

    /// Where the transactions run: SQLite (GRDB) or PostgreSQL.
    var backend: any SQLBackend { database.backend }

    /// Runs `body` in a read transaction, mapping database errors to ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let backend = self.backend
        return try await Self.mappingErrors {
            try await backend.read(body)
        }
    }

    /// Runs `body` in a write transaction that publishes nothing itself, mapping database errors to ``StoreError``.
    /// Writes are serialized, so a snapshot read and a subscription made here fall between two writes: nothing is
    /// missed or repeated between them.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let backend = self.backend
        return try await Self.mappingErrors {
            try await backend.write(body)
        }
    }

    /// Runs `body` in a write transaction. The directory changes it appends are published after, and only if, the
    /// transaction commits.
    func write<T: Sendable>(
        _ body: @escaping @Sendable (any SQLConnection, inout [DirectoryChange]) throws -> T
    ) async throws -> T {
        try await writeWithPresence { db, changes, _ in try body(db, &changes) }
    }

    /// ``write(_:)`` for writes that also change what presence knows of users (``PresenceDirectoryChange``). The
    /// device owners that the directory changes imply (every `upsertDevice`, `removeDevice`, `replace`) are added
    /// here, read in the same transaction, so that device writes need not know about presence.
    func writeWithPresence<T: Sendable>(
        _ body:
            @escaping @Sendable (any SQLConnection, inout [DirectoryChange], inout [PresenceDirectoryChange]) throws ->
            T
    ) async throws -> T {
        let broadcaster = self.broadcaster
        let presenceBroadcaster = self.presenceBroadcaster
        let node = self.node
        return try await transaction { db in
            var changes: [DirectoryChange] = []
            var presence: [PresenceDirectoryChange] = []
            let result = try body(db, &changes, &presence)
            presence += try Self.presenceChanges(impliedBy: changes, db)
            if !changes.isEmpty || !presence.isEmpty {
                try Self.appendToChangeLog(db, node: node)
                let committed = changes
                let committedPresence = presence
                // Commit callbacks run one transaction at a time, in commit order: subscribers see changes in commit
                // order, and never those of a transaction that rolled back.
                db.afterCommit {
                    if !committed.isEmpty { broadcaster.publish(committed) }
                    if !committedPresence.isEmpty { presenceBroadcaster.publish(committedPresence) }
                }
            }
            return result
        }
    }

    static func mappingErrors<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError.conflict(nil, "the change breaks a database rule: \(error.message ?? "\(error)")")
            }
            throw StoreError.database("\(error)")
        } catch let error as SQLError {
            if error.kind == .constraint {
                throw StoreError.conflict(nil, "the change breaks a database rule: \(error.message)")
            }
            throw StoreError.database(error.message)
        }
    }

    // MARK: - Building CallControl values

    static func fetchDirectory(_ db: any SQLConnection) throws -> Directory {
        let settings = try SettingsRecord.find(db)
        let lines = try db.fetchAll(LineRecord.self, orderBy: "number")
        let devices = try db.fetchAll(DeviceRecord.self, orderBy: "name")

        var numbersByDevice: [Int64: [DirectoryNumber]] = [:]
        let rows = try db.fetchAll(
            """
            SELECT lineAppearance.deviceId, line.number
            FROM lineAppearance JOIN line ON line.id = lineAppearance.lineId
            ORDER BY lineAppearance.deviceId, lineAppearance.position
            """
        )
        for row in rows {
            let deviceID = try row.get(0, as: Int64.self)
            let number = try row.get(1, as: String.self)
            numbersByDevice[deviceID, default: []].append(DirectoryNumber(number))
        }

        var speedDialsByDevice: [Int64: [SpeedDial]] = [:]
        for dial in try db.fetchAll(SpeedDialRecord.self, orderBy: "deviceId, buttonIndex") {
            speedDialsByDevice[dial.deviceID, default: []].append(dial.speedDial)
        }

        let softkeys = try softkeyTemplatesByName(db)
        let configurations = devices.map { device in
            DeviceConfiguration(
                name: DeviceName(device.name),
                lines: device.id.flatMap { numbersByDevice[$0] } ?? [],
                speedDials: device.id.flatMap { speedDialsByDevice[$0] } ?? [],
                doNotDisturb: device.doNotDisturb,
                musicSource: device.musicSource,
                softkeys: device.softkeyTemplate.flatMap { softkeys[$0.lowercased()] }
            )
        }
        return Directory(
            devices: configurations,
            lines: lines.map(\.lineConfiguration),
            routePatterns: try fetchRoutePatterns(db),
            huntGroups: try fetchHuntGroups(db).map(\.huntGroup),
            pickupGroups: try fetchPickupGroups(db).map(\.pickupGroup),
            meetMeRanges: try fetchMeetMeRanges(db),
            settings: settings.callControlSettings
        )
    }

    /// One device as CallControl sees it: its lines in button order and its speed dials.
    static func deviceConfiguration(_ db: any SQLConnection, _ device: DeviceRecord) throws -> DeviceConfiguration {
        guard let id = device.id else {
            return DeviceConfiguration(
                name: DeviceName(device.name),
                lines: [],
                doNotDisturb: device.doNotDisturb,
                musicSource: device.musicSource
            )
        }
        // Auto-registration asks this once per new device, thousands of times in a storm: two statements (three
        // with a softkey template), each prepared once and cached by the SQLite connection.
        let numbers = try db.fetchColumn(
            String.self,
            """
            SELECT line.number
            FROM lineAppearance JOIN line ON line.id = lineAppearance.lineId
            WHERE lineAppearance.deviceId = ?
            ORDER BY lineAppearance.position
            """,
            id
        )
        let speedDials = try db.fetchAll(
            SpeedDialRecord.self,
            "SELECT * FROM speedDial WHERE deviceId = ? ORDER BY buttonIndex",
            id
        )
        let softkeys = try device.softkeyTemplate.flatMap { name in
            try db.find(SoftkeyTemplateRecord.self, key: name).flatMap { try? $0.template() }
        }
        return DeviceConfiguration(
            name: DeviceName(device.name),
            lines: numbers.map(DirectoryNumber.init(rawValue:)),
            speedDials: speedDials.map(\.speedDial),
            doNotDisturb: device.doNotDisturb,
            musicSource: device.musicSource,
            softkeys: softkeys
        )
    }

    /// `upsertDevice` for the device with `id`, as it is now (nothing if it no longer exists).
    static func appendUpsert(ofDevice id: Int64, _ db: any SQLConnection, to changes: inout [DirectoryChange]) throws {
        guard let device = try db.find(DeviceRecord.self, key: id) else { return }
        changes.append(.upsertDevice(try deviceConfiguration(db, device)))
    }

    /// The dial plan in its configured order.
    static func fetchRoutePatterns(_ db: any SQLConnection) throws -> [RoutePattern] {
        try db.fetchAll(RoutePatternRecord.self, orderBy: "sortOrder, id").map { try $0.routePattern() }
    }

    // MARK: - Checks shared by the writes

    /// Throws ``StoreError/Code/conflict`` if another row of `table` has `value` in `column`.
    static func ensureUnique(
        _ db: any SQLConnection,
        table: String,
        column: String,
        _ value: some SQLValueConvertible,
        excluding id: Int64?,
        field: String,
        _ message: @autoclosure () -> String
    ) throws {
        let sql = "SELECT COUNT(*) FROM \(table) WHERE \(column) = ? AND id <> ?"
        if try db.fetchCount(sql, value, id ?? -1) > 0 {
            throw StoreError.conflict(field, message())
        }
    }

    static func requireID(_ id: Int64?, _ table: String) throws -> Int64 {
        guard let id else { throw StoreError.notFound("\(table).id", "the \(table) has no id: insert it first") }
        return id
    }

    static func requireDevice(_ db: any SQLConnection, id: Int64, field: String = "device.id") throws -> DeviceRecord {
        guard let device = try db.find(DeviceRecord.self, key: id) else {
            throw StoreError.notFound(field, "no device with id \(id)")
        }
        return device
    }

    static func requireLine(_ db: any SQLConnection, id: Int64, field: String = "line.id") throws -> LineRecord {
        guard let line = try db.find(LineRecord.self, key: id) else {
            throw StoreError.notFound(field, "no line with id \(id)")
        }
        return line
    }
}
