import CallControl
import Foundation

/// The devices and lines Strowger knows, kept in `directory.json` in the data directory.
///
/// This is the stand-in for the SQLite store (issue 4): it seeds the CallControl directory at start and records
/// the numbers auto-registration hands out, so a phone keeps its number across restarts. A user can also write
/// devices and lines into it by hand before starting the server:
///
/// ```json
/// { "devices": [ { "name": "SEP001122334455", "lines": ["1001"],
///                  "speedDials": [ { "index": 1, "number": "1002", "label": "Bob" } ] } ],
///   "lines": [ { "number": "1001", "displayName": "Alice" } ] }
/// ```
struct DirectoryFile: Codable, Equatable, Sendable {
    struct Device: Codable, Equatable, Sendable {
        var name: String
        var lines: [String]
        var speedDials: [SpeedDialEntry]?
    }

    struct SpeedDialEntry: Codable, Equatable, Sendable {
        var index: UInt32
        var number: String
        var label: String?
    }

    struct Line: Codable, Equatable, Sendable {
        var number: String
        var displayName: String?
        var maxCalls: Int?
        var busyTrigger: Int?
    }

    var devices: [Device] = []
    var lines: [Line] = []

    static let fileName = "directory.json"

    /// Reads the file, or an empty directory when there is none. A file that is not valid JSON of this shape is an
    /// error that names the file and the problem: the server must not start with half a directory.
    static func load(from directory: URL) throws -> DirectoryFile {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return DirectoryFile() }
        let data = try Data(contentsOf: url)
        do {
            return try JSONDecoder().decode(DirectoryFile.self, from: data)
        } catch {
            throw StrowgerConfigurationError("\(url.path) is not a valid directory file: \(error)")
        }
    }

    /// Writes the file atomically (write to a temporary file, then rename).
    func save(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        try data.write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// The CallControl directory this file describes.
    func callControlDirectory(settings: CallControlSettings) -> Directory {
        Directory(
            devices: self.devices.map { device in
                DeviceConfiguration(
                    name: DeviceName(device.name), lines: device.lines.map { DirectoryNumber($0) },
                    speedDials: (device.speedDials ?? []).map {
                        SpeedDial(index: $0.index, number: $0.number, label: $0.label ?? $0.number)
                    })
            },
            lines: self.lines.map { line in
                LineConfiguration(
                    number: DirectoryNumber(line.number), displayName: line.displayName ?? "",
                    maxCalls: line.maxCalls ?? 2, busyTrigger: line.busyTrigger ?? 2)
            },
            settings: settings)
    }

    /// Records a device that auto-registration gave a number.
    mutating func addAutoRegistered(device: DeviceName, number: DirectoryNumber) {
        if let index = self.devices.firstIndex(where: { $0.name == device.rawValue }) {
            if !self.devices[index].lines.contains(number.rawValue) {
                self.devices[index].lines.append(number.rawValue)
            }
        } else {
            self.devices.append(Device(name: device.rawValue, lines: [number.rawValue], speedDials: nil))
        }
    }
}

/// A configuration problem that stops the server from starting, with a message that says what to fix.
public struct StrowgerConfigurationError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
