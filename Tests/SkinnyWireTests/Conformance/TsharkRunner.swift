import Foundation
import ToolSupport

/// Runs tshark, Wireshark's command-line decoder, over a capture file and returns chosen fields of every frame.
///
/// One call reads the whole file: `tshark -r FILE -T fields -E occurrence=a -e FIELD …`. Every occurrence of a
/// field is kept, in order, so that repeated fields (array entries) can be compared.
struct TsharkRunner {
    /// The environment variable that makes a missing tshark a test failure instead of a skip. scripts/test sets it.
    static let requireVariable = "STROWGER_REQUIRE_TSHARK"
    /// The environment variable that names a tshark binary to use instead of the one on `PATH`.
    static let pathVariable = "STROWGER_TSHARK"

    /// Whether the environment demands that tshark be present.
    static var isRequired: Bool {
        ProcessInfo.processInfo.environment[Self.requireVariable] == "1"
    }

    /// The tshark executable: `$STROWGER_TSHARK`, else the first `tshark` on `PATH`; `nil` when there is none.
    static let executable: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let fileManager = FileManager.default
        if let explicit = environment[Self.pathVariable], !explicit.isEmpty {
            return fileManager.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("tshark")
            if fileManager.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    /// Separates the occurrences of one field. A control character no SCCP sample puts in a string, so that text
    /// with commas stays whole.
    static let aggregator = "\u{1F}"

    /// Preferences that make the run strict and independent of the user's Wireshark profile: reassemble SCCP PDUs
    /// across segments and check IP and TCP checksums, so a fault in our pcap writer shows as expert info.
    static let preferences = [
        "tcp.desegment_tcp_streams:TRUE",
        "ip.check_checksum:TRUE",
        "tcp.check_checksum:TRUE",
    ]

    let executable: URL

    /// Reads `fields` of every frame of `capture`. Field values come back as tshark prints them, one entry per
    /// occurrence; a field absent from a frame has no entry. Field names tshark does not know are left out (tshark
    /// runs a second time without them) and returned in `unknownFields`, so one misspelt name costs only its own
    /// check.
    func readFields(
        _ fields: [String],
        from capture: URL
    ) throws(TsharkError) -> (
        frames: [TsharkFrame], unknownFields: [String]
    ) {
        switch try self.attempt(fields, from: capture) {
        case .frames(let frames):
            return (frames, [])
        case .invalidFields(let invalid):
            let known = fields.filter { !invalid.contains($0) }
            switch try self.attempt(known, from: capture) {
            case .frames(let frames): return (frames, invalid)
            case .invalidFields(let more): throw .invalidFields(invalid + more)
            }
        }
    }

    private enum Attempt {
        case frames([TsharkFrame])
        case invalidFields([String])
    }

    private func attempt(_ fields: [String], from capture: URL) throws(TsharkError) -> Attempt {
        var arguments = [
            "-r", capture.path, "-n", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\(Self.aggregator)",
            "-E", "header=n", "-E", "separator=/t",
        ]
        for preference in Self.preferences {
            arguments += ["-o", preference]
        }
        for field in fields {
            arguments += ["-e", field]
        }
        let (status, output, errorOutput) = try self.run(arguments)
        guard status == 0 else {
            let invalid = Self.invalidFields(inErrorOutput: errorOutput)
            if !invalid.isEmpty {
                return .invalidFields(invalid)
            }
            throw .failed(status: status, errorOutput: errorOutput)
        }
        return .frames(Self.parse(output, fields: fields))
    }

    /// Parses `-T fields` output: one line per frame, one tab-separated column per requested field, occurrences
    /// separated by `aggregator`.
    static func parse(_ output: String, fields: [String]) -> [TsharkFrame] {
        var frames: [TsharkFrame] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            var values: [String: [String]] = [:]
            for (field, column) in zip(fields, columns) where !column.isEmpty {
                values[field] = column.split(separator: Character(Self.aggregator), omittingEmptySubsequences: false)
                    .map(String.init)
            }
            frames.append(TsharkFrame(values: values))
        }
        return frames
    }

    /// The field names tshark rejected, from its error output:
    /// `tshark: Some fields aren't valid:` followed by one tab-indented name per line.
    static func invalidFields(inErrorOutput errorOutput: String) -> [String] {
        let lines = errorOutput.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("Some fields aren't valid") }) else {
            return []
        }
        return lines[(start + 1)...].prefix(while: { $0.hasPrefix("\t") })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Runs tshark with its output in temporary files, so that a large output cannot fill a pipe and block it.
    /// Blocks the calling thread: its one caller is the lazy initialiser of `ConformanceRun.shared`.
    private func run(_ arguments: [String]) throws(TsharkError) -> (Int32, String, String) {
        do {
            let result = try ToolProcess.runBlocking([self.executable.path] + arguments)
            return (result.status, result.standardOutputText, result.standardErrorText)
        } catch {
            throw .couldNotRun("\(self.executable.path): \(error)")
        }
    }
}

/// The fields tshark printed for one frame, in frame order.
struct TsharkFrame: Sendable {
    /// Field name to its occurrences, in the order tshark found them.
    var values: [String: [String]]

    /// The occurrences of `field`; empty when the frame does not have it.
    subscript(field: String) -> [String] {
        self.values[field] ?? []
    }
}

enum TsharkError: Error, Equatable, CustomStringConvertible {
    /// tshark did not know these field names.
    case invalidFields([String])
    /// tshark exited with an error.
    case failed(status: Int32, errorOutput: String)
    /// tshark could not be started.
    case couldNotRun(String)

    var description: String {
        switch self {
        case .invalidFields(let fields): "tshark does not know the fields \(fields.joined(separator: ", "))"
        case .failed(let status, let errorOutput): "tshark exited with status \(status): \(errorOutput)"
        case .couldNotRun(let reason): "tshark could not be run: \(reason)"
        }
    }
}
