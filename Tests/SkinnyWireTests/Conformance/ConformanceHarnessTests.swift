import NIOCore
import SkinnyWire
import Testing

/// Tests of the conformance harness that need no tshark: the pcap writer, tshark output parsing and the comparison.
@Suite struct ConformanceHarnessTests {
    /// RFC 1071 §3's worked example: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is 220d.
    @Test func internetChecksumMatchesRFC1071() {
        #expect(internetChecksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == 0x220D)
        // An odd byte is padded with zero.
        #expect(internetChecksum([0x01]) == ~UInt16(0x0100))
    }

    @Test func pcapGlobalHeader() {
        let writer = PcapWriter()
        #expect(writer.bytes.count == 24)
        #expect(Array(writer.bytes[0..<8]) == [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0])
        #expect(Array(writer.bytes[20..<24]) == [1, 0, 0, 0])
    }

    /// Sequence numbers follow the bytes each side sent; each segment's IPv4 header sums to zero with its checksum.
    @Test func tcpConversationNumbersAndChecksums() {
        var writer = PcapWriter()
        var connection = PcapTCPConversation(
            phone: PcapEndpoint(10, 0, 0, 2, port: 50_000),
            callManager: PcapEndpoint(10, 0, 0, 1, port: 2000)
        )
        connection.writeHandshake(into: &writer)
        let first = connection.send([1, 2, 3, 4, 5], from: .phone, into: &writer)
        let second = connection.send([9, 9], from: .callManager, into: &writer)
        let third = connection.send([7], from: .phone, into: &writer)
        #expect((first, second, third) == (4, 5, 6))

        let packets = Self.packets(writer.bytes)
        #expect(packets.count == 6)
        for packet in packets {
            let ipHeader = Array(packet[14..<34])
            #expect(internetChecksum(ipHeader) == 0)
        }
        func sequence(_ packet: [UInt8]) -> UInt32 { Self.bigEndian(packet, at: 34 + 4) }
        func acknowledgement(_ packet: [UInt8]) -> UInt32 { Self.bigEndian(packet, at: 34 + 8) }
        // SYN, SYN-ACK, ACK.
        #expect(acknowledgement(packets[1]) == sequence(packets[0]) &+ 1)
        #expect(acknowledgement(packets[2]) == sequence(packets[1]) &+ 1)
        #expect(sequence(packets[3]) == sequence(packets[2]))
        #expect(sequence(packets[5]) == sequence(packets[3]) &+ 5)
        #expect(acknowledgement(packets[5]) == sequence(packets[4]) &+ 2)
        #expect(acknowledgement(packets[4]) == sequence(packets[3]) &+ 5)
        #expect(Array(packets[3].suffix(5)) == [1, 2, 3, 4, 5])
    }

    @Test(arguments: [("0x0000001f", "31"), ("0x00000000", "0"), ("17", "17"), ("0x", "0x"), ("SEP0x12", "SEP0x12")])
    func normalizesHexIntegers(raw: String, expected: String) {
        #expect(normalized(raw) == expected)
    }

    @Test func parsesFieldsOutput() {
        let output = "1\teth:ip:tcp\t\t\n2\teth:ip:tcp:skinny\t0x1\u{1F}0x2\tSmith, John\n"
        let frames = TsharkRunner.parse(output, fields: ["frame.number", "frame.protocols", "a", "b"])
        #expect(frames.count == 2)
        #expect(frames[0]["a"] == [])
        #expect(frames[1]["a"] == ["0x1", "0x2"])
        #expect(frames[1]["b"] == ["Smith, John"])
    }

    @Test func readsInvalidFieldNamesFromTsharkErrors() {
        let errorOutput = """
            Running as user "root" and group "root". This could be dangerous.
            tshark: Some fields aren't valid:
            \tskinny.nonsense
            \tskinny.other

            """
        #expect(TsharkRunner.invalidFields(inErrorOutput: errorOutput) == ["skinny.nonsense", "skinny.other"])
        #expect(TsharkRunner.invalidFields(inErrorOutput: "tshark: The file \"x\" doesn't exist.") == [])
    }

    /// Repeated occurrences compare in order; hex and decimal compare equal; a missing field is reported.
    @Test func comparesOccurrencesInOrder() {
        let sample = ConformanceSample(
            control: "S",
            .callManager,
            SkinnyFrame(id: .callState, body: ByteBuffer(bytes: [0, 0, 0, 0])),
            expect: ["skinny.lineInstance": "1,2", "skinny.callState": "5"]
        )
        let entry = ConformanceCheck.Entry(group: "v11", sample: sample, frameNumber: 4)
        var frame = TsharkFrame(values: [
            "skinny.messageId": ["273"], "skinny.hdr_version": ["0x00000000"], "skinny.data_length": ["8"],
            "skinny.lineInstance": ["1", "2"], "skinny.callState": ["0x00000005"],
        ])
        #expect(ConformanceCheck.compare(entry, frame, unknownFields: []) == [])

        frame.values["skinny.lineInstance"] = ["2", "1"]
        frame.values["_ws.expert.severity"] = ["2097152", "6291456"]
        frame.values["_ws.expert.message"] = ["chat", "something odd"]
        let failures = ConformanceCheck.compare(entry, frame, unknownFields: ["skinny.callState"])
        #expect(failures.count == 3, "\(failures)")
        #expect(failures.contains { $0.hasSuffix(#"skinny.lineInstance: expected "1,2", tshark read "2,1""#) })
        #expect(failures.contains { $0.hasSuffix("tshark expert warning: something odd") })
        #expect(failures.contains { $0.contains("skinny.callState: tshark has no such field") })
        #expect(failures.allSatisfy { $0.hasPrefix("S (v11, call manager → phone, 0x111, frame 4): ") })

        #expect(ConformanceCheck.compare(entry, nil, unknownFields: []).first?.contains("did not read") == true)
    }

    private static func packets(_ file: [UInt8]) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= file.count {
            let length = Int(UInt32(file[offset + 8]) | UInt32(file[offset + 9]) << 8 | UInt32(file[offset + 10]) << 16)
            packets.append(Array(file[(offset + 16)..<(offset + 16 + length)]))
            offset += 16 + length
        }
        return packets
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
