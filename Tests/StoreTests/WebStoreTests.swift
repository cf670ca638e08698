import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

/// The Store's side of the web administration (issue 18): paged lists in index order, accounts and sessions, the
/// call-record search, the import dry run.
@Suite struct WebStoreTests {
    /// `count` phones `SEP0000000000xx` with descriptions and models that sort differently from their names, each
    /// with its own line `5xxx`, the even ones owned by `alice`.
    static func storeWithPhones(_ count: Int) async throws -> Store {
        let store = try makeStore()
        try await store.insert(UserRecord(name: "alice", displayName: "Alice"))
        let alice = try await store.user(named: "alice")?.id
        var batch = DirectoryBatch(lines: [], devices: [])
        for index in 0..<count {
            let name = "SEP" + String(format: "%012X", index)
            batch.lines.append(.init(row: index + 2, number: "5\(String(format: "%03d", index))"))
            batch.devices.append(
                .init(
                    row: index + 2,
                    name: name,
                    model: index % 3 == 0 ? "7960" : "7940",
                    description: "Desk \(count - index)",
                    lines: ["5\(String(format: "%03d", index))"]
                )
            )
        }
        try await store.apply(batch)
        for device in try await store.devices() where Int(device.name.dropFirst(3), radix: 16)! % 2 == 0 {
            var owned = device
            owned.ownerID = alice
            try await store.update(owned)
        }
        return store
    }

    @Test func phonesArePagedInNameOrderWithTheTotal() async throws {
        let store = try await Self.storeWithPhones(120)
        let first = try await store.devicePage(ListQuery(sort: .name, offset: 0, limit: 50))
        #expect(first.total == 120)
        #expect(first.items.count == 50)
        #expect(first.items.first?.device.name == "SEP000000000000")
        #expect(first.items.first?.lines == ["5000"])
        #expect(first.items.first?.owner == "alice")
        let last = try await store.devicePage(ListQuery(sort: .name, offset: 100, limit: 50))
        #expect(last.items.map(\.device.name) == (100..<120).map { "SEP" + String(format: "%012X", $0) })
        let descending = try await store.devicePage(ListQuery(sort: .name, descending: true, limit: 1))
        #expect(descending.items.first?.device.name == "SEP000000000077")
    }

    @Test func phonesSortByDescriptionModelAndOwner() async throws {
        let store = try await Self.storeWithPhones(30)
        let byDescription = try await store.devicePage(ListQuery(sort: .description, limit: 3))
        // "Desk 1" < "Desk 10" < "Desk 11": text order, the name breaking ties.
        #expect(byDescription.items.map(\.device.description) == ["Desk 1", "Desk 10", "Desk 11"])
        let byModel = try await store.devicePage(ListQuery(sort: .model, descending: true, limit: 30))
        #expect(byModel.items.prefix(10).allSatisfy { $0.device.model == "7960" })
        let byOwner = try await store.devicePage(ListQuery(sort: .owner, descending: true, limit: 15))
        #expect(byOwner.items.allSatisfy { $0.owner == "alice" })
    }

    @Test func phoneSearchMatchesNameDescriptionModelOwnerAndLinePrefix() async throws {
        let store = try await Self.storeWithPhones(40)
        func names(_ search: String) async throws -> [String] {
            try await store.devicePage(ListQuery(search: search, sort: .name, limit: 100)).items.map(\.device.name)
        }
        #expect(try await names("00000000001F") == ["SEP00000000001F"])
        #expect(try await names("desk 40") == ["SEP000000000000"])
        #expect(try await store.devicePage(ListQuery(search: "7960", sort: .name)).total == 14)
        #expect(try await store.devicePage(ListQuery(search: "ALIC", sort: .name)).total == 20)
        #expect(try await names("5039") == ["SEP000000000027"])
        // A line number matches from its start only; `%` and `_` are text, not wildcards.
        #expect(try await names("039").isEmpty)
        #expect(try await names("%").isEmpty)
        #expect(try await names("Desk_4").isEmpty)
        let page = try await store.devicePage(ListQuery(search: "desk 1", sort: .name, offset: 5, limit: 5))
        #expect(page.total == 11)
        #expect(page.items.count == 5)
    }

    /// The orders a page offers come from an index: SQLite walks it to the window instead of sorting the table
    /// (the reason 20,000 phones page in milliseconds; BENCHMARKS.md).
    @Test(arguments: [DeviceListSort.name, .description, .model])
    func phoneOrdersUseAnIndex(sort: DeviceListSort) async throws {
        for descending in [false, true] {
            let plan = try await Self.plan(Store.devicePageSQL(ListQuery(sort: sort, descending: descending)))
            #expect(!plan.contains("TEMP B-TREE"), "\(sort) \(descending): \(plan)")
        }
    }

    /// The owner order is the one that sorts (the owner's name comes from a join): the check above can see a sort.
    @Test func theOwnerOrderSorts() async throws {
        let plan = try await Self.plan(Store.devicePageSQL(ListQuery(sort: .owner)))
        #expect(plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test(.sqliteOnly) func lineAndUserOrdersUseAnIndex() async throws {
        for sort in LineListSort.allCases {
            let plan = try await Self.plan(Store.linePageSQL(ListQuery(sort: sort)))
            #expect(!plan.contains("TEMP B-TREE"), "\(sort): \(plan)")
        }
        for sort in UserListSort.allCases {
            let plan = try await Self.plan(Store.userPageSQL(ListQuery(sort: sort, descending: true)))
            #expect(!plan.contains("TEMP B-TREE"), "\(sort): \(plan)")
        }
    }

    static func plan(_ sql: Store.PageSQL) async throws -> String {
        let database = try StrowgerDatabase.inMemory()
        return try await database.reader.read { db in
            try db.fetchAll("EXPLAIN QUERY PLAN " + sql.select, sql.arguments)
                .map { try $0.get("detail", as: String.self) }.joined(separator: "\n")
        }
    }

    @Test func linesAndUsersArePagedAndSearched() async throws {
        let store = try await Self.storeWithPhones(60)
        let lines = try await store.linePage(ListQuery(search: "501", sort: .number, limit: 5))
        #expect(lines.total == 10)
        #expect(lines.items.map(\.line.number) == ["5010", "5011", "5012", "5013", "5014"])
        #expect(lines.items.first?.devices == ["SEP00000000000A"])
        let byDevice = try await store.linePage(ListQuery(search: "00000000003B", sort: .number))
        #expect(byDevice.items.map(\.line.number) == ["5059"])
        let users = try await store.userPage(ListQuery(search: "ALI", sort: .displayName))
        #expect(users.total == 1)
        #expect(users.items.first?.devices.count == 30)
    }

    // MARK: - Accounts and sessions

    @Test func accountNamesAreUniqueWithoutRegardToCaseAndAdminIsReserved() async throws {
        let store = try makeStore()
        try await store.insertWebAccount(name: "carol", passwordHash: "$scrypt$x")
        await #expect(throws: StoreError.self) {
            try await store.insertWebAccount(name: "Carol", passwordHash: "$scrypt$y")
        }
        for name in ["admin", "ADMIN", "has space", "", "-dash"] {
            do {
                try await store.insertWebAccount(name: name, passwordHash: "$scrypt$z")
                Issue.record("\(name) was accepted")
            } catch let error as StoreError {
                #expect(error.code == .invalidValue)
                #expect(error.field == "account.name")
            }
        }
        #expect(try await store.webAccounts().map(\.name) == ["carol"])
        #expect(try await store.webAccount(named: "CAROL")?.passwordHash == "$scrypt$x")
    }

    @Test func aNewPasswordOrADeletedAccountEndsItsSessions() async throws {
        let store = try makeStore()
        try await store.insertWebAccount(name: "carol", passwordHash: "$scrypt$x")
        try await store.insertWebAccount(name: "dave", passwordHash: "$scrypt$x")
        let now = Date()
        for (id, account) in [("a", "carol"), ("b", "dave"), ("c", "admin")] {
            try await store.insertWebSession(
                WebSessionRecord(
                    id: id,
                    account: account,
                    csrfToken: "t",
                    createdAt: now,
                    lastSeenAt: now,
                    expiresAt: now + 60
                )
            )
        }
        try await store.updateWebAccountPassword(named: "carol", passwordHash: "$scrypt$new")
        #expect(try await store.webSession(id: "a") == nil)
        #expect(try await store.webAccount(named: "carol")?.passwordHash == "$scrypt$new")
        try await store.deleteWebAccount(named: "dave")
        #expect(try await store.webSession(id: "b") == nil)
        #expect(try await store.webSession(id: "c")?.account == "admin")
    }

    @Test func expiredAndIdleSessionsAreDeleted() async throws {
        let store = try makeStore()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let sessions = [
            ("live", now - 10, now + 3600),
            ("pastLifetime", now - 10, now - 1),
            ("idle", now - 7200, now + 3600),
        ]
        for (id, seen, expires) in sessions {
            try await store.insertWebSession(
                WebSessionRecord(
                    id: id,
                    account: "admin",
                    csrfToken: "t",
                    createdAt: now - 8000,
                    lastSeenAt: seen,
                    expiresAt: expires
                )
            )
        }
        #expect(try await store.deleteExpiredWebSessions(now: now, idleSince: now - 1800) == 2)
        #expect(try await store.webSession(id: "live") != nil)
        try await store.touchWebSession(id: "live", at: now + 5)
        #expect(try await store.webSession(id: "live")?.lastSeenAt == now + 5)
        try await store.deleteWebSession(id: "live")
        #expect(try await store.webSession(id: "live") == nil)
    }

    // MARK: - Call records

    static func record(
        _ calling: (String, String),
        _ called: (String, String)?,
        at seconds: Int64,
        cause: CallDetailRecord.EndCause = .normalClearing
    ) -> CallDetailRecord {
        let setup = Date(timeIntervalSince1970: Double(seconds))
        return CallDetailRecord(
            callingDevice: calling.0,
            callingNumber: calling.1,
            callingReference: seconds,
            dialedNumber: called?.1 ?? "999",
            calledNumber: called?.1,
            calledDevice: called?.0,
            calledReference: nil,
            setupTime: setup,
            answerTime: cause == .normalClearing ? setup + 2 : nil,
            endTime: setup + 30,
            endCause: cause,
            releasedBy: .caller,
            codec: nil
        )
    }

    @Test func callRecordsAreSearchedByNumberDeviceCauseAndTime() async throws {
        let store = try makeStore()
        let alice = ("SEP00000000000A", "1001")
        let bob = ("SEP00000000000B", "1002")
        let carol = ("SEP00000000000C", "1003")
        let base: Int64 = 1_800_000_000
        try await store.insert(Self.record(alice, bob, at: base))
        try await store.insert(Self.record(bob, carol, at: base + 3600, cause: .busy))
        try await store.insert(Self.record(carol, alice, at: base + 7200, cause: .abandoned))
        try await store.insert(Self.record(carol, nil, at: base + 7300, cause: .invalidNumber))

        func numbers(_ filter: CallRecordFilter) async throws -> [String] {
            try await store.callDetailRecordPage(filter, offset: 0, limit: 100).records.map(\.callingNumber)
        }
        #expect(try await numbers(CallRecordFilter()) == ["1003", "1003", "1002", "1001"])
        #expect(try await numbers(CallRecordFilter(number: "1001")) == ["1003", "1001"])
        #expect(try await numbers(CallRecordFilter(device: bob.0)) == ["1002", "1001"])
        #expect(try await numbers(CallRecordFilter(cause: .busy)) == ["1002"])
        let from = Date(timeIntervalSince1970: Double(base + 3600))
        let to = Date(timeIntervalSince1970: Double(base + 7300))
        #expect(try await numbers(CallRecordFilter(from: from, to: to)) == ["1003", "1002"])
        #expect(try await numbers(CallRecordFilter(number: "1003", cause: .abandoned)) == ["1003"])

        let page = try await store.callDetailRecordPage(CallRecordFilter(), offset: 1, limit: 2)
        #expect(page.records.map(\.callingNumber) == ["1003", "1002"])
        #expect(page.hasMore)
        #expect(try await store.callDetailRecordPage(CallRecordFilter(), offset: 2, limit: 2).hasMore == false)

        let buckets = try await store.callDetailRecordBuckets(CallRecordFilter(), bucket: .seconds(3600))
        let hour = (base / 3600) * 3600
        #expect(
            buckets.map { "\(Int64($0.start.timeIntervalSince1970) - hour) \($0.cause) \($0.count)" } == [
                "0 normalClearing 1", "3600 busy 1", "7200 abandoned 1", "7200 invalidNumber 1",
            ]
        )
    }

    @Test func aKeysetWalkReadsEveryRecordOnce() async throws {
        let store = try makeStore()
        let base: Int64 = 1_800_000_000
        // Records sharing a setup time: the id breaks the tie, so none is skipped or repeated between pages.
        for index in 0..<25 {
            try await store.insert(Self.record(("SEP00000000000A", "1001"), nil, at: base + Int64(index / 3)))
        }
        var seen: [Int64] = []
        var cursor: (setupTime: Date, id: Int64)?
        while true {
            let batch = try await store.callDetailRecords(CallRecordFilter(), after: cursor, limit: 4)
            guard let last = batch.last, let id = last.id else { break }
            seen += batch.compactMap(\.id)
            cursor = (last.setupTime, id)
        }
        #expect(seen.count == 25)
        #expect(Set(seen).count == 25)
    }

    // MARK: - Import dry run and auto-registration

    @Test func aDryRunReportsWhatAnImportWouldDoAndKeepsNothing() async throws {
        let store = try makeStore()
        let changes = store.changes()
        let batch = DirectoryBatch(
            lines: [.init(row: 2, number: "2001"), .init(row: 3, number: "2002")],
            devices: [.init(row: 2, name: "SEP001122334455", lines: ["2001"])]
        )
        let summary = try await store.check(batch)
        #expect(summary.linesCreated == 2)
        #expect(summary.devicesCreated == 1)
        #expect(try await store.counts().lines == 0)
        #expect(try await store.counts().devices == 0)

        let bad = DirectoryBatch(
            lines: [.init(row: 2, number: "2001")],
            devices: [.init(row: 3, name: "SEP001122334455", owner: "nobody")]
        )
        do {
            _ = try await store.check(bad)
            Issue.record("a batch naming an unknown owner passed the check")
        } catch let error as DirectoryBatchError {
            #expect(error.row == 3)
        }
        // Nothing was published either: the next change seen is the real import's.
        try await store.apply(batch)
        var iterator = changes.makeAsyncIterator()
        guard case .upsertLine(let line)? = await iterator.next() else {
            Issue.record("the first change is not the import's first line")
            return
        }
        #expect(line.number == DirectoryNumber("2001"))
    }

    @Test func autoRegistrationUsageCountsTheRangesNumbers() async throws {
        let store = try makeStore()
        var settings = try await store.settings()
        settings.autoRegistrationFirstNumber = 1000
        settings.autoRegistrationLastNumber = 1009
        try await store.update(settings)
        for number in ["1000", "1005", "1009", "1010", "999", "10A0", "*1001"] {
            try await store.insert(LineRecord(number: number))
        }
        let usage = try await store.autoRegistrationUsage()
        #expect(usage.used == 3)
        #expect(usage.size == 10)
    }
}
