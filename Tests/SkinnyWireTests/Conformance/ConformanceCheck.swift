import Foundation
import NIOCore
import SkinnyWire

/// Puts conformance samples through tshark and compares what it reads with what each sample expects.
///
/// Every group of samples (one per protocol version, plus the harness's own control group) becomes one TCP
/// connection from its own phone port to the call manager's port 2000, in one pcap file, and tshark reads the file
/// once. For each sample frame the check requires that tshark:
/// - dissects it as `skinny` with the frame's message id, header version and length field;
/// - raises no `_ws.malformed` and no expert info of severity warning or error, unless the sample carries a
///   `tsharkDisagreement`, in which case it must raise one (a known disagreement that tshark no longer shows is a
///   failure) and must expect at least one field;
/// - reads every entry of `expectedFields` back equal (after `normalized(_:)`, occurrences joined with commas).
///
/// The handshake frames must carry no warning or error either, which checks the pcap writer itself (IP and TCP
/// checksums, sequence numbers).
struct ConformanceCheck {
    /// One group of samples sent over one TCP connection.
    struct Group {
        /// The label that results are filed under, e.g. "v17".
        var label: String
        var samples: [ConformanceSample]
    }

    /// A sample as placed in the capture.
    struct Entry {
        var group: String
        var sample: ConformanceSample
        var frameNumber: Int
    }

    /// One thing tshark disagreed with. `sample` is nil for frames that belong to no sample (the handshake).
    struct Failure: Sendable, CustomStringConvertible {
        var group: String
        var sample: String?
        var text: String

        var description: String { self.text }
    }

    /// A sample whose tshark flags were tolerated because it carries a `tsharkDisagreement`.
    struct KnownDisagreement: Sendable, CustomStringConvertible {
        var group: String
        var sample: String
        var messageID: UInt32
        /// The sample's note: why Strowger is right.
        var reason: String
        /// What tshark said about the frame (malformed mark, expert infos); empty if it read it cleanly, which is
        /// then also a failure.
        var tsharkFlags: [String]

        var description: String {
            "\(self.sample) (0x\(String(self.messageID, radix: 16)), \(self.group)): \(self.reason)"
        }
    }

    /// What the check found for one group.
    struct GroupResult: Sendable {
        /// Sample frames tshark read.
        var frames = 0
        /// Distinct message ids among them.
        var messageIDs: Set<UInt32> = []
        var failures: [Failure] = []
        /// The samples whose tshark flags were tolerated as known disagreements.
        var knownDisagreements: [KnownDisagreement] = []
    }

    /// The call manager's address and SCCP port (reference §1).
    static let callManager = PcapEndpoint(10, 0, 0, 1, port: 2000)
    /// The phones' address; each group gets its own ephemeral port from `firstPhonePort` up.
    static let phoneAddress: [UInt8] = [10, 0, 0, 2]
    static let firstPhonePort: UInt16 = 49_152

    /// Expert-info severities as tshark prints them (epan/proto.h `PI_WARN`, `PI_ERROR`).
    static let warningSeverity = 0x0060_0000
    static let errorSeverity = 0x0080_0000

    /// Fields read for every frame, whatever the samples expect.
    static let baseFields = [
        "frame.number", "frame.protocols", "skinny.messageId", "skinny.hdr_version", "skinny.data_length",
        "_ws.malformed", "_ws.expert.severity", "_ws.expert.message",
    ]

    let groups: [Group]
    private(set) var entries: [Entry] = []
    /// The capture, built in `init`.
    private(set) var capture = PcapWriter()

    init(groups: [Group]) {
        self.groups = groups
        var port = Self.firstPhonePort
        for group in groups {
            let phone = PcapEndpoint(
                Self.phoneAddress[0],
                Self.phoneAddress[1],
                Self.phoneAddress[2],
                Self.phoneAddress[3],
                port: port
            )
            port += 1
            var connection = PcapTCPConversation(phone: phone, callManager: Self.callManager)
            connection.writeHandshake(into: &self.capture)
            for sample in group.samples {
                var bytes = ByteBuffer()
                bytes.writeSkinnyFrame(sample.frame)
                let frameNumber = connection.send(
                    Array(bytes.readableBytesView),
                    from: sample.direction == .station ? .phone : .callManager,
                    into: &self.capture
                )
                self.entries.append(Entry(group: group.label, sample: sample, frameNumber: frameNumber))
            }
        }
    }

    /// Every field to ask tshark for: the base fields and every field some sample expects, sorted.
    var fields: [String] {
        let expected = Set(self.entries.flatMap { $0.sample.expectedFields.keys })
        return Self.baseFields + expected.subtracting(Self.baseFields).sorted()
    }

    /// Writes the capture to `url`, runs tshark once (twice if some expected field does not exist in tshark, so
    /// that the rest is still checked) and compares.
    func run(tshark: TsharkRunner, captureURL url: URL) throws -> [String: GroupResult] {
        try Data(self.capture.bytes).write(to: url)
        let (frames, unknownFields) = try tshark.readFields(self.fields, from: url)
        return self.compare(frames, unknownFields: Set(unknownFields))
    }

    /// Compares tshark's frames with the samples.
    func compare(_ frames: [TsharkFrame], unknownFields: Set<String> = []) -> [String: GroupResult] {
        var results: [String: GroupResult] = [:]
        for group in self.groups {
            results[group.label] = GroupResult()
        }
        var framesByNumber: [Int: TsharkFrame] = [:]
        for frame in frames {
            if let number = frame["frame.number"].first.flatMap({ Int($0) }) {
                framesByNumber[number] = frame
            }
        }

        var sampleFrameNumbers: Set<Int> = []
        for entry in self.entries {
            sampleFrameNumbers.insert(entry.frameNumber)
            let failures = Self.compare(entry, framesByNumber[entry.frameNumber], unknownFields: unknownFields)
            results[entry.group, default: GroupResult()].frames += 1
            results[entry.group, default: GroupResult()].messageIDs.insert(entry.sample.frame.id.rawValue)
            results[entry.group, default: GroupResult()].failures += failures.map {
                Failure(group: entry.group, sample: entry.sample.name, text: $0)
            }
            if let reason = entry.sample.tsharkDisagreement {
                results[entry.group, default: GroupResult()].knownDisagreements.append(
                    KnownDisagreement(
                        group: entry.group,
                        sample: entry.sample.name,
                        messageID: entry.sample.frame.id.rawValue,
                        reason: reason,
                        tsharkFlags: framesByNumber[entry.frameNumber].map(Self.flags) ?? []
                    )
                )
            }
        }

        // Frames of no sample: the handshakes. Their only check is the pcap writer's own correctness.
        for number in 1..<(self.capture.packetCount + 1) where !sampleFrameNumbers.contains(number) {
            guard let frame = framesByNumber[number] else {
                results["pcap", default: GroupResult()].failures.append(
                    Failure(group: "pcap", sample: nil, text: "pcap writer: tshark did not read frame \(number)")
                )
                continue
            }
            for problem in Self.expertProblems(frame) {
                results["pcap", default: GroupResult()].failures.append(
                    Failure(group: "pcap", sample: nil, text: "pcap writer: frame \(number): \(problem)")
                )
            }
        }
        return results
    }

    /// The failures of one sample, each a complete sentence naming the sample, version, field, expected and
    /// actual values.
    static func compare(_ entry: Entry, _ frame: TsharkFrame?, unknownFields: Set<String>) -> [String] {
        let sample = entry.sample
        let direction = sample.direction == .station ? "phone → call manager" : "call manager → phone"
        let prefix =
            "\(sample.name) (\(entry.group), \(direction), 0x\(String(sample.frame.id.rawValue, radix: 16)), "
            + "frame \(entry.frameNumber))"
        guard let frame else {
            return ["\(prefix): tshark did not read this frame"]
        }
        let messageIDs = frame["skinny.messageId"].map(normalized)
        guard !messageIDs.isEmpty else {
            return [
                "\(prefix): tshark did not decode it as skinny (protocols \(frame["frame.protocols"].joined()); "
                    + "header version \(sample.frame.headerVersion))"
            ]
        }
        var failures: [String] = []
        func expect(_ field: String, _ expected: String, _ actual: [String]) {
            // Occurrences are compared joined with commas, so that a string holding a comma matches its own text.
            let read = actual.map(normalized).joined(separator: ",")
            let wanted = expected.split(separator: ",", omittingEmptySubsequences: false)
                .map { normalized(String($0)) }.joined(separator: ",")
            guard read != wanted else { return }
            let raw = actual.joined(separator: ",")
            let shown = actual.isEmpty ? "(absent)" : "\"\(read)\"" + (raw == read ? "" : " (\(raw))")
            failures.append("\(prefix): \(field): expected \"\(expected)\", tshark read \(shown)")
        }
        expect("skinny.messageId", "\(sample.frame.id.rawValue)", frame["skinny.messageId"])
        expect("skinny.hdr_version", "\(sample.frame.headerVersion)", frame["skinny.hdr_version"])
        expect("skinny.data_length", "\(sample.frame.lengthField)", frame["skinny.data_length"])
        let flags = Self.flags(frame)
        if let reason = sample.tsharkDisagreement {
            // A known disagreement: tshark's flags are tolerated, but it must still raise them, and the sample must
            // still have fields for tshark to read back.
            if flags.isEmpty {
                failures.append(
                    "\(prefix): listed as a known disagreement with tshark (\(reason)), but tshark reads it cleanly: "
                        + "remove the exception"
                )
            }
            if sample.expectedFields.isEmpty {
                failures.append("\(prefix): a known disagreement must still expect the fields tshark reads right")
            }
        } else {
            failures += flags.map { "\(prefix): \($0)" }
        }
        for (field, expected) in sample.expectedFields.sorted(by: { $0.key < $1.key }) {
            if unknownFields.contains(field) {
                failures.append(
                    "\(prefix): \(field): tshark has no such field (list them with `tshark -G fields | grep skinny`)"
                )
            } else {
                expect(field, expected, frame[field])
            }
        }
        return failures
    }

    /// Everything tshark flags in a frame: the malformed mark, then expert infos of severity warning or error.
    static func flags(_ frame: TsharkFrame) -> [String] {
        var flags: [String] = []
        if !frame["_ws.malformed"].isEmpty {
            flags.append(
                "tshark reports a malformed packet (its layout for this id and header version runs past the body)"
            )
        }
        return flags + expertProblems(frame)
    }

    /// Expert infos of severity warning or error, as text.
    static func expertProblems(_ frame: TsharkFrame) -> [String] {
        let severities = frame["_ws.expert.severity"]
        let messages = frame["_ws.expert.message"]
        var problems: [String] = []
        for (index, severity) in severities.enumerated() {
            guard let value = Int(severity), value >= warningSeverity else { continue }
            let level = value >= errorSeverity ? "error" : "warning"
            let message = index < messages.count ? messages[index] : "(no message)"
            problems.append("tshark expert \(level): \(message)")
        }
        return problems
    }
}

/// A tshark value in the form samples write it: hexadecimal integers (`0x0000001f`, as tshark prints fields shown
/// in hex) become decimal; everything else is unchanged.
func normalized(_ value: String) -> String {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    if trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X"), trimmed.count > 2,
        let number = UInt64(trimmed.dropFirst(2), radix: 16)
    {
        return String(number)
    }
    return value
}
