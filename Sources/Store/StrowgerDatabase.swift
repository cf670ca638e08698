public import Foundation
public import GRDB

/// Strowger's SQLite database: `strowger.db` in the data directory, opened as a GRDB `DatabasePool` in WAL mode
/// (one writer, concurrent readers), or an in-memory `DatabaseQueue` for tests. It is migrated when it is opened.
///
/// Durability: every connection runs with `PRAGMA synchronous = FULL`, so in WAL mode each committed transaction is
/// fsynced to the WAL before the write returns. A write that returned survives a crash of the process (`kill -9`)
/// and of the machine. Configuration writes are rare and CDRs are written in batches, so the fsync per transaction
/// costs little.
public struct StrowgerDatabase: Sendable {
    /// The database file's name in the data directory (design.md "Defaults").
    public static let fileName = "strowger.db"

    /// The connection the Store writes through. The running server is the only writer of its database.
    let writer: any DatabaseWriter

    /// Read access, e.g. for diagnostics; all writes go through ``Store``.
    public var reader: any DatabaseReader { writer }

    /// Opens (creating it if needed) `strowger.db` in `directory`, creating the directory too, and migrates it.
    ///
    /// A new database file is created with mode 0600 before SQLite opens it; SQLite gives its `-wal` and `-shm`
    /// files the database file's mode, so none of the three is ever readable by others (issue 13).
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(Self.fileName)
        if !FileManager.default.fileExists(atPath: file.path) {
            try Self.createPrivateFile(at: file)
        }
        try self.init(path: file.path)
    }

    /// Opens (creating it if needed) the database file at `path` as a WAL `DatabasePool` and migrates it.
    public init(path: String) throws {
        try self.init(DatabasePool(path: path, configuration: Self.makeConfiguration()))
    }

    /// An empty database in memory, migrated: for tests. The migrations run once per process, into a template
    /// that each new database is copied from (SQLite's backup API): hundreds of tests each running every migration
    /// kept the test process's few threads busy for tens of seconds.
    public static func inMemory() throws -> StrowgerDatabase {
        let queue = try DatabaseQueue(configuration: makeConfiguration())
        try Self.migratedTemplate.get().backup(to: queue)
        return try StrowgerDatabase(queue)
    }

    /// An empty database, migrated once, that ``inMemory()`` copies.
    private static let migratedTemplate: Result<DatabaseQueue, any Error> = Result {
        let queue = try DatabaseQueue(configuration: makeConfiguration())
        try migrator.migrate(queue)
        return queue
    }

    /// Wraps a connection made with ``makeConfiguration(_:)`` and migrates it.
    ///
    /// Throws ``StoreError/Code/database`` if the file was migrated by a newer Strowger: an older binary must not
    /// write to a schema it does not know.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        // GRDB's DatabasePool switches its writer connection to WAL with `synchronous = NORMAL` after
        // `prepareDatabase` ran, so FULL is set here, on the one connection that writes, once it is open.
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let migrator = Self.migrator
        try migrator.migrate(writer)
        if try writer.read({ db in try migrator.hasBeenSuperseded(db) }) {
            throw StoreError.database(
                "\(writer.path) was written by a newer version of Strowger; upgrade Strowger to open it"
            )
        }
    }

    /// The connection settings the Store relies on: foreign keys on, a busy timeout for the rare second process (a
    /// backup or the CLI reading the file), a bounded WAL. (`synchronous = FULL` is set by ``init(_:)``.)
    public static func makeConfiguration(_ base: Configuration = Configuration()) -> Configuration {
        var configuration = base
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "strowger"
        configuration.prepareDatabase { db in
            // Keep the WAL from staying large after a burst (it is truncated to this at checkpoints).
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        return configuration
    }

    /// The schema's history. Append-only: a shipped migration is never edited, and migrations use plain strings
    /// rather than the record types, so that they keep meaning what they meant when they shipped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("createConfigurationTables") { db in
            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("displayName", .text).notNull().defaults(to: "")
                t.column("capabilities", .integer).notNull().defaults(to: 1)
            }

            try db.create(table: "device") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("model", .text).notNull().defaults(to: "")
                t.column("description", .text).notNull().defaults(to: "")
                t.column("ownerId", .integer).indexed().references("user", onDelete: .setNull)
                t.column("maxProtocolVersion", .integer).check(sql: "maxProtocolVersion BETWEEN 1 AND 255")
                t.column("callManagerGroup", .text)
                t.column("isAutoRegistered", .boolean).notNull().defaults(to: false)
            }

            try db.create(table: "line") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("number", .text).notNull().unique()
                t.column("displayName", .text).notNull().defaults(to: "")
                t.column("forwardAll", .text)
                t.column("forwardBusy", .text)
                t.column("forwardNoAnswer", .text)
                t.column("noAnswerTimeoutSeconds", .integer).notNull().defaults(to: 12)
                t.column("maxCalls", .integer).notNull().defaults(to: 2)
                t.column("busyTrigger", .integer).notNull().defaults(to: 2)
                t.column("voicemailNumber", .text)
                t.check(sql: "maxCalls >= 1 AND busyTrigger BETWEEN 1 AND maxCalls")
            }

            try db.create(table: "lineAppearance") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deviceId", .integer).notNull().references("device", onDelete: .cascade)
                t.column("lineId", .integer).notNull().indexed().references("line", onDelete: .cascade)
                t.column("position", .integer).notNull().check(sql: "position >= 1")
                // The (deviceId, position) index also serves "appearances of a device, in button order".
                t.uniqueKey(["deviceId", "position"])
                t.uniqueKey(["deviceId", "lineId"])
            }

            try db.create(table: "speedDial") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deviceId", .integer).notNull().references("device", onDelete: .cascade)
                t.column("buttonIndex", .integer).notNull().check(sql: "buttonIndex >= 1")
                t.column("number", .text).notNull()
                t.column("label", .text).notNull().defaults(to: "")
                t.column("isBusyLampField", .boolean).notNull().defaults(to: false)
                t.uniqueKey(["deviceId", "buttonIndex"])
            }

            try db.create(table: "routePattern") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("pattern", .text).notNull().unique()
                t.column("targetNumber", .text)
                t.column("isBlocked", .boolean).notNull().defaults(to: false)
                t.column("description", .text).notNull().defaults(to: "")
                t.column("sortOrder", .integer).notNull().defaults(to: 0)
                // A pattern either translates to a number or is blocked, never both or neither.
                t.check(sql: "(isBlocked = 1) = (targetNumber IS NULL)")
            }

            // One row at most (id 1); inserting again replaces it. Defaults match SettingsRecord's.
            try db.create(table: "settings") { t in
                t.primaryKey("id", .integer, onConflict: .replace).check(sql: "id = 1")
                t.column("autoRegistrationEnabled", .boolean).notNull().defaults(to: true)
                t.column("autoRegistrationFirstNumber", .integer).notNull().defaults(to: 1000)
                t.column("autoRegistrationLastNumber", .integer).notNull().defaults(to: 1999)
                t.column("autoRegistrationMaxCalls", .integer).notNull().defaults(to: 2)
                t.column("autoRegistrationBusyTrigger", .integer).notNull().defaults(to: 2)
                t.column("keepAliveSeconds", .integer).notNull().defaults(to: 30)
                t.column("offHookTimeoutMilliseconds", .integer).notNull().defaults(to: 15_000)
                t.column("interdigitTimeoutMilliseconds", .integer).notNull().defaults(to: 5_000)
                t.column("failedCallTimeoutMilliseconds", .integer).notNull().defaults(to: 15_000)
                t.column("packetMilliseconds", .integer).notNull().defaults(to: 20)
            }
            try db.execute(sql: "INSERT INTO settings (id) VALUES (1)")

            try db.create(table: "adminToken") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("salt", .blob).notNull()
                t.column("hash", .blob).notNull()
                t.column("createdAt", .integer).notNull()
            }
        }

        migrator.registerMigration("createCallDetailRecordTable") { db in
            try db.create(table: "callDetailRecord") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("callingDevice", .text).notNull()
                t.column("callingNumber", .text).notNull()
                t.column("callingReference", .integer).notNull()
                t.column("dialedNumber", .text).notNull()
                t.column("calledNumber", .text)
                t.column("calledDevice", .text)
                t.column("calledReference", .integer)
                // Milliseconds since 1970, UTC.
                t.column("setupTime", .integer).notNull()
                t.column("answerTime", .integer)
                t.column("endTime", .integer).notNull()
                t.column("endCause", .text).notNull()
                t.column("releasedBy", .text).notNull()
                t.column("codec", .text)
            }
            // Newest first by time, and newest first for one number on either side of the call.
            try db.create(index: "callDetailRecord_on_setupTime", on: "callDetailRecord", columns: ["setupTime"])
            try db.create(
                index: "callDetailRecord_on_callingNumber_setupTime",
                on: "callDetailRecord",
                columns: ["callingNumber", "setupTime"]
            )
            try db.create(
                index: "callDetailRecord_on_calledNumber_setupTime",
                on: "callDetailRecord",
                columns: ["calledNumber", "setupTime"]
            )
        }

        // Issue 7: per-device SCCPS settings. The security mode goes into the device's cnf.xml; a device that
        // requires a client certificate may only register over TLS with a certificate naming it.
        migrator.registerMigration("addDeviceSecurity") { db in
            try db.alter(table: "device") { t in
                t.add(column: "securityMode", .text).notNull().defaults(to: "non-secure")
                    .check(sql: "securityMode IN ('non-secure', 'authenticated', 'encrypted')")
                t.add(column: "requiresClientCertificate", .boolean).notNull().defaults(to: false)
            }
        }

        // Issue 8: who may see a user's presence, and the status the user set (kept across restarts).
        migrator.registerMigration("addPresencePrivacy") { db in
            try db.alter(table: "user") { t in
                t.add(column: "presenceVisibility", .text).notNull().defaults(to: "everyone")
                    .check(sql: "presenceVisibility IN ('everyone', 'nobody', 'allowList')")
                // A JSON array of user names.
                t.add(column: "presenceAllowList", .text).notNull().defaults(to: "[]")
                t.add(column: "presenceStatus", .text).notNull().defaults(to: "available")
                    .check(sql: "presenceStatus IN ('available', 'away', 'busy', 'dnd')")
                t.add(column: "presenceNote", .text).notNull().defaults(to: "")
            }
        }

        // Issue 7: CallManager groups, as CUCM has them. A device's `callManagerGroup` (a name since
        // `createConfigurationTables`) names a row here; the cnf.xml carries the group's nodes and ports.
        migrator.registerMigration("addCallManagerGroups") { db in
            try db.create(table: "callManagerGroup") { t in
                t.primaryKey("name", .text).collate(.nocase)
                // A JSON array of one to three {"host", "sccpPort", "sccpsPort"} objects, primary first.
                t.column("members", .text).notNull().defaults(to: "[]")
            }
        }

        // Issue 7: what a phone's cnf.xml says besides its nodes: the firmware load a device should run, and the
        // cluster's date/time group and locales. Defaults are what the files carried before (SettingsRecord's).
        migrator.registerMigration("addProvisioningSettings") { db in
            try db.alter(table: "device") { t in
                t.add(column: "loadInformation", .text)
            }
            try db.alter(table: "settings") { t in
                t.add(column: "dateTemplate", .text).notNull().defaults(to: "D.M.Y")
                t.add(column: "timeZone", .text).notNull().defaults(to: "Greenwich Standard/Daylight Time")
                t.add(column: "olsonTimeZone", .text)
                // A JSON array of host names or addresses, in order.
                t.add(column: "ntpServers", .text).notNull().defaults(to: "[]")
                t.add(column: "userLocale", .text)
                t.add(column: "networkLocale", .text)
            }
        }

        // Issue 15: SIP trunks, and route patterns that send calls to one (with CUCM's pre-dot discard and prefix).
        migrator.registerMigration("addSIPTrunks") { db in
            try db.create(table: "trunk") { t in
                t.primaryKey("name", .text).collate(.nocase)
                t.column("host", .text).notNull()
                t.column("port", .integer).check(sql: "port BETWEEN 1 AND 65535")
                t.column("transport", .text).notNull().defaults(to: "udp")
                    .check(sql: "transport IN ('udp', 'tcp', 'tls')")
                t.column("registrationUser", .text)
                // Stored as given: the digest client needs it (docs/sip.md, "Trunk credentials").
                t.column("registrationPassword", .text)
                t.column("fromDomain", .text)
                t.column("acceptsInboundCredentials", .boolean).notNull().defaults(to: false)
                t.column("inboundStrip", .integer).notNull().defaults(to: 0)
                t.column("inboundPrefix", .text).notNull().defaults(to: "")
                t.column("defaultNumber", .text)
                t.column("description", .text).notNull().defaults(to: "")
                t.check(sql: "(registrationUser IS NULL) = (registrationPassword IS NULL)")
            }
            // SQLite cannot change a CHECK constraint, so the route pattern table is rebuilt with the trunk target.
            try db.create(table: "routePatternWithTrunks") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("pattern", .text).notNull().unique()
                t.column("targetNumber", .text)
                t.column("isBlocked", .boolean).notNull().defaults(to: false)
                t.column("trunkName", .text).indexed()
                    .references("trunk", column: "name", onDelete: .restrict, onUpdate: .cascade)
                t.column("stripPreDot", .boolean).notNull().defaults(to: false)
                t.column("prefix", .text).notNull().defaults(to: "")
                t.column("description", .text).notNull().defaults(to: "")
                t.column("sortOrder", .integer).notNull().defaults(to: 0)
                // Exactly one target: a number, blocked, or a trunk.
                t.check(sql: "(isBlocked = 1) + (targetNumber IS NOT NULL) + (trunkName IS NOT NULL) = 1")
            }
            try db.execute(
                sql: """
                    INSERT INTO routePatternWithTrunks (id, pattern, targetNumber, isBlocked, description, sortOrder)
                    SELECT id, pattern, targetNumber, isBlocked, description, sortOrder FROM routePattern
                    """
            )
            try db.drop(table: "routePattern")
            try db.rename(table: "routePatternWithTrunks", to: "routePattern")
        }

        // Issue 14: media services. Music-on-hold sources (the audio is a file in the data directory; the built-in
        // source has a row so that lines and devices name it like the others), the source a line or device plays
        // to the parties it holds (nil: the built-in one; a source in use cannot be removed), and meet-me numbers.
        migrator.registerMigration("addMediaServices") { db in
            try db.create(table: "musicSource") { t in
                t.primaryKey("name", .text).collate(.nocase)
                t.column("fileName", .text).notNull().defaults(to: "")
                t.column("sampleCount", .integer).notNull().defaults(to: 0)
                // Milliseconds since 1970, UTC.
                t.column("createdAt", .integer).notNull().defaults(to: 0)
                t.column("isBuiltIn", .boolean).notNull().defaults(to: false)
            }
            try db.execute(sql: "INSERT INTO musicSource (name, isBuiltIn) VALUES ('default', 1)")
            try db.alter(table: "line") { t in
                t.add(column: "musicSource", .text).references("musicSource", onDelete: .restrict, onUpdate: .cascade)
            }
            try db.alter(table: "device") { t in
                t.add(column: "musicSource", .text).references("musicSource", onDelete: .restrict, onUpdate: .cascade)
            }
            try db.create(table: "meetMeRange") { t in
                t.primaryKey("first", .text)
                t.column("last", .text).notNull()
            }
        }
        // Issue 12: hunt and pickup groups, park, DND, MWI, transfer on-hook, and the CDR's redirect fields
        // (StrowgerDatabase+CallFeatures.swift).
        migrator.registerMigration("addCallFeatures", migrate: addCallFeatures)
        migrator.registerMigration("addCallRecordRedirects", migrate: addCallRecordRedirects)

        // Issue 13: one spelling per device name, upper case as CUCM stores `SEP` + hex. Earlier versions kept the
        // name as the phone or the administrator spelt it (auto-registration took a phone's lower-case hex as is).
        // The column is unique without regard to case, so no two rows can differ only in case; if a database
        // somehow holds such a pair, the migration stops and names them rather than pick one.
        migrator.registerMigration("canonicalizeDeviceNames") { db in
            let clashes = try String.fetchAll(
                db,
                sql: """
                    SELECT group_concat(name, ' and ') FROM device
                    GROUP BY upper(name) HAVING COUNT(*) > 1
                    """
            )
            guard clashes.isEmpty else {
                throw StoreError.database(
                    "device names differ only in case (\(clashes.joined(separator: "; "))); delete one of each pair"
                        + " with an older Strowger, then start this one"
                )
            }
            try db.execute(sql: "UPDATE device SET name = upper(name) WHERE name <> upper(name) COLLATE BINARY")
        }

        // Issue 13: when each device last registered, for `strowger device prune --unused-for`. Milliseconds since
        // 1970; a device that existed before this migration counts from the upgrade (its real last registration is
        // not known), so nothing is pruned as unused for longer than Strowger could have seen it.
        migrator.registerMigration("addDeviceLastRegistered") { db in
            try db.alter(table: "device") { t in
                t.add(column: "lastRegisteredAt", .integer)
            }
            try db.execute(sql: "UPDATE device SET lastRegisteredAt = CAST(strftime('%s', 'now') AS INTEGER) * 1000")
        }

        // Issue 17: what every phone of a model gets unless its device says otherwise: the firmware load, and the
        // digest of its trust lists (PhoneModelRecord).
        migrator.registerMigration("addPhoneModels") { db in
            try db.create(table: "phoneModel") { t in
                t.primaryKey("model", .text).collate(.nocase)
                t.column("loadInformation", .text)
                t.column("trustListDigest", .text).check(sql: "trustListDigest IN ('sha1', 'sha512')")
            }
        }

        // Issue 18: the web administration. Accounts that sign in with a password (a salted scrypt hash; the
        // built-in `admin` signs in with the admin token and has no row), signed-in browsers (the cookie token's
        // SHA-256), and indexes for the pages' sort orders and the call-record search, so that a page of 20,000
        // phones is an index walk rather than a sort.
        migrator.registerMigration("addWebAdministration") { db in
            try db.create(table: "webAccount") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .integer).notNull()
            }
            try db.create(table: "webSession") { t in
                t.primaryKey("id", .text)
                t.column("account", .text).notNull().indexed().collate(.nocase)
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .integer).notNull()
                t.column("lastSeenAt", .integer).notNull()
                t.column("expiresAt", .integer).notNull().indexed()
            }
            // The list pages sort by these, with the unique name or number breaking ties.
            try db.create(index: "device_on_model_name", on: "device", columns: ["model", "name"])
            try db.create(index: "device_on_description_name", on: "device", columns: ["description", "name"])
            try db.create(index: "line_on_displayName_number", on: "line", columns: ["displayName", "number"])
            try db.create(index: "user_on_displayName_name", on: "user", columns: ["displayName", "name"])
            // Call records by device, newest first, on either side of the call (the number indexes exist).
            try db.create(
                index: "callDetailRecord_on_callingDevice_setupTime",
                on: "callDetailRecord",
                columns: ["callingDevice", "setupTime"]
            )
            try db.create(
                index: "callDetailRecord_on_calledDevice_setupTime",
                on: "callDetailRecord",
                columns: ["calledDevice", "setupTime"]
            )
        }

        // Issue 17: softkey templates, named by devices (SoftkeyTemplateRecord). A template in use cannot be
        // removed; renaming one carries its devices along.
        migrator.registerMigration("addSoftkeyTemplates") { db in
            try db.create(table: "softkeyTemplate") { t in
                t.primaryKey("name", .text).collate(.nocase)
                t.column("sets", .text).notNull()
            }
            try db.alter(table: "device") { t in
                t.add(column: "softkeyTemplate", .text)
                    .references("softkeyTemplate", onDelete: .restrict, onUpdate: .cascade)
            }
        }

        // Issue 15 phase 2: calls over SIP trunks. A CDR names the trunk a call crossed and the SIP status that ended
        // or refused it there; a trunk may cap its concurrent calls.
        migrator.registerMigration("addSIPCalls") { db in
            try db.alter(table: "callDetailRecord") { t in
                t.add(column: "trunk", .text)
                t.add(column: "sipStatus", .integer).check(sql: "sipStatus BETWEEN 100 AND 699")
            }
            try db.alter(table: "trunk") { t in
                t.add(column: "maxCalls", .integer).check(sql: "maxCalls > 0")
            }
        }

        // Issue 19: the nodes of the cluster and the addresses of their cluster ports (NodeRecord). One address per
        // node, so that a datagram's source names at most one node.
        migrator.registerMigration("addClusterNodes") { db in
            try db.create(table: "node") { t in
                t.primaryKey("name", .text).collate(.nocase)
                t.column("address", .text).notNull().unique()
            }
        }

        return migrator
    }
}
