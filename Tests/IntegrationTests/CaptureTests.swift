import CallControl
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Testing

/// One full call (register both phones, call, answer, hang up) captured on the loopback interface and read back by
/// tshark, Wireshark's independent SCCP decoder: every SCCP frame must decode as `skinny`, with no malformed frame
/// and no expert warning or error, and each phone's messages must come in the order of call-flows §1–§5.
///
/// Needs tshark, dumpcap and root; without them the test is skipped, unless `STROWGER_REQUIRE_TSHARK=1` (set by
/// scripts/test). `STROWGER_CALL_PCAP=DIR` keeps the captures in DIR for a look in Wireshark.
@Suite struct CaptureTests {
    static let unavailable: Comment = Comment(rawValue: PacketCapture.unavailableReason ?? "")

    @Test func captureToolsArePresentWhenRequired() {
        if PacketCapture.isRequired {
            #expect(
                PacketCapture.unavailableReason == nil,
                "STROWGER_REQUIRE_TSHARK=1 but \(PacketCapture.unavailableReason ?? "")"
            )
        }
    }

    static let fields = [
        "frame.number", "frame.protocols", "tcp.srcport", "tcp.dstport", "tcp.len", "tcp.reassembled_in",
        "tcp.flags.fin", "tcp.flags.reset", "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
        "tcp.analysis.spurious_retransmission",
        "skinny.messageId", "skinny.callState", "_ws.malformed", "_ws.expert.group", "_ws.expert.severity",
        "_ws.expert.message",
    ]

    /// Expert-info severities as tshark prints them (epan/proto.h `PI_WARN`, `PI_ERROR`).
    static let warningSeverity = 0x0060_0000
    static let errorSeverity = 0x0080_0000
    /// The expert group of TCP's sequence analysis (epan/proto.h `PI_SEQUENCE`).
    static let sequenceGroup = 0x0200_0000

    @Test(
        .enabled(if: PacketCapture.unavailableReason == nil, unavailable),
        arguments: [(UInt8(17), UInt8(11)), (22, 5)]
    )
    func aCapturedCallDecodesInTshark(callerVersion: UInt8, calleeVersion: UInt8) async throws {
        try await TestServer.with { server in
            let capture = try await PacketCapture.start(port: server.port, timeout: TestServer.timeout)
            defer { Self.keepOrRemove(capture, name: "v\(callerVersion)-v\(calleeVersion)") }
            let alicePort: Int
            let bobPort: Int
            do {
                let alice = try await server.phone(Calls.deviceName(0xA1), version: callerVersion)
                let bob = try await server.phone(Calls.deviceName(0xB2), version: calleeVersion)
                alicePort = try #require(alice.channel.localAddress?.port)
                bobPort = try #require(bob.channel.localAddress?.port)
                try await alice.register(timeout: TestServer.timeout)
                let bobNumber = try #require(try await bob.register(timeout: TestServer.timeout).lines.first)
                    .directoryNumber
                try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: "1000")
                try await alice.onHook()
                try await alice.waitForIdle(timeout: TestServer.timeout)
                try await bob.waitForIdle(timeout: TestServer.timeout)
                // Unregister rather than just close: UnregisterAck comes after the rest of the on-hook burst, so
                // neither side closes with data in flight (which would end the connection with a reset).
                try await alice.unregister(timeout: TestServer.timeout)
                try await bob.unregister(timeout: TestServer.timeout)
                try await server.waitUntilClean(registered: 0)
                try await capture.stop()
            } catch {
                try? await capture.stop()
                throw error
            }

            let frames = try await capture.read(fields: Self.fields)
            let sccpFrames = Self.verify(frames, phonePorts: [alicePort, bobPort])
            #expect(sccpFrames > 20, "only \(sccpFrames) SCCP frames captured")

            let alice = Self.messages(in: frames, phonePort: alicePort)
            let bob = Self.messages(in: frames, phonePort: bobPort)
            Self.expectInOrder(
                alice,
                [
                    "→RegisterReq", "←RegisterAck", "→ButtonTemplateReq", "←ButtonTemplateRes", "→TimeDateReq",
                    "←TimeDateRes", "→OffHook", "←CallState(1)", "←StartTone", "→KeypadButton", "←CallState(12)",
                    "←CallState(3)", "←CallState(5)", "←OpenReceiveChannel", "→OpenReceiveChannelAck", "→OnHook",
                    "←CloseReceiveChannel",
                    "←StopMediaTransmission", "←CallState(2)",
                ],
                phone: "caller v\(callerVersion)"
            )
            // Phones pipeline their requests, so only the answer to each comes after it (call-flows §1); and the
            // StartMediaTransmission that points at the peer may come before or after this phone's own ack.
            for phone in [(alice, "caller v\(callerVersion)"), (bob, "callee v\(calleeVersion)")] {
                Self.expectInOrder(phone.0, ["←RegisterAck", "←CapabilitiesReq", "→CapabilitiesRes"], phone: phone.1)
                Self.expectInOrder(phone.0, ["→LineStatReq", "←LineStat"], phone: phone.1, prefixes: true)
                Self.expectInOrder(
                    phone.0,
                    ["←CallState(5)", "←OpenReceiveChannel", "←StartMediaTransmission", "←CallState(2)"],
                    phone: phone.1
                )
            }
            Self.expectInOrder(
                bob,
                [
                    "→RegisterReq", "←RegisterAck", "←CapabilitiesReq", "→CapabilitiesRes", "←TimeDateRes",
                    "←CallState(4)", "←SetRinger", "→OffHook", "←CallState(5)", "←OpenReceiveChannel",
                    "→OpenReceiveChannelAck", "←CloseReceiveChannel",
                    "←StopMediaTransmission", "←CallState(2)",
                ],
                phone: "callee v\(calleeVersion)"
            )
        }
    }

    /// Checks every captured frame of the phones' connections: each SCCP frame decodes as `skinny`, none is malformed,
    /// and tshark raises no warning or error beyond TCP's own timing notes. Returns the number of SCCP frames.
    @discardableResult
    static func verify(_ frames: [[String: [String]]], phonePorts: [Int]) -> Int {
        var sccpFrames = 0
        var retransmissions = 0
        // Closing segments seen per phone port and direction (true: from the phone).
        var finished: Set<String> = []
        for frame in frames {
            let number = frame["frame.number"]?.first ?? "?"
            let source = Int(frame["tcp.srcport"]?.first ?? "") ?? 0
            let destination = Int(frame["tcp.dstport"]?.first ?? "") ?? 0
            // Only the phones' connections: the probe connections are the capture's own.
            guard let phonePort = phonePorts.first(where: { $0 == source || $0 == destination }) else {
                continue
            }
            // After both FINs a late, reordered ACK can draw a reset from a socket that is already gone (the
            // loopback interface reorders packets under load); only a reset before that is an abortive close.
            let isClosed = finished.contains("\(phonePort)>") && finished.contains("\(phonePort)<")
            if frame["tcp.flags.fin"]?.first == "1" {
                finished.insert("\(phonePort)\(source == phonePort ? ">" : "<")")
            }
            let payload = Int(frame["tcp.len"]?.first ?? "0") ?? 0
            let protocols = frame["frame.protocols"]?.first ?? ""
            // A loaded machine can make the kernel retransmit even on loopback; tshark does not dissect the
            // copy again, and TCP's sequence analysis notes it. Neither says anything about SCCP.
            let isRetransmission = [
                "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
                "tcp.analysis.spurious_retransmission",
            ].contains { frame[$0] != nil }
            if isRetransmission {
                retransmissions += 1
            } else if payload > 0 && frame["tcp.reassembled_in"] == nil {
                sccpFrames += 1
                #expect(protocols.hasSuffix(":skinny"), "frame \(number) is not SCCP to tshark: \(protocols)")
            }
            #expect(frame["_ws.malformed"] == nil, "frame \(number) is malformed: \(frame)")
            let groups = frame["_ws.expert.group"] ?? []
            let severities = frame["_ws.expert.severity"] ?? []
            let messages = frame["_ws.expert.message"] ?? []
            for (index, severity) in severities.enumerated() {
                guard let value = Int(severity), value >= Self.warningSeverity else { continue }
                let message = index < messages.count ? messages[index] : "(no message)"
                let group = index < groups.count ? Int(groups[index]) : nil
                if group == Self.sequenceGroup && (!message.contains("(RST)") || isClosed) {
                    continue  // retransmission, D-SACK, duplicate ACK: transport timing
                }
                let level = value >= Self.errorSeverity ? "error" : "warning"
                Issue.record("frame \(number): tshark expert \(level): \(message)")
            }
        }
        if retransmissions > 0 {
            print("CaptureTests: \(retransmissions) TCP retransmission(s) in the capture (ignored)")
        }
        return sccpFrames
    }

    /// One phone's SCCP messages in order, as "→Name" (phone to server) or "←Name", CallState with its state.
    static func messages(in frames: [[String: [String]]], phonePort: Int) -> [String] {
        var result: [String] = []
        for frame in frames {
            let source = Int(frame["tcp.srcport"]?.first ?? "")
            let destination = Int(frame["tcp.dstport"]?.first ?? "")
            guard source == phonePort || destination == phonePort else { continue }
            let arrow = source == phonePort ? "→" : "←"
            var states = (frame["skinny.callState"] ?? []).makeIterator()
            for id in frame["skinny.messageId"] ?? [] {
                guard let raw = Self.integer(id) else {
                    result.append(arrow + id)
                    continue
                }
                let messageID = SkinnyMessageID(UInt32(truncatingIfNeeded: raw))
                if messageID == .callState {
                    let state = states.next().flatMap(Self.integer).map { "\($0)" } ?? "?"
                    result.append(arrow + "CallState(\(state))")
                } else {
                    result.append(arrow + messageID.name)
                }
            }
        }
        return result
    }

    /// A number as tshark prints it: decimal, or hexadecimal with `0x` for fields shown in hex.
    static func integer(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X") {
            return UInt64(trimmed.dropFirst(2), radix: 16)
        }
        return UInt64(trimmed)
    }

    /// Records an issue unless `expected` occurs in `messages` in this order (other messages may come between).
    /// With `prefixes`, an expected item matches any message that starts with it ("←LineStat" for LineStatRes and
    /// LineStatV2Res).
    static func expectInOrder(
        _ messages: [String],
        _ expected: [String],
        phone: String,
        prefixes: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var index = messages.startIndex
        for item in expected {
            guard let found = messages[index...].firstIndex(where: { prefixes ? $0.hasPrefix(item) : $0 == item })
            else {
                Issue.record(
                    "\(phone): \(item) not found after position \(index) in \(messages.joined(separator: " "))",
                    sourceLocation: sourceLocation
                )
                return
            }
            index = messages.index(after: found)
        }
    }

    static func keepOrRemove(_ capture: PacketCapture, name: String) {
        if let directory = ProcessInfo.processInfo.environment["STROWGER_CALL_PCAP"], !directory.isEmpty {
            let target = URL(fileURLWithPath: directory).appendingPathComponent("strowger-call-\(name).pcapng")
            try? FileManager.default.removeItem(at: target)
            try? FileManager.default.copyItem(at: capture.file, to: target)
        }
        capture.remove()
    }
}
