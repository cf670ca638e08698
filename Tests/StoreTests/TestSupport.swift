import CallControl
import Foundation
import GRDB

@testable import Store

/// A fresh, migrated store: in memory on SQLite, or a throwaway database on the PostgreSQL pass
/// (PostgresTestSupport.swift).
func makeStore() throws -> Store {
    Store(database: try makeTestDatabase())
}

/// A directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("strowger-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// `DirectoryChange` in a comparable form (`Directory` itself is not `Equatable`).
enum Change: Hashable, CustomStringConvertible {
    case replace
    case upsertDevice(DeviceConfiguration)
    case removeDevice(DeviceName)
    case upsertLine(LineConfiguration)
    case removeLine(DirectoryNumber)
    case replaceRoutePatterns([RoutePattern])
    case replaceSettings(CallControlSettings)
    case upsertHuntGroup(HuntGroup)
    case removeHuntGroup(DirectoryNumber)
    case upsertPickupGroup(PickupGroup)
    case removePickupGroup(DirectoryNumber)
    case replaceMeetMeRanges([MeetMeRange])

    init(_ change: DirectoryChange) {
        switch change {
        case .replace: self = .replace
        case .upsertDevice(let device): self = .upsertDevice(device)
        case .removeDevice(let name): self = .removeDevice(name)
        case .upsertLine(let line): self = .upsertLine(line)
        case .removeLine(let number): self = .removeLine(number)
        case .replaceRoutePatterns(let patterns): self = .replaceRoutePatterns(patterns)
        case .replaceSettings(let settings): self = .replaceSettings(settings)
        case .upsertHuntGroup(let group): self = .upsertHuntGroup(group)
        case .removeHuntGroup(let pilot): self = .removeHuntGroup(pilot)
        case .upsertPickupGroup(let group): self = .upsertPickupGroup(group)
        case .removePickupGroup(let number): self = .removePickupGroup(number)
        case .replaceMeetMeRanges(let ranges): self = .replaceMeetMeRanges(ranges)
        }
    }

    var description: String {
        switch self {
        case .replace: "replace"
        case .upsertDevice(let device):
            "upsertDevice(\(device.name) \(device.lines) \(device.speedDials.map(\.number)))"
        case .removeDevice(let name): "removeDevice(\(name))"
        case .upsertLine(let line):
            "upsertLine(\(line.number) \"\(line.displayName)\" \(line.maxCalls)/\(line.busyTrigger))"
        case .removeLine(let number): "removeLine(\(number))"
        case .replaceRoutePatterns(let patterns): "replaceRoutePatterns(\(patterns.map(\.text)))"
        case .replaceSettings: "replaceSettings"
        case .upsertHuntGroup(let group): "upsertHuntGroup(\(group.pilot) \(group.members))"
        case .removeHuntGroup(let pilot): "removeHuntGroup(\(pilot))"
        case .upsertPickupGroup(let group): "upsertPickupGroup(\(group.number) \(group.members))"
        case .removePickupGroup(let number): "removePickupGroup(\(number))"
        case .replaceMeetMeRanges(let ranges): "replaceMeetMeRanges(\(ranges.count))"
        }
    }
}

/// Reads a store's change stream one write at a time without ever hanging: the Store publishes a write's changes
/// before the write returns, so ``drain()`` appends a marker and reads up to it.
struct ChangeProbe {
    private static let marker = DeviceName("marker-not-a-device")
    private let store: Store
    private var iterator: AsyncStream<DirectoryChange>.AsyncIterator

    init(_ store: Store) {
        self.store = store
        self.iterator = store.changes().makeAsyncIterator()
    }

    init(_ store: Store, stream: AsyncStream<DirectoryChange>) {
        self.store = store
        self.iterator = stream.makeAsyncIterator()
    }

    /// The changes published since the last drain, in order.
    mutating func drain() async -> [Change] {
        store.broadcaster.publish([.removeDevice(Self.marker)])
        var changes: [Change] = []
        while let change = await iterator.next() {
            if case .removeDevice(Self.marker) = change { return changes }
            changes.append(Change(change))
        }
        return changes
    }

    /// The raw changes published since the last drain (for applying them to a directory).
    mutating func drainRaw() async -> [DirectoryChange] {
        store.broadcaster.publish([.removeDevice(Self.marker)])
        var changes: [DirectoryChange] = []
        while let change = await iterator.next() {
            if case .removeDevice(Self.marker) = change { return changes }
            changes.append(change)
        }
        return changes
    }
}

/// The parts of a `Directory` that can be compared.
struct DirectoryContents: Equatable {
    var devices: [DeviceName: DeviceConfiguration]
    var lines: [DirectoryNumber: LineConfiguration]
    var routePatterns: [RoutePattern]
    var settings: CallControlSettings

    init(_ directory: Directory) {
        devices = directory.devices
        lines = directory.lines
        routePatterns = directory.routePatterns
        settings = directory.settings
    }
}

extension Directory {
    /// Applies a change the way CallControl's core does to its directory.
    mutating func apply(_ change: DirectoryChange) {
        switch change {
        case .replace(let directory): self = directory
        case .upsertDevice(let device): upsert(device)
        case .removeDevice(let name): removeDevice(named: name)
        case .upsertLine(let line): upsert(line)
        case .removeLine(let number): removeLine(number)
        case .replaceRoutePatterns(let patterns): replaceRoutePatterns(patterns)
        case .replaceSettings(let settings): self.settings = settings
        case .upsertHuntGroup(let group): upsert(group)
        case .removeHuntGroup(let pilot): removeHuntGroup(pilot: pilot)
        case .upsertPickupGroup(let group): upsert(group)
        case .removePickupGroup(let number): removePickupGroup(number: number)
        case .replaceMeetMeRanges(let ranges): replaceMeetMeRanges(ranges)
        }
    }
}

/// A call record with times in whole milliseconds since 1970.
func makeCallRecord(
    from callingNumber: String = "1001",
    to calledNumber: String? = "1002",
    setupMilliseconds: Int64 = 1_700_000_000_000,
    sequence: UInt32 = 1
) -> CallRecord {
    CallRecord(
        callingDevice: "SEP000000000001",
        callingNumber: DirectoryNumber(callingNumber),
        callingReference: CallReference(sequence),
        dialedNumber: calledNumber ?? "999",
        calledNumber: calledNumber.map(DirectoryNumber.init(rawValue:)),
        calledDevice: calledNumber == nil ? nil : "SEP000000000002",
        calledReference: calledNumber == nil ? nil : CallReference(sequence + 1_000_000),
        setupTime: .milliseconds(setupMilliseconds),
        answerTime: calledNumber == nil ? nil : .milliseconds(setupMilliseconds + 3_000),
        endTime: .milliseconds(setupMilliseconds + 60_000),
        endCause: calledNumber == nil ? .invalidNumber : .normalClearing,
        releasedBy: .caller,
        codec: calledNumber == nil ? nil : .g711ulaw
    )
}
