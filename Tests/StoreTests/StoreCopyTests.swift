import CallControl
import Foundation
import Testing

@testable import Store

/// `strowger cluster init`'s copy of a node's SQLite store into another database (StoreCopy.swift).
@Suite struct StoreCopyTests {
    // MARK: - The table list

    /// A table added by a new migration must be copied or skipped with a reason, never forgotten.
    @Test func theTableListCoversEveryTableTheMigrationsCreate() async throws {
        let database = try StrowgerDatabase.inMemory()
        let created = try await database.backend.read { db in
            try db.fetchColumn(
                String.self,
                """
                SELECT name FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'grdb_migrations'
                """
            )
        }
        let copied = StoreCopy.tables.map(\.name)
        let skipped = StoreCopy.skippedTables.map(\.name)
        #expect(Set(copied).count == copied.count, "a table is listed twice: \(copied)")
        #expect(Set(copied).isDisjoint(with: skipped))
        #expect(Set(created) == Set(copied + skipped), "tables the migrations create: \(created.sorted())")
        #expect(created.count > 20)
    }

    /// Foreign keys are checked per statement on PostgreSQL: a table must come after every table it refers to.
    @Test func everyTableComesAfterTheTablesItRefersTo() async throws {
        let database = try StrowgerDatabase.inMemory()
        let names = StoreCopy.tables.map(\.name)
        let references = try await database.backend.read { db in
            try names.map { name in
                (name, try db.fetchColumn(String.self, "SELECT \"table\" FROM pragma_foreign_key_list(?)", name))
            }
        }
        #expect(references.contains { !$0.1.isEmpty })
        for (index, (table, targets)) in references.enumerated() {
            for target in targets {
                let position = try #require(names.firstIndex(of: target), "\(table) refers to \(target)")
                #expect(position < index, "\(table) refers to \(target), which is copied after it")
            }
        }
    }

    // MARK: - Copies

    /// Everything the public API shows of a seeded store is the same after a copy into SQLite (every run of the
    /// suite) …
    @Test func aCopyIntoSQLiteShowsTheSameStore() async throws {
        let source = Store(database: try StrowgerDatabase.inMemory())
        try await Self.populate(source)
        let target = Store(database: try StrowgerDatabase.inMemory())
        let counts = try await StoreCopy.copy(from: source.database, to: target.database)
        try await Self.expectSameStore(source, target, counts: counts)
    }

    /// … and into PostgreSQL, whose identities continue after the copied ids.
    @Test(.needsPostgres) func aCopyIntoPostgresShowsTheSameStoreAndNewRowsGetNewIDs() async throws {
        let source = Store(database: try StrowgerDatabase.inMemory())
        try await Self.populate(source)
        let target = Store(database: try TestPostgres.shared.get().makeDatabase())
        let counts = try await StoreCopy.copy(from: source.database, to: target.database)
        try await Self.expectSameStore(source, target, counts: counts)
        #expect(try await target.lastChange()?.node == "cluster-init")

        // Inserted rows get ids after the copied ones (the identities were moved past them), table by table.
        let lines = try await source.lines().compactMap(\.id)
        let line = try await target.insert(LineRecord(number: "6001"))
        #expect(try #require(line.id) > lines.max() ?? 0)
        let device = try await target.insert(DeviceRecord(name: "SEP0000000060A1"))
        #expect(try #require(device.id) > (try await source.devices()).compactMap(\.id).max() ?? 0)
        let user = try await target.insert(UserRecord(name: "dave"))
        #expect(try #require(user.id) > (try await source.users()).compactMap(\.id).max() ?? 0)
        let record = try await target.insert(CallDetailRecord(makeCallRecord(from: "1001", to: "1002", sequence: 99)))
        let copiedRecords = try await source.callDetailRecords(limit: 10_000).compactMap(\.id)
        #expect(try #require(record.id) > copiedRecords.max() ?? 0)
        let account = try await target.insertWebAccount(name: "erin", passwordHash: "$scrypt$e")
        #expect(try #require(account.id) > (try await source.webAccounts()).compactMap(\.id).max() ?? 0)
        // And what was copied works: the new line goes on a copied device, a copied hunt group takes it.
        let alice = try #require(try await target.device(named: "SEP000000000001")?.id)
        try await target.setLines(["1001", "6001"], onDevice: alice)
        #expect(try await target.directory().devices["SEP000000000001"]?.lines == ["1001", "6001"])
    }

    /// A target where a node already wrote configuration is refused, and left as it was.
    @Test(.needsPostgres) func aTargetThatHoldsConfigurationIsRefused() async throws {
        let source = Store(database: try StrowgerDatabase.inMemory())
        try await Self.populate(source)
        let target = Store(database: try TestPostgres.shared.get().makeDatabase())
        try await target.insert(LineRecord(number: "7001"))
        try await target.add(NodeRecord(name: "gamma", address: "192.0.2.13"))
        do {
            _ = try await StoreCopy.copy(from: source.database, to: target.database)
            Issue.record("a target with a line and a node was accepted")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("line 1"), "\(error.message)")
            #expect(error.message.contains("node 1"), "\(error.message)")
            #expect(!error.message.contains("settings"), "\(error.message)")
        }
        #expect(try await target.lines().map(\.number) == ["7001"])
        #expect(try await target.devices().isEmpty)
        #expect(try await target.settings() == SettingsRecord())
    }

    /// The migrations' own rows (settings, the built-in music source) do not count as configuration; a settings
    /// change on the target is replaced by the source's.
    @Test func theMigrationsOwnRowsAreReplaced() async throws {
        let source = Store(database: try StrowgerDatabase.inMemory())
        var settings = SettingsRecord()
        settings.keepAliveSeconds = 45
        try await source.update(settings)
        let target = Store(database: try StrowgerDatabase.inMemory())
        var other = SettingsRecord()
        other.keepAliveSeconds = 20
        try await target.update(other)
        _ = try await StoreCopy.copy(from: source.database, to: target.database)
        #expect(try await target.settings().keepAliveSeconds == 45)
        #expect(try await target.musicSources() == (try await source.musicSources()))
    }

    /// When a count differs after the copy (here PostgreSQL silently drops the nodes' rows), nothing is copied.
    @Test(.needsPostgres) func countsThatDifferRollTheWholeCopyBack() async throws {
        let source = Store(database: try StrowgerDatabase.inMemory())
        try await Self.populate(source)
        let database = try TestPostgres.shared.get().makeDatabase()
        try await database.backend.write { db in
            try db.execute("CREATE RULE drop_nodes AS ON INSERT TO node DO INSTEAD NOTHING")
        }
        let target = Store(database: database)
        do {
            _ = try await StoreCopy.copy(from: source.database, to: target.database)
            Issue.record("a copy that lost the nodes succeeded")
        } catch let error as StoreError {
            #expect(error.code == .database)
            #expect(error.message.contains("node 1 in the source, 0 in the target"), "\(error.message)")
        }
        #expect(try await target.devices().isEmpty)
        #expect(try await target.lines().isEmpty)
        #expect(try await target.callDetailRecordCount() == 0)
        #expect(try await target.lastChange() == nil)
    }

    // MARK: - Helpers

    /// A store with a row in every table, references between them, ids with gaps (deleted rows) and non-default
    /// settings.
    static func populate(_ store: Store) async throws {
        // A deleted user and line: the copied ids must be kept, not renumbered.
        let gone = try await store.insert(UserRecord(name: "gone"))
        try await store.deleteUser(id: try #require(gone.id))
        try await store.insert(LineRecord(number: "1999"))
        try await store.deleteLine(number: "1999")

        let alice = try await store.insert(
            UserRecord(name: "alice", displayName: "Alice Liddell", capabilities: [.voice, .web])
        )
        try await store.insert(UserRecord(name: "bob", displayName: "Bob"))
        try await store.insert(CallManagerGroupRecord(name: "Berlin", members: [.init(host: "192.0.2.10")]))
        try await store.save(SoftkeyTemplateRecord(SoftkeyTemplate(name: "Lobby", sets: [.onHook: [.redial]])))
        try await store.save(PhoneModelRecord(model: "7942G", loadInformation: "SCCP42.9-4-2SR3-1S"))
        try await store.saveMusicSource(
            MusicSourceRecord(name: "jazz", fileName: "jazz.wav", sampleCount: 80_000, createdAt: 1_000),
            replacing: false
        )
        try await store.insert(
            LineRecord(number: "1001", displayName: "Alice", forwardBusy: "8000", musicSource: "jazz")
        )
        try await store.insert(LineRecord(number: "1002", displayName: "Bob", maxCalls: 4, busyTrigger: 3))
        for number in ["1500", "4001", "4002", "4003"] { try await store.insert(LineRecord(number: number)) }
        let first = try await store.insert(
            DeviceRecord(
                name: "SEP000000000001",
                model: "7970",
                description: "Reception",
                ownerID: alice.id,
                callManagerGroup: "Berlin",
                securityMode: .authenticated,
                loadInformation: "SCCP70.9-4-2SR3-1S",
                musicSource: "jazz",
                softkeyTemplate: "Lobby"
            )
        )
        let second = try await store.insert(DeviceRecord(name: "SEP000000000002", model: "7942G"))
        let firstID = try #require(first.id)
        let secondID = try #require(second.id)
        try await store.setLines(["1001", "1500", "4001"], onDevice: firstID)
        try await store.setLines(["1002", "1500"], onDevice: secondID)
        try await store.insert(SpeedDialRecord(deviceID: firstID, buttonIndex: 4, number: "1002", label: "Bob"))
        try await store.insert(
            SpeedDialRecord(deviceID: secondID, buttonIndex: 3, number: "1001", isBusyLampField: true)
        )
        _ = try await store.setDoNotDisturb(true, forDevicesWithLine: "1002")
        _ = try await store.setMessageWaiting(true, lineNumber: "1001")
        try await store.insert(
            TrunkRecord(
                name: "carrier",
                host: "sip.example.net",
                port: 5061,
                transport: .tls,
                registrationUser: "acme",
                registrationPassword: "s3cret",
                maxCalls: 10
            )
        )
        try await store.insert(RoutePatternRecord(pattern: "900!", target: .blocked, sortOrder: 0))
        try await store.insert(RoutePatternRecord(pattern: "9.1XXX", target: .number("1001"), sortOrder: 1))
        try await store.insert(
            RoutePatternRecord(
                pattern: "0.!",
                target: .trunk(name: "carrier", stripPreDot: true, prefix: "+49"),
                sortOrder: 2
            )
        )
        try await store.insert(
            HuntGroupRecord(pilot: "4000", algorithm: .circular, noAnswerTimeoutSeconds: 8, finalDestination: "1500"),
            members: ["4002", "4001"]
        )
        try await store.insert(PickupGroupRecord(number: "5000"), members: ["4003", "1500"])
        try await store.insert(MeetMeRangeRecord(first: "8100", last: "8109"))
        var settings = SettingsRecord()
        settings.autoRegistrationFirstNumber = 3000
        settings.autoRegistrationLastNumber = 3099
        settings.parkFirstSlot = 7000
        settings.parkLastSlot = 7009
        settings.transferOnHook = true
        settings.ntpServers = ["192.0.2.1"]
        try await store.update(settings)
        _ = try await store.createAdminToken(name: "default")
        let account = try await store.insertWebAccount(name: "carol", passwordHash: "$scrypt$c")
        try await store.insertWebSession(
            WebSessionRecord(
                id: "session-1",
                account: account.name,
                csrfToken: "t",
                createdAt: Date(timeIntervalSince1970: 1_700_000_000),
                lastSeenAt: Date(timeIntervalSince1970: 1_700_000_000),
                expiresAt: Date(timeIntervalSince1970: 1_800_000_000)
            )
        )
        try await store.add(NodeRecord(name: "alpha", address: "192.0.2.11"))
        try await store.insertCallRecords(
            (1...30).map {
                makeCallRecord(
                    from: "1001",
                    to: "1002",
                    setupMilliseconds: 1_700_000_000_000 + $0,
                    sequence: UInt32($0)
                )
            }
        )
        try await store.insertCallRecords([makeCallRecord(from: "1002", to: nil)])
    }

    /// What the public API shows, for comparing two stores.
    struct Contents: Equatable {
        var users: [UserRecord]
        var devices: [DeviceRecord]
        var lines: [LineRecord]
        var appearances: [[LineAppearanceRecord]]
        var speedDials: [[SpeedDialRecord]]
        var routePatterns: [RoutePatternRecord]
        var trunks: [TrunkRecord]
        var settings: SettingsRecord
        var huntGroups: [HuntGroupDetails]
        var pickupGroups: [PickupGroupDetails]
        var callManagerGroups: [CallManagerGroupRecord]
        var softkeyTemplates: [SoftkeyTemplateRecord]
        var phoneModels: [PhoneModelRecord]
        var musicSources: [MusicSourceRecord]
        var meetMeRanges: [MeetMeRangeRecord]
        var adminTokens: [AdminTokenRecord]
        var webAccounts: [WebAccountRecord]
        var nodes: [NodeRecord]
        var callRecords: [CallDetailRecord]
        var deviceDetails: [DeviceDetails]
        var lineDetails: [LineDetails]
        var userDetails: [UserDetails]
        var counts: StoreCounts
        var directory: DirectoryContents
        var directoryHuntGroups: [DirectoryNumber: HuntGroup]
        var directoryPickupGroups: [DirectoryNumber: PickupGroup]
        var directoryMeetMe: [MeetMeRange]

        init(_ store: Store) async throws {
            users = try await store.users()
            devices = try await store.devices()
            lines = try await store.lines()
            var appearances: [[LineAppearanceRecord]] = []
            var speedDials: [[SpeedDialRecord]] = []
            for id in devices.compactMap(\.id) {
                appearances.append(try await store.lineAppearances(deviceID: id))
                speedDials.append(try await store.speedDials(deviceID: id))
            }
            self.appearances = appearances
            self.speedDials = speedDials
            routePatterns = try await store.routePatterns()
            trunks = try await store.trunks()
            settings = try await store.settings()
            huntGroups = try await store.huntGroupDetails()
            pickupGroups = try await store.pickupGroupDetails()
            callManagerGroups = try await store.callManagerGroups()
            softkeyTemplates = try await store.softkeyTemplates()
            phoneModels = try await store.phoneModels()
            musicSources = try await store.musicSources()
            meetMeRanges = try await store.meetMeRanges()
            adminTokens = try await store.adminTokens()
            webAccounts = try await store.webAccounts()
            nodes = try await store.nodes()
            callRecords = try await store.callDetailRecords(limit: 10_000)
            deviceDetails = try await store.deviceDetails()
            lineDetails = try await store.lineDetails()
            userDetails = try await store.userDetails()
            counts = try await store.counts()
            let directory = try await store.directory()
            self.directory = DirectoryContents(directory)
            directoryHuntGroups = directory.huntGroups
            directoryPickupGroups = directory.pickupGroups
            directoryMeetMe = directory.meetMeRanges
        }
    }

    static func expectSameStore(_ source: Store, _ target: Store, counts: [StoreCopy.TableCount]) async throws {
        #expect(counts.map(\.table) == StoreCopy.tables.map(\.name))
        #expect(counts.allSatisfy { $0.source == $0.target }, "\(counts)")
        // Every table the seed fills (all of them) has rows.
        #expect(counts.filter { $0.source == 0 }.isEmpty, "\(counts)")
        #expect(counts.first { $0.table == "callDetailRecord" }?.target == 31)
        let before = try await Contents(source)
        let after = try await Contents(target)
        #expect(before == after)
        // Spot checks that the comparison compares something.
        #expect(after.devices.count == 2)
        #expect(after.huntGroups.first?.members == ["4002", "4001"])
        #expect(after.routePatterns.map(\.pattern) == ["900!", "9.1XXX", "0.!"])
        #expect(after.adminTokens.map(\.name) == ["default"])
        #expect(after.settings.parkSlots == 7000...7009)
        // Signed-in browsers are not copied.
        #expect(try await source.webSession(id: "session-1") != nil)
        #expect(try await target.webSession(id: "session-1") == nil)
    }
}
