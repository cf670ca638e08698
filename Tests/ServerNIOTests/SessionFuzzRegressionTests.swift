import Foundation
import Logging
import NIOCore
import NIOEmbedded
import ServerNIO
import Testing

/// Replays every input in `SessionFuzzCrashers/` (what FuzzTesting's FuzzSkinnySession found, and hand-made
/// sequences) through the same code the fuzzer runs: registered sessions on `EmbeddedChannel`s with the whole
/// per-connection pipeline. Each must run to the end and pass the end-of-input checks.
@Suite struct SessionFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("SessionFuzzCrashers")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") }
            .sorted()
    }

    @Test(arguments: inputs)
    func replay(file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(file)))
        try SessionFuzzInput.run(bytes)
    }

    /// A closed connection frees its channel, handlers and session handle (the session fuzzer's LeakSanitizer found
    /// the session handler and its handle holding each other, and so every connection's channel, for good).
    @Test func closedConnectionsAreFreed() throws {
        weak var released: EmbeddedChannel?
        let loop = EmbeddedEventLoop()
        let host = SessionFuzzInput.makeHost(loop: loop)
        let listenerGuard = ListenerGuard(
            service: "test",
            configuration: ConnectionGuardConfiguration(),
            logger: Logger(label: "test")
        )
        try {
            let channel = try SessionFuzzInput.connect(
                SessionFuzzInput.names[0],
                host: host,
                listenerGuard: listenerGuard,
                loop: loop
            )
            released = channel
            try channel.close().wait()
            loop.run()
        }()
        loop.run()
        #expect(released == nil)
        try loop.syncShutdownGracefully()
    }

    /// A call from phone 0 to phone 1 (off hook, dial, answer, media acks, hang up), then teardown while ringing
    /// and while off hook, then time passing: the deep states the fuzzer starts from.
    @Test func handMadeCallSequences() throws {
        let call: [UInt8] = [
            2, 0, 0, 0,  // phone 0 off hook
            2, 0, 3, 0,  // phone 0 dials phone 1
            5, 0, 5,  // half a second
            2, 1, 0, 0,  // phone 1 off hook: answers
            2, 0, 7, 1, 2, 1, 7, 3,  // media acknowledgements
            5, 0, 20,  // two seconds
            2, 0, 1, 0,  // phone 0 on hook
            2, 0, 0, 0, 2, 0, 3, 1,  // phone 0 calls phone 2
            6, 2, 1,  // phone 2 drops while ringing (reset)
            2, 1, 0, 0,  // phone 1 off hook
            6, 1, 0,  // and drops (FIN)
            7, 0,  // phone 0 is taken over
            5, 0, 255, 5, 0, 255,  // fifty seconds: keepalive and call timers
            1, 1, 16, 4, 0xFF, 0xFF, 0xFF, 0xFF,  // CapabilitiesRes with a count of 2^32 - 1
            0, 2, 12, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0,  // a length of 2^31 - 1
        ]
        let sent = try SessionFuzzInput.run(call)
        // CallState and OpenReceiveChannel: the call was answered and media was being set up.
        #expect(sent.isSuperset(of: [0x111, 0x105]))
        // The same sequence cut at every length: whatever point the connection is at when input ends.
        for end in stride(from: 0, through: call.count, by: 3) {
            try SessionFuzzInput.run(Array(call.prefix(end)))
        }
    }
}
