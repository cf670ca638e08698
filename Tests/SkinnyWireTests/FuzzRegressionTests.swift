import Foundation
import Testing

/// Replays every input in FuzzCrashers/ through the fuzzer's own decode path (`SkinnyFuzzInput`, shared with
/// FuzzTesting/): framing, decoding as phone and call-manager messages at every version, re-encoding. Each must
/// neither trap (which would end the test process) nor break the decode-encode-decode round trip.
///
/// The folder starts with hand-made hostile inputs; every crash or hang `scripts/fuzz` finds is added to it
/// (FuzzTesting/README.md). The folder is found through `#filePath`, so no resources are bundled.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "FuzzCrashers"
    )

    static let inputs: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { !$0.hasPrefix(".") }
        .sorted()

    /// The replay below passes vacuously if the folder is not found.
    @Test func crashersArePresent() {
        #expect(Self.inputs.count >= 10, "FuzzCrashers/ not found or nearly empty at \(Self.folder.path)")
    }

    @Test(arguments: inputs)
    func replaysWithoutProblems(name: String) throws {
        let input = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let problems = SkinnyFuzzInput.run(Array(input)).problems
        // Every message and version that failed, then the first few problems in full.
        let failing = Set(problems.map { $0.prefix(while: { $0 != ":" }) }).sorted()
        #expect(problems == [], "\(name): \(problems.count) problems in \(failing): \(problems.prefix(3))")
    }

    /// The replay is not vacuous: fed a byte at a time or all at once, every frame of the stream gets through.
    @Test func framesReachTheDecoders() throws {
        // 529 message ids with empty bodies, fed one byte at a time.
        let input = try Data(contentsOf: Self.folder.appendingPathComponent("every-id-empty-body"))
        #expect(SkinnyFuzzInput.run(Array(input)).frames == 529)
        // A frame cut short at the end of the stream is not delivered; the one before it is.
        let keepAlive: [UInt8] = [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(SkinnyFuzzInput.run([0, 0] + keepAlive + keepAlive.prefix(6)).frames == 1)
        #expect(SkinnyFuzzInput.run([0, 16 << 3] + keepAlive + keepAlive).frames == 2)
        // A frame above the chosen maximum of 4 stops the stream.
        #expect(
            SkinnyFuzzInput.run([0, 1] + keepAlive + [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + keepAlive).frames == 1
        )
    }
}
