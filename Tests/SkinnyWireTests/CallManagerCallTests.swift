import NIOCore
import SkinnyWire
import Testing

/// A real frame from CUCM 4.1 and what it must decode to.
struct CallManagerCallCapture: Sendable, CustomTestStringConvertible {
    var name: String
    /// The whole frame, header included, as captured.
    var hex: String
    var expected: CallManagerMessage

    var testDescription: String { self.name }
}

@Suite struct CallManagerCallCaptureTests {
    // Frames from pyskinny's tests/fixtures/cucm_frames.json (real CUCM 4.1, reference §0 "PS"): a phone going
    // off hook (cm_cap_new_call 80–87), being rung (cm_call_ring 132–138), answering (cm_call_answer 141–151),
    // opening media (cm_call_open_rx 148, cm_call_media 154) and the idle screen (cm_cap_reg_idle 45–46).
    static let captures: [CallManagerCallCapture] = [
        .init(
            name: "SetRinger off (new_call 80)",
            hex: "14000000000000008500000001000000010000000000000000000000",
            expected: .setRinger(.init(.off, duration: .normal, lineInstance: 0, callReference: 0))
        ),
        .init(
            name: "SetSpeakerMode on (new_call 81)",
            hex: "08000000000000008800000001000000",
            expected: .setSpeakerMode(.init(.on))
        ),
        .init(
            name: "SetLamp line 1 on (new_call 82)",
            hex: "100000000000000086000000090000000100000002000000",
            expected: .setLamp(.init(.line, instance: 1, mode: .on))
        ),
        .init(
            name: "CallState OffHook (new_call 83)",
            hex: "1c000000000000001101000001000000010000001a000001000000000400000000000000",
            expected: .callState(.init(.offHook, lineInstance: 1, callReference: 0x0100_001A))
        ),
        .init(
            name: "SelectSoftKeys OffHook (new_call 84)",
            hex: "140000000000000010010000010000001a00000104000000ffffffff",
            expected: .selectSoftKeys(
                .init(lineInstance: 1, callReference: 0x0100_001A, softKeySet: .offHook, validKeyMask: 0xFFFF_FFFF)
            )
        ),
        .init(
            name: "DisplayPromptStatus Enter number (new_call 85)",
            hex: "300000000000000012010000000000008020000000000000000000000000000000000000000000000000000000000000"
                + "010000001a000001",
            expected: .displayPromptStatus(
                .init("\u{80}\u{20}", timeout: 0, lineInstance: 1, callReference: 0x0100_001A)
            )
        ),
        .init(
            name: "ActivateCallPlane line 1 (new_call 86)",
            hex: "08000000000000001601000001000000",
            expected: .activateCallPlane(.init(lineInstance: 1))
        ),
        .init(
            name: "StartTone inside dial tone (new_call 87)",
            hex: "1400000000000000820000002100000000000000010000001a000001",
            expected: .startTone(.init(.insideDialTone, direction: .user, lineInstance: 1, callReference: 0x0100_001A))
        ),
        .init(
            name: "CallState RingIn (ring 132)",
            hex: "1c000000000000001101000004000000010000001f000001000000000400000000000000",
            expected: .callState(.init(.ringIn, lineInstance: 1, callReference: 0x0100_001F))
        ),
        .init(
            name: "SelectSoftKeys RingIn (ring 133)",
            hex: "140000000000000010010000010000001f00000103000000ffffffff",
            expected: .selectSoftKeys(
                .init(lineInstance: 1, callReference: 0x0100_001F, softKeySet: .ringIn, validKeyMask: 0xFFFF_FFFF)
            )
        ),
        .init(
            name: "DisplayPromptStatus From 1003 (ring 134)",
            hex: "300000000000000012010000000000008017313030330000000000000000000000000000000000000000000000000000"
                + "010000001f000001",
            expected: .displayPromptStatus(
                .init("\u{80}\u{17}1003", timeout: 0, lineInstance: 1, callReference: 0x0100_001F)
            )
        ),
        .init(
            name: "DisplayPriNotify From 1003 (ring 135)",
            hex:
                "2c00000000000000200100000a000000050000008017313030330000000000000000000000000000000000000000000000000000",
            expected: .displayPriNotify(.init("\u{80}\u{17}1003", timeout: 10, priority: 5))
        ),
        .init(
            name: "SetLamp line 1 blink (ring 137)",
            hex: "100000000000000086000000090000000100000005000000",
            expected: .setLamp(.init(.line, instance: 1, mode: .blink))
        ),
        .init(
            name: "SetRinger inside (ring 138)",
            hex: "1400000000000000850000000200000001000000010000001f000001",
            expected: .setRinger(.init(.inside, duration: .normal, lineInstance: 1, callReference: 0x0100_001F))
        ),
        .init(
            name: "StopTone (answer 147)",
            hex: "0c0000000000000083000000010000001f000001",
            expected: .stopTone(.init(lineInstance: 1, callReference: 0x0100_001F))
        ),
        .init(
            name: "CallState Connected (answer 150)",
            hex: "1c000000000000001101000005000000010000001f000001000000000400000000000000",
            expected: .callState(.init(.connected, lineInstance: 1, callReference: 0x0100_001F))
        ),
        .init(
            name: "SelectSoftKeys Connected (answer 151)",
            hex: "140000000000000010010000010000001f00000101000000fffdffff",
            expected: .selectSoftKeys(
                .init(lineInstance: 1, callReference: 0x0100_001F, softKeySet: .connected, validKeyMask: 0xFFFF_FDFF)
            )
        ),
        .init(
            name: "SelectSoftKeys idle (reg_idle 45)",
            hex: "140000000000000010010000000000000000000000000000ffffffff",
            expected: .selectSoftKeys(.init(lineInstance: 0, callReference: 0, softKeySet: .onHook))
        ),
        .init(
            name: "DisplayPromptStatus Your current options (reg_idle 46)",
            hex: "300000000000000012010000000000008013000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000",
            expected: .displayPromptStatus(.init("\u{80}\u{13}", timeout: 0, lineInstance: 0, callReference: 0))
        ),
        .init(
            name: "OpenReceiveChannel, 68-byte body (open_rx 148)",
            hex: "4800000000000000050100001f00000101010001140000000400000000000000000000001f000001"
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000000",
            expected: .openReceiveChannel(
                .init(
                    conferenceID: 0x0100_001F,
                    passThroughPartyID: 0x0100_0101,
                    packetSize: 20,
                    codec: .g711ULaw64k,
                    callReference: 0x0100_001F
                )
            )
        ),
        .init(
            name: "StartMediaTransmission, 84-byte body (media 154)",
            hex: "58000000000000008a0000001f000001010100010a66db1b1aeb00001400000004000000b800000000000000"
                + "00000000000000001f000001"
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000000",
            expected: .startMediaTransmission(
                .init(
                    conferenceID: 0x0100_001F,
                    passThroughPartyID: 0x0100_0101,
                    remoteAddress: .ipv4(10, 102, 219, 27),
                    remotePort: 0xEB1A,
                    packetSize: 20,
                    codec: .g711ULaw64k,
                    precedence: 184,
                    callReference: 0x0100_001F
                )
            )
        ),
    ]

    /// Every CUCM 4.1 frame goes through the frame decoder and decodes, at the version such phones used, to the
    /// fields it carries.
    @Test(arguments: Self.captures)
    func decodesCUCMFrame(_ capture: CallManagerCallCapture) throws {
        var wire = ByteBuffer(bytes: hex(capture.hex))
        var decoder = SkinnyFrameDecoder()
        let frame = try #require(try decoder.decode(buffer: &wire))
        #expect(wire.readableBytes == 0)
        #expect(try CallManagerMessage(frame: frame, version: .v5) == capture.expected)
    }

    /// Strowger writes the same bytes CUCM 4.1 wrote. OpenReceiveChannel and StartMediaTransmission are longer at
    /// v5 (92 and 112 bytes: the whole key block and the fields after it), so there the capture must be a prefix
    /// of Strowger's body and the rest zero.
    @Test(arguments: Self.captures)
    func encodesLikeCUCM(_ capture: CallManagerCallCapture) {
        let captured = Array(hex(capture.hex).dropFirst(12))
        let encoded = Array(capture.expected.frame(version: .v5).body.readableBytesView)
        #expect(Array(encoded.prefix(captured.count)) == captured)
        #expect(encoded.dropFirst(captured.count).allSatisfy { $0 == 0 })
    }

    @Test func ringingCallFieldsByName() throws {
        // cm_call_ring frame 132 and 135, checked field by field.
        let state = try SkinnyMessage.CallState.decode(
            SkinnyFrame(
                id: .callState,
                body: ByteBuffer(bytes: hex("04000000010000001f000001000000000400000000000000"))
            ),
            version: .v5
        )
        #expect(state.callState == .ringIn)
        #expect(state.lineInstance == 1)
        #expect(state.callReference == 0x0100_001F)
        let notify = try SkinnyMessage.DisplayPriNotify.decode(
            SkinnyFrame(
                id: .displayPriNotify,
                body: ByteBuffer(
                    bytes: hex("0a00000005000000801731303033000000000000000000000000000000000000000000000000000000")
                )
            ),
            version: .v5
        )
        #expect(notify.text == "\u{80}\u{17}1003")
        #expect(notify.text.unicodeScalars.map(\.value) == [0x80, 0x17, 0x31, 0x30, 0x30, 0x33])
    }
}

@Suite struct CallManagerCallRoundTripTests {
    static let versions: [SkinnyProtocolVersion] = [5, 11, 15, 16, 17, 18, 20, 21, 22]

    /// Every message comes back unchanged through encode, the frame decoder and decode, at every version.
    @Test(arguments: Self.versions)
    func roundTrips(version: SkinnyProtocolVersion) throws {
        for (name, message) in CallManagerCallFixture.messages(version: version) {
            let decoded = try CallManagerCallFixture.roundTrip(message, version: version)
            #expect(decoded == message, "\(name) at \(version)")
        }
    }

    /// The fixture covers every message of the group once, with the id it is sent under.
    @Test func fixtureCoversEveryMessage() {
        let ids = CallManagerCallFixture.messages(version: .v17).map { $0.message.id.rawValue }
        #expect(Set(ids).count == ids.count)
        #expect(
            Set(ids) == [
                0x0082, 0x0083, 0x0085, 0x0086, 0x0087, 0x0088, 0x0089, 0x008A, 0x008B, 0x008D, 0x008F, 0x0099,
                0x009A, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0110, 0x0112, 0x0113, 0x0114,
                0x0115, 0x0116, 0x0117, 0x0119, 0x011C, 0x011D, 0x011E, 0x0120, 0x0121, 0x0127, 0x0128, 0x0130,
                0x0133, 0x0135, 0x0136, 0x013F, 0x0143, 0x0144, 0x0145, 0x014A, 0x0156,
            ]
        )
    }

    /// The header-version field: 0 below v10, the version from there (reference §2.1).
    @Test(arguments: [(SkinnyProtocolVersion.v5, UInt32(0)), (.v11, 11), (.v17, 17), (.v22, 22)])
    func headerVersion(version: SkinnyProtocolVersion, expected: UInt32) {
        for (name, message) in CallManagerCallFixture.messages(version: version) {
            #expect(message.frame(version: version).headerVersion == expected, "\(name)")
        }
    }

    /// Bytes after the version's layout are ignored (reference §1).
    @Test(arguments: Self.versions)
    func ignoresExtraBytes(version: SkinnyProtocolVersion) throws {
        for (name, message) in CallManagerCallFixture.messages(version: version) {
            var frame = message.frame(version: version)
            if case .openReceiveChannel = message, (17...20).contains(version.rawValue) {
                // Strowger sends 128 bytes here; Wireshark's 132-byte form adds audioLevelAdjustment, which is
                // read when present, so the extra bytes start after it.
                frame.body.writeRepeatingByte(0, count: 4)
            }
            frame.body.writeRepeatingByte(0xEE, count: 24)
            #expect(try CallManagerMessage(frame: frame, version: version) == message, "\(name) at \(version)")
        }
    }

    /// Any prefix of any body decodes without trapping: short bodies are normal (reference §1).
    @Test(arguments: [SkinnyProtocolVersion.v5, .v17, .v22])
    func decodesEveryPrefix(version: SkinnyProtocolVersion) throws {
        for (_, message) in CallManagerCallFixture.messages(version: version) {
            let frame = message.frame(version: version)
            for length in 0..<frame.body.readableBytes {
                let cut = SkinnyFrame(
                    id: frame.id,
                    body: frame.body.getSlice(at: frame.body.readerIndex, length: length) ?? ByteBuffer()
                )
                _ = try CallManagerMessage(frame: cut, version: version)
            }
        }
    }

    @Test func unknownIDStaysUnknown() throws {
        let frame = SkinnyFrame(id: SkinnyMessageID(0x0131), body: ByteBuffer(bytes: [1, 2, 3, 4]))
        #expect(try CallManagerMessage(frame: frame, version: .v17) == .unknown(frame))
    }
}

@Suite struct CallManagerCallShortBodyTests {
    private func decode(
        _ id: SkinnyMessageID,
        _ bytes: [UInt8],
        version: SkinnyProtocolVersion = .v5
    ) throws
        -> CallManagerMessage
    {
        try CallManagerMessage(frame: SkinnyFrame(id: id, body: ByteBuffer(bytes: bytes)), version: version)
    }

    /// An empty body reads as all zeros and empty strings.
    @Test func emptyBodiesZeroFill() throws {
        #expect(
            try decode(.startTone, [])
                == .startTone(.init(.silence, direction: .user, lineInstance: 0, callReference: 0))
        )
        #expect(try decode(.stopTone, [], version: .v11) == .stopTone(.init(lineInstance: 0, callReference: 0)))
        #expect(try decode(.setRinger, []) == .setRinger(.init(0, duration: 0)))
        #expect(try decode(.setLamp, []) == .setLamp(.init(0, instance: 0, mode: 0)))
        #expect(try decode(.setSpeakerMode, []) == .setSpeakerMode(.init(0)))
        #expect(try decode(.displayText, []) == .displayText(.init("")))
        #expect(try decode(.displayNotifyV2, []) == .displayNotifyV2(.init("", timeout: 0)))
        #expect(
            try decode(.callInfoV2, [], version: .v17)
                == .callInfoV2(.init(lineInstance: 0, callReference: 0, callType: 0, callInstance: 0))
        )
        #expect(
            try decode(.openReceiveChannel, [], version: .v22)
                == .openReceiveChannel(
                    .init(conferenceID: 0, passThroughPartyID: 0, packetSize: 0, codec: 0, callReference: 0)
                )
        )
        #expect(
            try decode(.startMediaTransmission, [], version: .v22)
                == .startMediaTransmission(
                    .init(
                        conferenceID: 0,
                        passThroughPartyID: 0,
                        remoteAddress: .unspecified,
                        remotePort: 0,
                        packetSize: 0,
                        codec: 0,
                        precedence: 0,
                        callReference: 0
                    )
                )
        )
        #expect(
            try decode(.userToDeviceData, []) == .userToDeviceData(.init(applicationID: 0, data: []))
        )
        #expect(
            try decode(.dialedNumber, [], version: .v18) == .dialedNumber(.init("", lineInstance: 0, callReference: 0))
        )
    }

    /// A body cut in the middle of a field: the part that arrived is used, the rest reads as zero.
    @Test func cutBodiesKeepWhatArrived() throws {
        typealias W = CallManagerCallBytes
        // SetRinger without its call reference, and with half of it.
        #expect(
            try decode(.setRinger, W.u32(2) + W.u32(1) + W.u32(1))
                == .setRinger(.init(.inside, duration: .normal, lineInstance: 1, callReference: 0))
        )
        #expect(
            try decode(.setRinger, W.u32(2) + W.u32(1) + W.u32(1) + [0x1F, 0x00])
                == .setRinger(.init(.inside, duration: .normal, lineInstance: 1, callReference: 0))
        )
        // CallManager 2.x sent 128-byte CallInfo bodies: the names and numbers of both parties only.
        let callInfo = try decode(
            .callInfo,
            W.text("Alice", 40) + W.text("1003", 24) + W.text("Bob", 40) + W.text("1004", 24)
        )
        #expect(
            callInfo
                == .callInfo(
                    .init(
                        lineInstance: 0,
                        callReference: 0,
                        callType: 0,
                        callingParty: "1003",
                        callingPartyName: "Alice",
                        calledParty: "1004",
                        calledPartyName: "Bob",
                        callInstance: 0
                    )
                )
        )
        // A dynamic body that stops inside its third string and has no NUL: that string ends at the body's end.
        let v2 = try decode(
            .callInfoV2,
            W.u32(1) + W.u32(0x0100_001F) + W.u32(1) + W.zeros(20) + W.cstring("1003") + W.cstring("")
                + Array("10".utf8),
            version: .v17
        )
        #expect(
            v2
                == .callInfoV2(
                    .init(
                        lineInstance: 1,
                        callReference: 0x0100_001F,
                        callType: .inbound,
                        callingParty: "1003",
                        calledParty: "10",
                        callInstance: 0
                    )
                )
        )
        // A v17 OpenReceiveChannel cut inside the source address block.
        let orc = try decode(
            .openReceiveChannel,
            W.u32(1) + W.u32(2) + W.u32(20) + W.u32(4) + W.zeros(8) + W.u32(1) + W.zeros(64) + W.u32(0) + W.u32(0)
                + W.u32(0) + [10, 1],
            version: .v17
        )
        #expect(
            orc
                == .openReceiveChannel(
                    .init(
                        conferenceID: 1,
                        passThroughPartyID: 2,
                        packetSize: 20,
                        codec: .g711ULaw64k,
                        callReference: 1,
                        sourceAddress: .ipv4(10, 1, 0, 0)
                    )
                )
        )
    }

    /// At v17–20 OpenReceiveChannel may come in Wireshark's 132-byte form, whose last word is the audio level
    /// adjustment.
    @Test func openReceiveChannelAudioLevelAtV17() throws {
        typealias W = CallManagerCallBytes
        let body =
            W.u32(1) + W.u32(2) + W.u32(20) + W.u32(4) + W.zeros(8) + W.u32(1) + W.zeros(64) + W.u32(0) + W.u32(0)
            + W.ipv4Block(10, 1, 2, 3) + W.u32(16384) + W.u32(0) + W.u32(0xFFFF_FFFD)
        #expect(body.count == 132)
        #expect(
            try decode(.openReceiveChannel, body, version: .v17)
                == .openReceiveChannel(
                    .init(
                        conferenceID: 1,
                        passThroughPartyID: 2,
                        packetSize: 20,
                        codec: .g711ULaw64k,
                        callReference: 1,
                        sourceAddress: .ipv4(10, 1, 2, 3),
                        sourcePort: 16384,
                        audioLevelAdjustment: -3
                    )
                )
        )
    }

    /// The adjustment a 132-byte body carries is sent back in the same form, so that decode → encode → decode keeps
    /// it; a 0 (or absent) adjustment goes out in the 128-byte form chan-sccp and a real v17 exchange use.
    @Test(arguments: [17, 18, 19, 20] as [SkinnyProtocolVersion])
    func openReceiveChannelAudioLevelRoundTripsAtV17To20(version: SkinnyProtocolVersion) throws {
        let adjusted = CallManagerMessage.openReceiveChannel(
            .init(
                conferenceID: 1,
                passThroughPartyID: 2,
                packetSize: 20,
                codec: .g711ULaw64k,
                callReference: 1,
                sourceAddress: .ipv4(10, 1, 2, 3),
                sourcePort: 16384,
                audioLevelAdjustment: -3
            )
        )
        let frame = adjusted.frame(version: version)
        #expect(frame.body.readableBytes == 132)
        #expect(frame.body.getInteger(at: frame.body.readerIndex + 128, endianness: .little, as: Int32.self) == -3)
        #expect(try CallManagerMessage(frame: frame, version: version) == adjusted)

        guard case .openReceiveChannel(var plain) = adjusted else { return }
        plain.audioLevelAdjustment = 0
        #expect(CallManagerMessage.openReceiveChannel(plain).frame(version: version).body.readableBytes == 128)
    }

    /// From v18 the number field is 28 bytes wide but holds at most 25 bytes (3 are padding): decoding reads no
    /// more than encoding writes.
    @Test(arguments: [18, 20, 22] as [SkinnyProtocolVersion])
    func connectionStatisticsReqNumberIsAtMost25Bytes(version: SkinnyProtocolVersion) throws {
        typealias W = CallManagerCallBytes
        let body = [UInt8](repeating: 0x37, count: 28) + W.u32(0x0100_001F) + W.u32(1)
        let decoded = try decode(.connectionStatisticsReq, body, version: version)
        let expected = CallManagerMessage.connectionStatisticsReq(
            .init(
                directoryNumber: String(repeating: "7", count: 25),
                callReference: 0x0100_001F,
                statsProcessing: .doNotClear
            )
        )
        #expect(decoded == expected)
        #expect(try CallManagerMessage(frame: decoded.frame(version: version), version: version) == expected)
    }

    /// A data length beyond the body or beyond 2000 bytes takes only the bytes that are there.
    @Test func userToDeviceDataLengthIsBounded() throws {
        typealias W = CallManagerCallBytes
        let claimsTooMuch = try decode(
            .userToDeviceData,
            W.u32(1) + W.u32(0) + W.u32(0) + W.u32(0) + W.u32(0xFFFF_FFFF) + [0x3C, 0x61]
        )
        #expect(claimsTooMuch == .userToDeviceData(.init(applicationID: 1, data: [0x3C, 0x61])))
        let claimsLess = try decode(
            .userToDeviceData,
            W.u32(1) + W.u32(0) + W.u32(0) + W.u32(0) + W.u32(1) + [0x3C, 0x61, 0, 0]
        )
        #expect(claimsLess == .userToDeviceData(.init(applicationID: 1, data: [0x3C])))
        let big = [UInt8](repeating: 0x41, count: 2100)
        let capped = try decode(.userToDeviceDataV1, W.u32(1) + W.zeros(12) + W.u32(2100) + W.zeros(20) + big)
        #expect(capped == .userToDeviceDataV1(.init(applicationID: 1, data: [UInt8](repeating: 0x41, count: 2000))))
    }

    /// StopTone has no tone below v11: a 12-byte body at v5 keeps `.silence`, as Wireshark reads it.
    @Test func stopToneToneOnlyFromV11() throws {
        typealias W = CallManagerCallBytes
        let body = W.u32(1) + W.u32(0x0100_001F) + W.u32(0x24)
        #expect(
            try decode(.stopTone, body, version: .v5) == .stopTone(.init(lineInstance: 1, callReference: 0x0100_001F))
        )
        #expect(
            try decode(.stopTone, body, version: .v11)
                == .stopTone(.init(lineInstance: 1, callReference: 0x0100_001F, tone: .alerting))
        )
    }
}
