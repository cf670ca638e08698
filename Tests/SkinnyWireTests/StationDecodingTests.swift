import NIOCore
import SkinnyWire
import Testing

/// A body that is not what the layout table draws, and what it must decode to.
struct StationOddBody: Sendable, CustomTestStringConvertible {
    var name: String
    var id: SkinnyMessageID
    var version: SkinnyProtocolVersion
    var body: String
    var expected: StationMessage

    init(
        _ name: String,
        _ id: SkinnyMessageID,
        _ version: SkinnyProtocolVersion,
        _ body: String,
        _ expected: StationMessage
    ) {
        self.name = name
        self.id = id
        self.version = version
        self.body = body
        self.expected = expected
    }

    var testDescription: String { "\(self.name) \(self.version)" }
}

/// A body whose count field claims more entries than the message's array holds.
struct StationBadCount: Sendable, CustomTestStringConvertible {
    var name: String
    var id: SkinnyMessageID
    var body: String

    init(_ name: String, _ id: SkinnyMessageID, _ body: String) {
        self.name = name
        self.id = id
        self.body = body
    }

    var testDescription: String { self.name }
}

@Suite struct StationDecodingTests {
    /// Short bodies: missing fields read as zero or absent (reference §1).
    @Test(arguments: [
        StationOddBody(
            "Stimulus from the CM2-era Virtual Phone",
            .stimulus,
            5,
            "09000000 02000000",
            .stimulus(.init(.line, stimulusInstance: 2, callReference: 0, stimulusStatus: 0))
        ),
        StationOddBody(
            "KeypadButton with a line but no call",
            .keypadButton,
            11,
            "03000000 01000000",
            .keypadButton(.init(.three, lineInstance: 1, callReference: 0))
        ),
        StationOddBody(
            "OffHook with a line only",
            .offHook,
            11,
            "02000000",
            .offHook(.init(lineInstance: 2, callReference: 0))
        ),
        StationOddBody(
            "Alarm with only a severity",
            .alarm,
            11,
            "01000000",
            .alarm(.init(severity: .warning, text: ""))
        ),
        StationOddBody(
            "EnblocCall cut inside the number",
            .enblocCall,
            17,
            "313030",
            .enblocCall(.init(calledParty: "100"))
        ),
        StationOddBody(
            "OpenReceiveChannelAck cut inside the address block",
            .openReceiveChannelAck,
            17,
            "00000000 00000000 0a01",
            .openReceiveChannelAck(
                .init(ipAddress: .ipv4(10, 1, 0, 0), port: 0, passThroughPartyID: 0, callReference: 0)
            )
        ),
        StationOddBody(
            "PortRes without its v19 media type",
            .portRes,
            20,
            "01000000 02000000 03000000 00000000 0a010203" + zeros(12) + "00400000 01400000",
            .portRes(
                .init(
                    conferenceID: 1,
                    callReference: 2,
                    passThroughPartyID: 3,
                    ipAddress: .ipv4(10, 1, 2, 3),
                    port: 16384,
                    rtcpPort: 16385,
                    mediaType: 0
                )
            )
        ),
        StationOddBody(
            "RegisterTokenReq of 32 bytes at v17",
            .registerTokenReq,
            17,
            ascii("SEP00AABBCCDDEE", 16) + "00000000 01000000 0a010203 73000000",
            .registerTokenReq(
                .init(deviceName: "SEP00AABBCCDDEE", stationIPAddress: .ipv4(10, 1, 2, 3), deviceType: .station7941)
            )
        ),
        // A v22 phone stops after `dataSize` bytes of text (a frame in chan-sccp's sccp_protocol.h).
        StationOddBody(
            "ConnectionStatisticsRes cut after its text",
            .connectionStatisticsRes,
            22,
            ascii("98011", 28) + "01000000 00" + "5c000000 3dd00000 59000000 3bcc0000 00000000 00000000 00000000"
                + "05000000" + ascii("MLQK=", 5),
            .connectionStatisticsRes(
                .init(
                    directoryNumber: "98011",
                    callReference: 1,
                    packetsSent: 92,
                    octetsSent: 53309,
                    packetsReceived: 89,
                    octetsReceived: 52283,
                    qualityStatistics: "MLQK="
                )
            )
        ),
        StationOddBody(
            "CapabilitiesRes whose count runs past the body",
            .capabilitiesRes,
            11,
            "12000000 04000000 28000000 0000000000000000 0b000000 3c000000",
            .capabilitiesRes(
                .init(capabilities: [
                    SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 40),
                    SkinnyAudioCapability(codec: .g729, maxFramesPerPacket: 60),
                ])
            )
        ),
        StationOddBody(
            "UpdateCapabilities of only its counts",
            .updateCapabilities,
            17,
            "03000000 02000000 01000000",
            .updateCapabilities(.init(capabilities: SkinnyMediaCapabilities()))
        ),
        StationOddBody(
            "CapabilitiesV3Res cut inside its video entry",
            .capabilitiesV3Res,
            17,
            "00000000 02000000 00000000 00000000 00000000" + zeros(12) + "67000000 03000000",
            .capabilitiesV3Res(
                .init(capabilities: SkinnyMediaCapabilities(video: [SkinnyVideoCapability(codec: 103, direction: 3)]))
            )
        ),
        StationOddBody(
            "DeviceToUserData whose data ends early",
            .deviceToUserData,
            11,
            "01000000 00000000 00000000 00000000 10000000 3c782f",
            .deviceToUserData(.init(applicationID: 1, data: [0x3C, 0x78, 0x2F]))
        ),
    ])
    func shortBodies(_ odd: StationOddBody) throws {
        #expect(try decodeStationBody(odd.id, odd.body, version: odd.version) == odd.expected)
    }

    /// Strings end at their first NUL, whatever follows (CUCM leaves garbage there; reference §1), or at the end of
    /// their field or of the body.
    @Test(arguments: [
        StationOddBody(
            "EnblocCall with garbage after the NUL",
            .enblocCall,
            17,
            "31303033 00 4142434445464748494a4b4c4d4e4f50515253 02000000",
            .enblocCall(.init(calledParty: "1003", lineInstance: 2))
        ),
        StationOddBody(
            "Alarm text filling its field",
            .alarm,
            11,
            "02000000" + String(repeating: "41", count: 80) + "01000000 02000000",
            .alarm(
                .init(
                    severity: .informational,
                    text: String(repeating: "A", count: 80),
                    parameter1: 1,
                    parameter2: 2
                )
            )
        ),
        StationOddBody(
            "SubscriptionStatReq id to the end of the body",
            .subscriptionStatReq,
            17,
            "07000000 01000000 00000000 31303032",
            .subscriptionStatReq(.init(transactionID: 7, subscriptionID: "1002"))
        ),
        StationOddBody(
            "SubscriptionStatReq id longer than 256 bytes",
            .subscriptionStatReq,
            17,
            "07000000 01000000 00000000" + String(repeating: "39", count: 260),
            .subscriptionStatReq(.init(transactionID: 7, subscriptionID: String(repeating: "9", count: 256)))
        ),
        StationOddBody(
            "OffHookWithCallingPartyNumber with garbage after both NULs",
            .offHookWithCallingPartyNumber,
            17,
            "31303031 00 ffffffff" + zeros(15) + "38303030 00 eeeeeeee" + zeros(15) + "03000000",
            .offHookWithCallingPartyNumber(
                .init(callingPartyNumber: "1001", callingPartyVoiceMailbox: "8000", lineInstance: 3)
            )
        ),
        StationOddBody(
            "ConnectionStatisticsRes text shorter than its dataSize says",
            .connectionStatisticsRes,
            15,
            ascii("1001", 24) + zeros(36) + "0a000000" + "4d4f5300 58585858",
            .connectionStatisticsRes(.init(directoryNumber: "1001", callReference: 0, qualityStatistics: "MOS"))
        ),
    ])
    func stringsStopAtTheirEnd(_ odd: StationOddBody) throws {
        #expect(try decodeStationBody(odd.id, odd.body, version: odd.version) == odd.expected)
    }

    /// EnblocCall from v18: the line instance is packed at 25 (7970) or aligned at 28 (8945); both decode
    /// (reference §5.1, §7 #14).
    @Test(arguments: [18, 20, 22] as [SkinnyProtocolVersion])
    func enblocCallLineInstanceEitherPackedOrAligned(version: SkinnyProtocolVersion) throws {
        let packed = ascii("1003", 25) + "05000000" + "000000"
        let aligned = ascii("1003", 25) + "000000" + "05000000"
        let expected = StationMessage.enblocCall(.init(calledParty: "1003", lineInstance: 5))
        #expect(try decodeStationBody(.enblocCall, packed, version: version) == expected)
        #expect(try decodeStationBody(.enblocCall, aligned, version: version) == expected)
    }

    /// The rule that tells the two forms apart: aligned only when bytes 25–27 are zero and the `u32` at 28 is not;
    /// packed otherwise. chan-sccp's "the `u32` at 28, else 25" reads a packed 0xFFFFFFFF as 0xFF (its top byte
    /// and three pad bytes) and a packed 0x12345678 as 0x12.
    @Test(
        arguments: [
            // 7970-style packed bodies: the line at 25, three pad bytes at the end.
            ("packed 1", "01000000" + "000000", UInt32(1)),
            ("packed 0xFFFFFFFF", "ffffffff" + "000000", UInt32.max),
            ("packed 0x00010203", "03020100" + "000000", UInt32(0x0001_0203)),
            ("packed 0x12345678", "78563412" + "000000", UInt32(0x1234_5678)),
            ("0, the same bytes in either form", "00000000" + "000000", UInt32(0)),
            // 8945-style aligned bodies: three zero bytes, then the line at 28.
            ("aligned 1", "000000" + "01000000", UInt32(1)),
            ("aligned 0xFFFFFFFF", "000000" + "ffffffff", UInt32.max),
            ("aligned 0x01000000", "000000" + "00000001", UInt32(0x0100_0000)),
            // Non-zero bytes at 25–27 mean packed, whatever follows at 28.
            ("packed 0xFF000001, garbage pad", "010000ff" + "ffffff", UInt32(0xFF00_0001)),
        ] as [(String, String, UInt32)]
    )
    func enblocCallTellsPackedFromAligned(name: String, tail: String, line: UInt32) throws {
        for version in [18, 20, 22] as [SkinnyProtocolVersion] {
            let decoded = try decodeStationBody(.enblocCall, ascii("5551234", 25) + tail, version: version)
            #expect(decoded == .enblocCall(.init(calledParty: "5551234", lineInstance: line)), "\(name) at \(version)")
        }
    }

    /// Every line instance survives encode → decode from v18, including those whose packed bytes would look
    /// aligned (low three bytes zero), which the encoder therefore writes aligned.
    @Test(arguments: [0, 1, 2, 0xFF, 0x100, 0xFF_FFFF, 0x100_0000, 0x8000_0000, 0xFF00_0000, 0xFFFF_FFFF] as [UInt32])
    func enblocCallLineInstanceRoundTrips(line: UInt32) throws {
        let message = StationMessage.enblocCall(.init(calledParty: "1234567890123456789012345", lineInstance: line))
        for version in [18, 20, 22] as [SkinnyProtocolVersion] {
            let frame = message.frame(version: version)
            #expect(frame.body.readableBytes == 32)
            #expect(try StationMessage(frame: frame, version: version) == message, "\(line) at \(version)")
        }
        // The usual values go out packed, as Wireshark and the 7970 have it; 0x01000000 goes out aligned.
        let packed = StationMessage.enblocCall(.init(calledParty: "1003", lineInstance: 2)).frame(version: 20)
        #expect(Array(packed.body.readableBytesView.suffix(7)) == [2, 0, 0, 0, 0, 0, 0])
        let aligned = StationMessage.enblocCall(.init(calledParty: "1003", lineInstance: 0x100_0000))
            .frame(version: 20)
        #expect(Array(aligned.body.readableBytesView.suffix(7)) == [0, 0, 0, 0, 0, 0, 1])
    }

    /// Below v18 the same bytes are a 24-byte number and a line at 24.
    @Test func enblocCallBelowV18ReadsTheLineAt24() throws {
        let body = ascii("1003", 24) + "07000000"
        #expect(
            try decodeStationBody(.enblocCall, body, version: 17)
                == .enblocCall(.init(calledParty: "1003", lineInstance: 7))
        )
    }

    /// UpdateCapabilities as a 7970 without video sends it (values from its frame quoted in chan-sccp): eight audio
    /// codecs at offset 312, every array at full size, 1840 bytes.
    @Test func updateCapabilitiesOfA7970() throws {
        let audio =
            "19000000 28000000 0000000000000000" + "04000000 28000000 0000000000000000"
            + "02000000 28000000 0000000000000000" + "0f000000 3c000000 0000000000000000"
            + "10000000 3c000000 0000000000000000" + "0b000000 3c000000 0000000000000000"
            + "0c000000 3c000000 0000000000000000" + "01010000 01000000 0000000000000000"
        let body = "08000000" + zeros(308) + audio + zeros(10 * 16) + zeros(10 * 116) + zeros(5 * 16)
        #expect(hex(body).count == 1840)
        let decoded = try decodeStationBody(.updateCapabilities, body, version: 17)
        guard case .updateCapabilities(let message) = decoded else {
            Issue.record("not UpdateCapabilities: \(decoded)")
            return
        }
        #expect(message.capabilities.audio.map(\.codec.rawValue) == [25, 4, 2, 15, 16, 11, 12, 257])
        #expect(message.capabilities.audio.map(\.maxFramesPerPacket) == [40, 40, 40, 60, 60, 60, 60, 1])
        #expect(message.capabilities.video.isEmpty)
        #expect(message.capabilities.data.isEmpty)
    }

    /// Status values of both numberings for "device on hook" (reference §7 #7).
    @Test func mediaStatusDeviceOnHookInBothNumberings() {
        #expect(SkinnyMediaStatus(rawValue: 255).isDeviceOnHook)
        #expect(SkinnyMediaStatus(rawValue: 12).isDeviceOnHook)
        #expect(!SkinnyMediaStatus.ok.isDeviceOnHook)
    }

    /// A count above its array's capacity throws `countOutOfRange` (CVE-2007-4280, CVE-2010-0587), even when the
    /// body is long enough to hold that many entries.
    @Test(arguments: [
        StationBadCount("CapabilitiesRes count 19", .capabilitiesRes, "13000000" + zeros(19 * 16)),
        StationBadCount("CapabilitiesRes count 0xFFFFFFFF", .capabilitiesRes, "ffffffff" + zeros(288)),
        StationBadCount("MediaPortList count 17", .mediaPortList, "11000000" + zeros(17 * 4)),
        StationBadCount("UpdateCapabilities audio 19", .updateCapabilities, "13000000" + zeros(2000)),
        StationBadCount("UpdateCapabilities video 11", .updateCapabilities, "00000000 0b000000" + zeros(2000)),
        StationBadCount("UpdateCapabilities data 6", .updateCapabilities, "00000000 00000000 06000000" + zeros(2000)),
        StationBadCount(
            "UpdateCapabilities picture formats 7",
            .updateCapabilities,
            "00000000 00000000 00000000 00000000 07000000" + zeros(2000)
        ),
        StationBadCount(
            "UpdateCapabilities service resources 5",
            .updateCapabilities,
            zeros(148) + "05000000" + zeros(2000)
        ),
        StationBadCount(
            "UpdateCapabilities layouts 6",
            .updateCapabilities,
            zeros(148) + "01000000 06000000" + zeros(2000)
        ),
        StationBadCount(
            "UpdateCapabilities level preferences 5",
            .updateCapabilities,
            "00000000 01000000" + zeros(592) + "65000000 03000000 05000000" + zeros(2000)
        ),
        StationBadCount(
            "CapabilitiesV2Res level preferences 5",
            .capabilitiesV2Res,
            "00000000 01000000" + zeros(592) + "67000000 03000000 05000000" + zeros(2000)
        ),
        StationBadCount("CapabilitiesV2Res audio 19", .capabilitiesV2Res, "13000000" + zeros(2000)),
        StationBadCount("CapabilitiesV3Res audio 19", .capabilitiesV3Res, "13000000" + zeros(400)),
        StationBadCount("CapabilitiesV3Res video 11", .capabilitiesV3Res, "00000000 0b000000" + zeros(2000)),
        StationBadCount("CapabilitiesV3Res data 6", .capabilitiesV3Res, "00000000 00000000 06000000" + zeros(200)),
        StationBadCount(
            "CapabilitiesV3Res service resources 5",
            .capabilitiesV3Res,
            "00000000 00000000 00000000 00000000 00000000 00000000 00000000 05000000" + zeros(400)
        ),
        StationBadCount(
            "CapabilitiesV3Res layouts 6",
            .capabilitiesV3Res,
            "00000000 00000000 00000000 00000000 00000000 00000000 00000000 01000000 06000000" + zeros(400)
        ),
        StationBadCount(
            "CapabilitiesV3Res level preferences 5",
            .capabilitiesV3Res,
            "00000000 01000000 00000000 00000000 00000000" + zeros(12) + "67000000 03000000 05000000" + zeros(400)
        ),
        StationBadCount(
            "ConnectionStatisticsRes dataSize 601",
            .connectionStatisticsRes,
            zeros(60) + "59020000" + zeros(601)
        ),
        StationBadCount("DeviceToUserData dataLength 2001", .deviceToUserData, zeros(16) + "d1070000" + zeros(2001)),
        StationBadCount(
            "DeviceToUserDataResponse dataLength 2001",
            .deviceToUserDataResponse,
            zeros(16) + "d1070000" + zeros(2001)
        ),
        StationBadCount(
            "DeviceToUserDataV1 dataLength 2001",
            .deviceToUserDataV1,
            zeros(16) + "d1070000" + zeros(2021)
        ),
        StationBadCount(
            "DeviceToUserDataResponseV1 dataLength 2001",
            .deviceToUserDataResponseV1,
            zeros(16) + "d1070000" + zeros(2021)
        ),
    ])
    func countsPastTheirArrayThrow(_ bad: StationBadCount) {
        #expect(throws: SkinnyError.countOutOfRange("", count: 0, maximum: 0, messageID: bad.id, body: ByteBuffer())) {
            try decodeStationBody(bad.id, bad.body, version: 17)
        }
    }

    /// The error keeps the message id and the body so that a field report can be replayed.
    @Test func countErrorKeepsIDAndBody() {
        let body = "13000000" + zeros(8)
        do {
            _ = try decodeStationBody(.capabilitiesRes, body, version: 11)
            Issue.record("expected countOutOfRange")
        } catch let error as SkinnyError {
            #expect(error.messageID == .capabilitiesRes)
            #expect(Array(error.bytes.readableBytesView) == hex(body))
            #expect(error.description.contains("19"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Counts at exactly their capacity decode: 18 audio codecs, 16 ports, a 600-byte quality text.
    @Test func countsAtCapacityDecode() throws {
        let capabilities = try decodeStationBody(
            .capabilitiesRes,
            "12000000" + String(repeating: "04000000 14000000 0000000000000000", count: 18),
            version: 11
        )
        #expect(
            capabilities
                == .capabilitiesRes(
                    .init(
                        capabilities: Array(
                            repeating: SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 20),
                            count: 18
                        )
                    )
                )
        )
        let ports = try decodeStationBody(
            .mediaPortList,
            "10000000" + String(repeating: "00400000", count: 16),
            version: 11
        )
        #expect(ports == .mediaPortList(.init(ports: Array(repeating: 16384, count: 16))))
        let statistics = try decodeStationBody(
            .connectionStatisticsRes,
            zeros(60) + "58020000" + String(repeating: "41", count: 600),
            version: 11
        )
        #expect(
            statistics
                == .connectionStatisticsRes(
                    .init(directoryNumber: "", callReference: 0, qualityStatistics: String(repeating: "A", count: 600))
                )
        )
    }
}
