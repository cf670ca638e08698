import CallControl
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@testable import Store

@Suite struct CDRWriterTests {
    static let logger = Logger(label: "strowger.store.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func records(_ count: Int) -> [CallRecord] {
        (0..<count).map { makeCallRecord(setupMilliseconds: 1_700_000_000_000 + Int64($0), sequence: UInt32($0 + 1)) }
    }

    /// Waits (up to twenty seconds: the whole suite runs in parallel on a loaded 2-core machine, and a condition
    /// that holds returns at once) until `condition` holds.
    static func eventually(_ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }

    @Test func recordsQueuedBeforeShutdownAreWrittenInFullBatches() async throws {
        let store = try makeStore()
        let writer = CDRWriter(store: store, configuration: .init(batchSize: 500), logger: Self.logger)
        for record in Self.records(1_200) { #expect(writer.submit(record)) }

        await testGracefulShutdown { trigger in
            trigger.triggerGracefulShutdown()
            await writer.run()
        }

        #expect(try await store.callDetailRecordCount() == 1_200)
        let statistics = writer.statistics
        #expect(statistics.accepted == 1_200)
        #expect(statistics.written == 1_200)
        #expect(statistics.batches == 3)  // 500 + 500 + 200, one transaction each
        #expect(statistics.pending == 0)
        #expect(statistics.dropped == 0)
    }

    @Test func aPartialBatchIsWrittenWhenTheIntervalEnds() async throws {
        let store = try makeStore()
        let writer = CDRWriter(
            store: store,
            configuration: .init(batchSize: 500, flushInterval: .milliseconds(50)),
            logger: Self.logger
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await writer.run() }
                for record in Self.records(10) { writer.submit(record) }
                let written = try await Self.eventually { try await store.callDetailRecordCount() == 10 }
                #expect(written)
                #expect(writer.statistics.batches == 1)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func aFullBatchIsWrittenBeforeTheIntervalEnds() async throws {
        let store = try makeStore()
        let writer = CDRWriter(
            store: store,
            configuration: .init(batchSize: 100, flushInterval: .seconds(3600)),
            logger: Self.logger
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await writer.run() }
                for record in Self.records(100) { writer.submit(record) }
                let written = try await Self.eventually { try await store.callDetailRecordCount() == 100 }
                #expect(written)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func gracefulShutdownFlushesEverythingStillQueued() async throws {
        let store = try makeStore()
        // An interval that never ends during the test: only the shutdown can write these records.
        let writer = CDRWriter(
            store: store,
            configuration: .init(batchSize: 10_000, flushInterval: .seconds(3600)),
            logger: Self.logger
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await writer.run() }
                for record in Self.records(250) { writer.submit(record) }
                try await Task.sleep(for: .milliseconds(50))
                #expect(try await store.callDetailRecordCount() == 0)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(try await store.callDetailRecordCount() == 250)
        #expect(writer.statistics.written == 250)
        // Once stopped, the writer refuses records rather than queueing them forever.
        #expect(writer.submit(makeCallRecord()) == false)
        #expect(writer.statistics.dropped == 1)
    }

    @Test func cancellationAlsoFlushesEverythingStillQueued() async throws {
        let store = try makeStore()
        let writer = CDRWriter(
            store: store,
            configuration: .init(batchSize: 10_000, flushInterval: .seconds(3600)),
            logger: Self.logger
        )
        let task = Task { await writer.run() }
        for record in Self.records(40) { writer.submit(record) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        await task.value
        #expect(try await store.callDetailRecordCount() == 40)
    }

    @Test func aFullQueueCountsDropsInsteadOfGrowing() async throws {
        let store = try makeStore()
        let writer = CDRWriter(store: store, configuration: .init(capacity: 10), logger: Self.logger)
        let accepted = Self.records(15).map { writer.submit($0) }
        #expect(accepted == Array(repeating: true, count: 10) + Array(repeating: false, count: 5))
        #expect(writer.statistics.dropped == 5)
        #expect(writer.statistics.pending == 10)

        await testGracefulShutdown { trigger in
            trigger.triggerGracefulShutdown()
            await writer.run()
        }
        #expect(try await store.callDetailRecordCount() == 10)
    }

    @Test func runsInAServiceGroup() async throws {
        let store = try makeStore()
        let writer = CDRWriter(store: store, logger: Self.logger)
        let group = ServiceGroup(services: [writer], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for record in Self.records(30) { writer.submit(record) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await store.callDetailRecordCount() == 30)
    }
}

@Suite struct CallDetailRecordQueryTests {
    /// 1001 calls 1002 at t=1,2,3 s; 1002 calls 1003 at t=4; 1003 calls 1001 at t=5; an invalid number at t=6.
    static func populate(_ store: Store) async throws {
        let base: Int64 = 1_700_000_000_000
        try await store.insertCallRecords([
            makeCallRecord(from: "1001", to: "1002", setupMilliseconds: base + 1_000, sequence: 1),
            makeCallRecord(from: "1001", to: "1002", setupMilliseconds: base + 2_000, sequence: 2),
            makeCallRecord(from: "1001", to: "1002", setupMilliseconds: base + 3_000, sequence: 3),
            makeCallRecord(from: "1002", to: "1003", setupMilliseconds: base + 4_000, sequence: 4),
            makeCallRecord(from: "1003", to: "1001", setupMilliseconds: base + 5_000, sequence: 5),
            makeCallRecord(from: "1002", to: nil, setupMilliseconds: base + 6_000, sequence: 6),
        ])
    }

    static func at(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(seconds)) }

    @Test func newestFirstWithALimit() async throws {
        let store = try makeStore()
        try await Self.populate(store)
        let rows = try await store.callDetailRecords(limit: 4)
        #expect(rows.map(\.callingReference) == [6, 5, 4, 3])
    }

    @Test func byTimeRange() async throws {
        let store = try makeStore()
        try await Self.populate(store)
        let rows = try await store.callDetailRecords(from: Self.at(2), to: Self.at(5))
        #expect(rows.map(\.callingReference) == [4, 3, 2])  // from inclusive, to exclusive
    }

    @Test func byNumberOnEitherSide() async throws {
        let store = try makeStore()
        try await Self.populate(store)
        #expect(try await store.callDetailRecords(number: "1001").map(\.callingReference) == [5, 3, 2, 1])
        #expect(try await store.callDetailRecords(number: "1003").map(\.callingReference) == [5, 4])
        #expect(try await store.callDetailRecords(number: "1002", limit: 2).map(\.callingReference) == [6, 4])
        #expect(
            try await store.callDetailRecords(number: "1002", from: Self.at(2), to: Self.at(4)).map(\.callingReference)
                == [3, 2]
        )
        #expect(try await store.callDetailRecords(number: "4711").isEmpty)
    }

    @Test func aCallToOneselfIsListedOnce() async throws {
        let store = try makeStore()
        try await store.insertCallRecords([makeCallRecord(from: "1001", to: "1001")])
        #expect(try await store.callDetailRecords(number: "1001").count == 1)
    }

    @Test func retentionDeletesOlderRecords() async throws {
        let store = try makeStore()
        try await Self.populate(store)
        #expect(try await store.deleteCallDetailRecords(before: Self.at(4)) == 3)
        #expect(try await store.callDetailRecords().map(\.callingReference) == [6, 5, 4])
    }
}
