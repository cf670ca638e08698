// This file is compiled twice: into SkinnyWireTests, where FuzzRegressionTests replays saved inputs through it, and
// into FuzzTesting's libFuzzer target, through a symbolic link. One decode path for both, so a crasher the fuzzer
// finds replays exactly in `swift test`.
import NIOCore
import SkinnyWire

/// Drives one fuzzer input through everything a peer's bytes reach in SkinnyWire: framing, then decoding every frame
/// as a phone message and as a call-manager message, then encoding what decoded and decoding that again.
///
/// Input layout:
/// - byte 0: an extra protocol version to decode at, any raw value (0–255), besides every implemented version;
/// - byte 1: bits 0–2 pick the frame decoder's maximum length (`maximumLengths`); bits 3–7 how the stream is fed:
///   0–15 all at once, 16–31 in chunks of 1 to 16 bytes, as TCP may split it;
/// - the rest: the TCP byte stream.
///
/// Nothing here may trap, whatever the input. What it cannot check by trapping it returns as problems: a message
/// that decodes, encodes, and then does not decode to itself.
enum SkinnyFuzzInput {
    /// Frame-size caps to try: the default 8 KiB, the smallest legal one, and sizes in between.
    static let maximumLengths: [UInt32] = [SkinnyLimits.defaultMaximumLength, 4, 12, 16, 64, 256, 1024, 65_536]

    /// The versions every frame is decoded at, besides the one from byte 0.
    static let versions = SkinnyProtocolVersion.implemented

    /// What one input did.
    struct Outcome {
        /// Frames the framer produced.
        var frames = 0
        /// What went wrong without trapping; empty when all is well.
        var problems: [String] = []
    }

    /// Runs `input`.
    static func run(_ input: [UInt8]) -> Outcome {
        var outcome = Outcome()
        guard input.count >= 2 else { return outcome }
        let extraVersion = SkinnyProtocolVersion(input[0])
        let maximumLength = Self.maximumLengths[Int(input[1] & 0x07)]
        let feed = Int(input[1] >> 3)
        let stream = ByteBuffer(bytes: input[2...])
        let chunkSize = feed < 16 ? max(1, stream.readableBytes) : feed - 15

        let processor = NIOSingleStepByteToMessageProcessor(
            SkinnyFrameDecoder(maximumLength: maximumLength),
            maximumBufferSize: 64 * 1024
        )
        var offset = 0
        do {
            while offset < stream.readableBytes {
                let length = min(chunkSize, stream.readableBytes - offset)
                // A slice shares the input's storage: no copy per chunk.
                let chunk = stream.getSlice(at: stream.readerIndex + offset, length: length) ?? ByteBuffer()
                try processor.process(buffer: chunk) { frame in
                    outcome.frames += 1
                    Self.decode(frame, extraVersion: extraVersion, problems: &outcome.problems)
                }
                offset += length
            }
            try processor.finishProcessing(seenEOF: true) { frame in
                outcome.frames += 1
                Self.decode(frame, extraVersion: extraVersion, problems: &outcome.problems)
            }
        } catch {
            // A framing error costs the peer its connection; nothing more to check.
        }
        return outcome
    }

    private static func decode(_ frame: SkinnyFrame, extraVersion: SkinnyProtocolVersion, problems: inout [String]) {
        for version in Self.versions + [extraVersion] {
            if let message = try? StationMessage(frame: frame, version: version) {
                let again = message.frame(version: version)
                do {
                    let decodedAgain = try StationMessage(frame: again, version: version)
                    if decodedAgain != message {
                        problems.append(
                            "StationMessage \(frame.id) at \(version): \(message) re-encoded decodes as \(decodedAgain)"
                        )
                    }
                } catch {
                    problems.append(
                        "StationMessage \(frame.id) at \(version): \(message) re-encoded does not decode: \(error)"
                    )
                }
            }
            if let message = try? CallManagerMessage(frame: frame, version: version) {
                let again = message.frame(version: version)
                do {
                    let decodedAgain = try CallManagerMessage(frame: again, version: version)
                    if decodedAgain != message {
                        problems.append(
                            "CallManagerMessage \(frame.id) at \(version): \(message) re-encoded decodes as \(decodedAgain)"
                        )
                    }
                } catch {
                    problems.append(
                        "CallManagerMessage \(frame.id) at \(version): \(message) re-encoded does not decode: \(error)"
                    )
                }
            }
        }
    }
}
