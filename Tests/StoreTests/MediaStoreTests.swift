import Foundation
import GRDB
import Testing

@testable import Store

/// Music-on-hold sources, a line's and a device's choice of one, and meet-me numbers (migration
/// `addMediaServices`).
@Suite struct MediaStoreTests {
    static func source(_ name: String, seconds: Int = 10) -> MusicSourceRecord {
        MusicSourceRecord(name: name, fileName: "\(name).wav", sampleCount: seconds * 8_000, createdAt: 1_000)
    }

    @Test func theBuiltInSourceIsThereFromTheStartAndCannotBeReplacedOrRemoved() async throws {
        let store = try makeStore()
        let sources = try await store.musicSources()
        #expect(sources.map(\.name) == [MusicSourceRecord.builtInName])
        #expect(sources.first?.isBuiltIn == true)
        await #expect(throws: StoreError.self) {
            try await store.saveMusicSource(Self.source("default"), replacing: true)
        }
        await #expect(throws: StoreError.self) { try await store.removeMusicSource(named: "DEFAULT") }
    }

    @Test func sourcesAreAddedReplacedOnlyWhenAskedAndRemoved() async throws {
        let store = try makeStore()
        #expect(try await store.saveMusicSource(Self.source("Lobby"), replacing: false))
        do {
            try await store.saveMusicSource(Self.source("lobby", seconds: 20), replacing: false)
            Issue.record("a second source named lobby was saved")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
        }
        #expect(try await !store.saveMusicSource(Self.source("LOBBY", seconds: 20), replacing: true))
        let replaced = try #require(try await store.musicSource(named: "lobby"))
        // The stored spelling stays; the rest is the new file's.
        #expect(replaced.name == "Lobby" && replaced.sampleCount == 160_000)
        try await store.removeMusicSource(named: "lobby")
        #expect(try await store.musicSource(named: "Lobby") == nil)
        do {
            try await store.removeMusicSource(named: "lobby")
            Issue.record("a missing source was removed")
        } catch let error as StoreError {
            #expect(error.code == .notFound)
        }
    }

    @Test(arguments: ["", ".hidden", "../etc", "a/b", "with space", String(repeating: "x", count: 65), "ü"])
    func namesThatCouldLeaveTheDataDirectoryAreRefused(_ name: String) async throws {
        let store = try makeStore()
        do {
            try await store.saveMusicSource(Self.source(name), replacing: false)
            Issue.record("\(name) was accepted")
        } catch let error as StoreError {
            #expect(error.code == .invalidValue)
            #expect(error.field == "musicSource.name")
        }
    }

    @Test func aSourceChosenByALineOrDeviceCannotBeRemoved() async throws {
        let store = try makeStore()
        try await store.saveMusicSource(Self.source("jazz"), replacing: false)
        try await store.insert(LineRecord(number: "1001", musicSource: "jazz"))
        try await store.insert(DeviceRecord(name: "SEP000000000001", musicSource: "jazz"))
        do {
            try await store.removeMusicSource(named: "jazz")
            Issue.record("a source in use was removed")
        } catch let error as StoreError {
            #expect(error.code == .conflict)
            #expect(error.message.contains("line 1001") && error.message.contains("device SEP000000000001"), "\(error)")
        }
        // A name that is no source is refused by the database too.
        await #expect(throws: StoreError.self) {
            try await store.insert(LineRecord(number: "1002", musicSource: "nothing"))
        }
    }

    @Test func meetMeRangesAreStoredAndMayNotOverlap() async throws {
        let store = try makeStore()
        try await store.insert(MeetMeRangeRecord(first: "8000"))
        try await store.insert(MeetMeRangeRecord(first: "8100", last: "8109"))
        #expect(try await store.meetMeRanges().map(\.description) == ["8000", "8100-8109"])
        for (first, last) in [("8105", "8120"), ("8000", "8000"), ("7990", "8000")] {
            do {
                try await store.insert(MeetMeRangeRecord(first: first, last: last))
                Issue.record("\(first)-\(last) overlaps and was stored")
            } catch let error as StoreError {
                #expect(error.code == .conflict)
            }
        }
        // A line's number cannot be a room too.
        try await store.insert(LineRecord(number: "9005"))
        await #expect(throws: StoreError.self) {
            try await store.insert(MeetMeRangeRecord(first: "9000", last: "9009"))
        }
        try await store.removeMeetMeRange(first: "8100")
        #expect(try await store.meetMeRanges().map(\.description) == ["8000"])
    }

    @Test(arguments: [("80a0", "80a0"), ("8000", "799"), ("8010", "8000"), ("1000", "2500"), ("", "")])
    func badMeetMeRangesAreRefused(_ first: String, _ last: String) async throws {
        let store = try makeStore()
        do {
            try await store.insert(MeetMeRangeRecord(first: first, last: last))
            Issue.record("\(first)-\(last) was stored")
        } catch let error as StoreError {
            #expect(error.code == .invalidValue)
        }
    }

    @Test func meetMeRangesKnowTheirNumbers() {
        let range = MeetMeRangeRecord(first: "0800", last: "0899")
        #expect(range.count == 100)
        #expect(range.contains("0850"))
        #expect(!range.contains("850"))
        #expect(!range.contains("0900"))
    }
}
