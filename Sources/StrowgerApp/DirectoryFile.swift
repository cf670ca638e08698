import CallControl
import Foundation

/// `directory.json`: how the server kept devices and lines before the Store (issue 4). It is read once, at the
/// first start with a Store, and imported (``DirectoryFileImport``); tests and old installations still write it.
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
}

/// A configuration problem that stops the server from starting, with a message that says what to fix.
public struct StrowgerConfigurationError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
