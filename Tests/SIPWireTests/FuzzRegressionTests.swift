import Foundation
import Testing

/// Replays what the SIP fuzzer found (and the hand-made hostile inputs) through the same code the fuzzer runs
/// (`Fuzzing/SIPFuzzInput.swift`), and every RFC 4475 message with a few layouts: no trap, no broken round trip.
@Suite struct SIPFuzzRegressionTests {
    static let crashers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "FuzzCrashers"
    )

    static func inputs(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") && $0.pathExtension != "md" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func savedInputsStayFixed() throws {
        let files = try Self.inputs(in: Self.crashers)
        #expect(!files.isEmpty)
        for file in files {
            let outcome = SIPFuzzInput.run(Array(try Data(contentsOf: file)))
            #expect(outcome.problems.isEmpty, "\(file.lastPathComponent): \(outcome.problems)")
        }
    }

    @Test func torturesInEveryLayout() throws {
        for file in try Self.inputs(in: RFC4475Tests.directory) {
            let bytes = Array(try Data(contentsOf: file))
            for (size, chunk) in [(UInt8(255), UInt8(0)), (7, 6), (255, 63)] {
                let outcome = SIPFuzzInput.run([size, chunk] + bytes)
                #expect(outcome.problems.isEmpty, "\(file.lastPathComponent): \(outcome.problems)")
            }
        }
    }
}
